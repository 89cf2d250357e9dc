"""解除处分: record the release of a sanction at its period's end, and its written notice.

Rules in :mod:`app.domain.release` (公务员法第六十四条、第六十五条). One call, one
transaction, one audit record. The ledger and a person's view read ``sanctions()`` to show
whether each sanction is in force, ended (awaiting release) or released; recused cases
(Art. 12) never appear.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.documents import release_notice
from app.documents.compose import Letterhead
from app.documents.compose.wording import form_action
from app.documents.layout import RenderResult
from app.domain.enums import (
    DecisionOrigin,
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    SubjectKind,
)
from app.domain.release import (
    RELEASE_FIELDS,
    LaterSanction,
    Released,
    ReleaseSpec,
    SanctionFacts,
    SanctionState,
    check_release,
    confirmer_problems,
    correction_void_problems,
    period_end,
    period_start,
    release_correction_problems,
    run_ends,
    sanction_state,
)
from app.domain.release import (
    batch_problems as batch_rule,
)
from app.domain.rules import RuleViolation, ensure
from app.services.base import NotFound, ServiceBase, ServiceError, version_columns
from app.services.case_store import recused_names, subject_names
from app.services.corrections import _allowed, _changed, _clean, _reason
from app.services.masterdata import clock_in
from app.services.numbers import same_document
from app.services.records import RELEASE_AUDITED
from app.services.replay import case_replay_problems
from app.services.sanction_runs import ORIGINAL_JOIN, Original, Other
from app.services.sanction_runs import sanctions_of as _sanctions_of
from app.storage.models import (
    Case,
    CaseSubject,
    Decision,
    IssuedDocument,
    Person,
    SanctionRelease,
    Service,
    Setting,
)

ACTION_RELEASE = "解除处分"


ACTION_CORRECT = "更正解除处分"
#: What the document list adds to the notice of a release corrected after it was issued.
REISSUE = "；解除处分记录已更正，须重新印发"
#: A voided case decides nothing (第十三条): there is no sanction to release.
VOIDED_CASE = (
    "依据《公务员法》第六十五条，解除的是期满的处分；该案件已作废，其处理决定不发生效力，"
    "无需解除处分"
)
NOT_ISSUED = (
    "依据《中华人民共和国公务员法》第六十五条，解除处分须以书面通知本人：该解除处分通知书尚未印发，"
    "请先印发（编定文号、生成校验码）后再保存或打印"
)

#: A release read from a decision edited around the application (its sanction or period
#: rewritten with ``sqlite3``) would lift a sanction before its real end.
TAMPERED = (
    "依据《公务员法》第六十四条，处分期满方可解除处分；该案件的数据与审计记录不符，可能被绕过"
    "系统修改，不能据此解除处分。请系统管理员运行“wenze audit verify”核查，并从可靠的备份恢复。"
    "不符之处："
)
OTHER_CASE = "该人员另一案件的数据（其处分计入本处分的处分期间，处分条例第十条）"


@dataclass(frozen=True)
class SanctionRow:
    decision_id: int
    case_id: int
    case_number: str
    subject_id: int
    person_id: int | None
    name: str
    unit_name: str
    post: str
    doc_number: str
    decided_on: date
    sanction_kind: str
    effective_on: date
    sanction_end: date | None
    state: SanctionState
    released_on: date | None
    release_id: int | None


@dataclass(frozen=True)
class ReleaseView:
    id: int
    decision_id: int
    case_id: int
    sanction_kind: str
    period_end: date
    released_on: date
    conduct: str
    confirmed_by: str
    note: str
    superseded_by_id: int | None = None  # a corrected release: the version that replaced it
    correction_reason: str = ""  # the correction that made this version


def _facts(
    d: Decision,
    sub: CaseSubject,
    rel: SanctionRelease | None,
    prior: SanctionRelease | None,
    changed_from: date | None,
) -> SanctionFacts:
    """``changed_from``: the original decision's effect, for a decision changed on review."""
    return SanctionFacts(
        d.outcome,
        d.sanction_kind,
        period_start(d.effective_on, changed_from),
        d.sanction_end,
        d.status,
        rel.released_on if rel else None,
        sub.kind == SubjectKind.PERSON.value,
        carried_release=prior.released_on if prior else None,
    )


#: The release of the sanction a review changed into the decision (SanctionFacts.carried_release).
Prior = aliased(SanctionRelease)
PRIOR_JOIN = and_(
    Prior.decision_id == Decision.replaces_id,
    Prior.superseded_by_id.is_(None),
    Decision.origin == DecisionOrigin.REVIEW_CHANGE.value,
)

#: What the release list reads of each sanction, as columns: loading the decisions and subjects
#: as objects took 2.6 s at 100,000 cases each time the 解除处分 window opened.
_DECISION_COLUMNS = ("id", "case_id", "outcome", "sanction_kind", "effective_on", "sanction_end",
                     "status", "doc_number", "decided_on")  # fmt: skip
_SUBJECT_COLUMNS = ("id", "person_id", "name", "unit_name", "post", "kind")
_ROW_COLUMNS = (
    *(getattr(Decision, c) for c in _DECISION_COLUMNS),
    *(getattr(CaseSubject, c) for c in _SUBJECT_COLUMNS),
    Case.number, SanctionRelease.id, SanctionRelease.released_on, Prior.id, Prior.released_on,
    Original.effective_on,
)  # fmt: skip


def _row_parts(r: Any) -> tuple[Any, Any, str, Any, Any, date | None]:
    """A row of :data:`_ROW_COLUMNS` as (decision, subject, case number, its release, the
    release carried from the decision a review changed, that decision's effect)."""
    n, m = len(_DECISION_COLUMNS), len(_DECISION_COLUMNS) + len(_SUBJECT_COLUMNS)
    d = SimpleNamespace(**dict(zip(_DECISION_COLUMNS, r[:n], strict=True)))
    sub = SimpleNamespace(**dict(zip(_SUBJECT_COLUMNS, r[n:m], strict=True)))
    number, own_id, own_on, prior_id, prior_on, changed_from = r[m:]
    own = None if own_id is None else SimpleNamespace(id=own_id, released_on=own_on)
    prior = None if prior_id is None else SimpleNamespace(id=prior_id, released_on=prior_on)
    return d, sub, number, own, prior, changed_from


#: The current version of a release (a corrected one points at the version replacing it).
CURRENT = SanctionRelease.superseded_by_id.is_(None)


def lock_person(s: Session, person_id: int | None) -> None:
    """处分条例第十条 on the LAN database: a release and a sanction of the same person are each
    checked against the other's records. On PostgreSQL the second read the first's as not yet
    there while the first had checked and not committed, and both committed (a release inside
    the run of a sanction taking effect within it); with the person's row locked before the
    checks the second waits and reads again. (SQLite's write lock already serialises them.)"""
    if person_id is not None:
        s.execute(select(Person.id).where(Person.id == person_id).with_for_update()).all()


def _with_release(q: Any) -> Any:
    """A select of decisions with their subject, case, release, the release carried from the
    decision a review changed, and that decision (its effect starts the period)."""
    return (
        q.join(CaseSubject, CaseSubject.id == Decision.subject_id)
        .join(Case, Case.id == Decision.case_id)
        .outerjoin(SanctionRelease, and_(SanctionRelease.decision_id == Decision.id, CURRENT))
        .outerjoin(Prior, PRIOR_JOIN)
        .outerjoin(Original, ORIGINAL_JOIN)
    )


class ReleaseService(ServiceBase):
    # ------------------------------------------------------------------ reads
    def sanctions(
        self, *, person_id: int | None = None, case_id: int | None = None
    ) -> list[SanctionRow]:
        """Every sanction in force (行政处分) with its state; for the ledger and a person."""
        today = self.ctx.today()
        q = (
            _with_release(select(*_ROW_COLUMNS))
            .where(
                self._visible(),
                Decision.status == DecisionStatus.IN_FORCE.value,
                Decision.outcome == DecisionOutcome.ACCOUNTABLE.value,
                Decision.sanction_kind.is_not(None),
            )
            .order_by(Decision.decided_on, Decision.id)
        )
        if person_id is not None:
            q = q.where(CaseSubject.person_id == person_id)
        if case_id is not None:
            q = q.where(Decision.case_id == case_id)
        with self.db.read() as s:
            rows = [_row_parts(r) for r in s.execute(q)]
            by_person = _sanctions_of(s, (sub.person_id for _d, sub, _n, _r, _p, _o in rows))
        out = []
        runs = _Runs(by_person)
        for d, sub, number, own, prior, changed_from in rows:
            # 处分条例第十条: a later sanction within the period runs it on (the run's end).
            facts = _facts(d, sub, own, prior, changed_from)
            rel = own or prior  # 第十四条: a change on review keeps the release on record
            if facts.sanction_end is not None:
                facts = replace(facts, sanction_end=runs.period_end(facts, d, sub))
            out.append(
                SanctionRow(
                    d.id, d.case_id, number, sub.id, sub.person_id, sub.name, sub.unit_name,
                    sub.post, d.doc_number, d.decided_on, d.sanction_kind or "", d.effective_on,
                    facts.sanction_end, sanction_state(facts, today),
                    rel.released_on if rel else None, rel.id if rel else None,
                )
            )  # fmt: skip
        return out

    def due_releases(self) -> list[SanctionRow]:
        """Sanctions whose period has ended and that are not yet released."""
        return [r for r in self.sanctions() if r.state is SanctionState.ENDED]

    def get_release(self, release_id: int) -> ReleaseView:
        with self.db.read() as s:
            r = s.get(SanctionRelease, release_id)
            if r is None:
                raise NotFound("解除处分记录不存在")
            self.ctx.ensure_case_visible(s, r.case_id)
            return ReleaseView(
                r.id,
                r.decision_id,
                r.case_id,
                r.sanction_kind,
                r.period_end,
                r.released_on,
                r.conduct,
                r.confirmed_by,
                r.note,
                r.superseded_by_id,
                r.correction_reason or "",
            )

    # ------------------------------------------------------------------ the act
    def _loaded(
        self, s: Session, d: Decision, skip: int | None = None
    ) -> tuple[CaseSubject, SanctionFacts, list[LaterSanction]]:
        """The decision's subject (his row locked: lock_person), its facts as the rules read
        them (its current release, the one carried from a decision a review changed into it,
        its service) and the person's other sanctions in force but decision ``skip``."""
        self.ctx.ensure_case_visible(s, d.case_id)
        sub = s.get(CaseSubject, d.subject_id)
        assert sub is not None
        lock_person(s, sub.person_id)
        # Then the case, as its acts lock it (the order the release's own insert would take it
        # in, its key referring to the case): a 复核决定 revoking or changing this sanction at the
        # same moment is waited for and read (第十四条: not revoked before its release, and a
        # revoked one is released no more).
        s.get(Case, d.case_id, with_for_update=True)
        rel = s.scalar(select(SanctionRelease).where(SanctionRelease.decision_id == d.id, CURRENT))
        prior = s.scalar(select(Prior).join(Decision, PRIOR_JOIN).where(Decision.id == d.id))
        changed_from = s.scalar(
            select(Original.effective_on).join(Decision, ORIGINAL_JOIN).where(Decision.id == d.id)
        )
        case = s.get(Case, d.case_id)
        if case is None or case.voided:
            raise NotFound(VOIDED_CASE)
        hidden = self.ctx.hidden_ids(s)
        _replayed(s, d.case_id, sub.person_id, hidden)
        served = s.scalar(
            select(func.min(Service.served_at)).where(
                Service.case_id == d.case_id, Service.superseded_by_id.is_(None),
                Service.decision_id == d.id,
            )
        )  # fmt: skip
        facts = replace(
            _facts(d, sub, rel, prior, changed_from),
            served_on=served.date() if served else None,
        )
        by_person = _sanctions_of(s, [sub.person_id], hidden)
        by_person = {p: [x for x in xs if x[0] != skip] for p, xs in by_person.items()}
        return sub, facts, _others(by_person, d, sub)

    def release(self, decision_id: int, spec: ReleaseSpec) -> int:
        """Record the release (refused for 开除, before the period ends, on a new violation)."""
        with self.tx(ACTION_RELEASE) as t:
            s = t.session
            d = s.get(Decision, decision_id)
            if d is None:
                raise NotFound("处理决定不存在")
            sub, facts, others = self._loaded(s, d)
            ensure(
                check_release(facts, spec, clock_in(s, self.ctx.today()), others)
                + confirmer_problems(
                    spec.confirmed_by, recused_names(s, d.case_id), subject_names(s, d.case_id)
                )
            )
            assert d.sanction_end is not None and d.sanction_kind
            _ensure_words(s, self.services.vault, d.case_id, spec.conduct, spec.note)
            row = SanctionRelease(
                case_id=d.case_id,
                decision_id=d.id,
                subject_id=sub.id,
                sanction_kind=d.sanction_kind,
                period_end=period_end(facts, others) or d.sanction_end,
                released_on=spec.released_on,
                conduct=spec.conduct.strip(),
                confirmed_by=spec.confirmed_by.strip(),
                note=spec.note.strip(),
                created_at=self.ctx.now(),
                created_by=self.ctx.actor.username,
            )
            s.add(row)
            s.flush()
            t.audit(
                "sanction_release",
                row.id,
                case_id=d.case_id,
                before={"state": sanction_state(facts, self.ctx.today())},
                after={
                    "decision": d.doc_number,
                    "subject": sub.name,
                    **{k: getattr(row, k) for k in RELEASE_AUDITED},
                    "new_violation": False,
                },
            )
            return row.id

    def correct_release(self, release_id: int, reason: str, **changes: Any) -> int:
        """更正解除处分: a new version of the release with ``changes`` (RELEASE_FIELDS), tried
        against the release's own rules on the corrected values; the old version is kept and
        points at the new one. An issued 解除处分通知书 is not changed: it is marked as stating
        a corrected record until the corrected notice is issued again (as its next version,
        under the same number: app.services.numbers.same_document)."""
        reason, changes = _reason(reason), _clean(changes)
        _allowed(changes, RELEASE_FIELDS, "解除处分")
        with self.tx(ACTION_CORRECT) as t:
            s = t.session
            old = s.get(SanctionRelease, release_id)
            if old is None:
                raise NotFound("解除处分记录不存在")
            self.ctx.ensure_case_visible(s, old.case_id)
            if old.superseded_by_id is not None:
                raise NotFound("解除处分记录已被更正，请更正其现行版本")
            # Before the notice is marked to be issued again for a change never made.
            changes = _changed({k: getattr(old, k) for k in RELEASE_FIELDS}, changes, "解除处分")
            d = s.get(Decision, old.decision_id)
            assert d is not None
            carrier = _carrier(s, d)
            if d.status != DecisionStatus.IN_FORCE.value and carrier is None:
                ensure(correction_void_problems())
            # The sanction a review changed it into is this one, not another of the person.
            _sub, facts, others = self._loaded(s, d, carrier.id if carrier is not None else None)
            merged = {k: getattr(old, k) for k in RELEASE_FIELDS} | changes
            spec = ReleaseSpec(
                merged["released_on"], merged["conduct"], merged["confirmed_by"], False,
                merged["note"],
            )  # fmt: skip
            issued = s.scalar(_current_notice(old, IssuedDocument.number))
            ensure(
                release_correction_problems(
                    facts, spec, clock_in(s, self.ctx.today()), others,
                    carrier.decided_on if carrier is not None else None, issued or "",
                ) + confirmer_problems(
                    spec.confirmed_by, recused_names(s, d.case_id), subject_names(s, d.case_id)
                )
            )  # fmt: skip
            _ensure_words(
                s, self.services.vault, old.case_id, merged["conduct"], merged["note"], reason
            )
            data = version_columns(old) | changes
            data["period_end"] = period_end(facts, others) or old.period_end
            # One current release per decision (uq_sanction_releases_current): the old version
            # leaves the current rows before the new one joins them, then points at it.
            old.superseded_by_id = old.id
            s.flush()
            new = self._add_version(s, old, data, reason)
            t.audit(
                "sanction_release",
                new.id,
                case_id=old.case_id,
                before={"id": old.id, **{k: getattr(old, k) for k in changes}},
                after={
                    "reason": reason,
                    **{k: data[k] for k in RELEASE_AUDITED},
                    "notice_to_reissue": issued is not None,
                },
            )
            return new.id

    # ------------------------------------------------------------------ the notice
    def _letterhead(self, s: Session) -> Letterhead:
        from app.config import Settings

        values = {row.key: row.value for row in s.scalars(select(Setting))}
        st = Settings.from_mapping(values)
        return Letterhead.of(st)

    def releases_of_case(self, case_id: int) -> list[tuple[int, str]]:
        """(release id, subject name) of a case's current releases, for its document list;
        a release corrected after its notice was issued says the notice is to be issued again."""
        with self.db.read() as s:
            self.ctx.ensure_case_visible(s, case_id)  # Art. 12: not even the names
            rows = s.execute(
                select(SanctionRelease, CaseSubject.name)
                .join(CaseSubject, CaseSubject.id == SanctionRelease.subject_id)
                .where(SanctionRelease.case_id == case_id, CURRENT)
                .order_by(SanctionRelease.id)
            ).all()
            return [
                (r.id, name + REISSUE * (stale is not None and stale != r.id))
                for r, name in rows
                for stale in [s.scalar(_current_notice(r, IssuedDocument.ref_id))]
            ]

    def notice_content(self, release_id: int) -> dict[str, Any]:
        """The 解除处分通知书 as editable content (GB/T 9704, the case documents' engine),
        with the number its issued version took (none before it is first issued)."""
        with self.db.read() as s:
            r = s.get(SanctionRelease, release_id)
            if r is None:
                raise NotFound("解除处分记录不存在")
            self.ctx.ensure_case_visible(s, r.case_id)
            d = s.get(Decision, r.decision_id)
            sub = s.get(CaseSubject, r.subject_id)
            case = s.get(Case, r.case_id)
            assert d is not None and sub is not None and case is not None
            kind, end = r.sanction_kind, r.period_end
            if (carrier := _carrier(s, d)) is not None:
                # 第十四条: a review changed the released sanction into a lighter one after the
                # release; the notice states the decision in force, its period counted from
                # the original's effect (ended by the release, which stands for it).
                facts = _facts(carrier, sub, None, r, d.effective_on)
                others = _others(_sanctions_of(s, [sub.person_id]), carrier, sub)
                d, kind = carrier, carrier.sanction_kind or ""
                end = period_end(facts, others) or end
            facts = release_notice.NoticeFacts(
                sub.name, sub.unit_name, sub.post, case.number, d.doc_number, d.decided_on,
                kind, d.effective_on, end, r.released_on, r.conduct, r.confirmed_by,
                d.sanction_end, *_replaced(s, d), facts=d.facts,
            )  # fmt: skip
            number = s.scalar(_current_notice(r, IssuedDocument.number))
            return release_notice.compose(facts, self._letterhead(s), number or "")

    def issued_notice(self, release_id: int) -> int | None:
        """The id of the release's current issued 解除处分通知书 (None before it is issued)."""
        with self.db.read() as s:
            r = s.get(SanctionRelease, release_id)
            if r is None:
                raise NotFound("解除处分记录不存在")
            self.ctx.ensure_case_visible(s, r.case_id)
            return s.scalar(_current_notice(r, IssuedDocument.id, mine=True))

    def render_notice(self, release_id: int, out: str | Path) -> RenderResult:
        """The issued notice's PDF (its number and verification code), regenerated from its
        frozen content into the file ``out``; refused before it is issued — the bureau hands
        out no unnumbered notice (a draft is previewed through the document service, marked
        草稿). The file leaves the system: saved as every export is (第十条, 第十三条, audited:
        ``DocumentService.save_document``)."""
        doc_id = self.issued_notice(release_id)
        if doc_id is None:
            raise ServiceError(NOT_ISSUED)
        return self.services.documents.save_document(doc_id, out)


def _replaced(s: Session, d: Decision) -> tuple[date | None, tuple[date, str, str] | None]:
    """For a decision changed on review: its period's start (the original decision's effect,
    as the review counted it) and (decided on, number, treatment) of the original."""
    from_review = d.origin == DecisionOrigin.REVIEW_CHANGE  # a correction counts afresh
    old = s.get(Decision, d.replaces_id) if d.replaces_id and from_review else None
    if old is None:
        return None, None
    # the operative words, addressed to the person: 「给予你记大过处分，并责令你作出书面检查」
    what = form_action("你", old.forms or [], old.sanction_kind, old.other_form_text)
    what = (
        what.replace("，并责令其", "，并责令你").replace("，并对其", "，并对你") or "对你作出处理"
    )
    return old.effective_on, (old.decided_on, old.doc_number, what)


def _current_notice(r: SanctionRelease, column: Any, *, mine: bool = False) -> Any:
    """``column`` of the current issued 解除处分通知书 of the release, whichever of its
    versions it was issued on (no row before it is first issued); ``mine``: only if issued
    on version ``r`` (the notice of a release corrected since states the old version)."""
    return select(column).where(
        IssuedDocument.case_id == r.case_id,
        IssuedDocument.kind == str(DocumentKind.RELEASE_NOTICE),
        IssuedDocument.ref_id == r.id if mine else same_document(DocumentKind.RELEASE_NOTICE, r.id),
        IssuedDocument.superseded_by_id.is_(None),
    )


def _replayed(s: Session, case_id: int, person_id: int | None, hidden: set[int]) -> None:
    """Refused on a file edited around the application (a period shortened with ``sqlite3``):
    the decision's case and every other case naming the person, whose sanctions run its
    period on (处分条例第十条: one revoked or shortened there would end the run early). A case
    hidden from the actor (第十二条) is not described."""
    others: set[int] = set()
    if person_id is not None:
        others = set(
            s.scalars(select(CaseSubject.case_id).where(CaseSubject.person_id == person_id))
        )
    for cid in [case_id, *sorted(others - {case_id})]:
        if tampered := case_replay_problems(s, cid):
            raise ServiceError(TAMPERED + (OTHER_CASE if cid in hidden else tampered[0]))


def _ensure_words(
    s: Session, vault: Any, case_id: int, conduct: str, note: str, reason: str | None = None
) -> None:
    """第十条: a release whose 受处分期间表现 (stated in the 解除处分通知书 the person is sent)
    or 备注 names a reporter of the case's leads is refused, as the case's other records are;
    so is a correction's reason, kept with the old version and in the audit record."""
    from app.services.leads import ensure_reason, ensure_record_words

    ensure_record_words(s, vault, case_id, "sanction_release", {"conduct": conduct, "note": note})
    if reason is not None:
        ensure_reason(s, vault, case_id, reason)


def _carrier(s: Session, d: Decision) -> Decision | None:
    """第十四条: the decision in force a review changed ``d`` into (its release carried)."""
    return s.scalar(
        select(Decision).where(
            Decision.replaces_id == d.id,
            Decision.origin == DecisionOrigin.REVIEW_CHANGE.value,
            Decision.status == DecisionStatus.IN_FORCE.value,
        )
    )


def batch_problems(s: Session) -> list[RuleViolation]:
    """Whether the batch demo may write here (:func:`app.domain.release.batch_problems`)."""
    return batch_rule(s.scalar(select(func.count(SanctionRelease.id)).where(CURRENT)) or 0)


def released_of(
    s: Session, person_id: int | None, hidden_ids: Any, replacing: int | None = None
) -> list[Released]:
    """The person's released sanctions in force, each with the person's other sanctions in
    force but ``replacing`` (the decision a new version or a review takes the place of):
    what :func:`app.domain.release.released_run_problems` tries a new sanction against.
    ``hidden_ids`` (the actor's hidden cases, a subquery) is read only for a person with a
    release: most decisions cost the one query."""
    if person_id is None:
        return []
    rows = s.execute(
        _with_release(
            select(Decision, CaseSubject, SanctionRelease, Prior, Original.effective_on)
        ).where(
            CaseSubject.person_id == person_id,
            Decision.status == DecisionStatus.IN_FORCE.value,
            Case.voided.is_(False),
            or_(SanctionRelease.id.is_not(None), Prior.id.is_not(None)),
        )
    ).all()
    if not rows:
        return []
    hidden = set(s.scalars(hidden_ids))
    by_person = _sanctions_of(s, [person_id], hidden)
    by_person[person_id] = [x for x in by_person[person_id] if x[0] != replacing]
    return [
        Released(
            _facts(d, sub, rel or prior, None, changed_from), d.doc_number,
            tuple(_others(by_person, d, sub)), d.case_id in hidden,
        )
        for d, sub, rel, prior, changed_from in rows
    ]  # fmt: skip


class _Runs:
    """``period_end(facts, _others(by_person, d, sub))`` for many sanctions: each person's
    runs worked out in one walk (``release.run_ends``) rather than one walk per sanction —
    quadratic in a person's sanctions, and the demo's people have hundreds. A sanction whose
    facts are not those of its own entry among the person's (kind, effect, period) is
    walked alone, as before."""

    def __init__(self, by_person: dict[int, list[Other]]) -> None:
        self.by_person = by_person
        self.ends: dict[int, tuple[dict[int, LaterSanction], dict[int, date | None]]] = {}

    def period_end(self, facts: SanctionFacts, d: Decision, sub: CaseSubject) -> date | None:
        pid = sub.person_id or 0
        if pid in self.by_person:
            if pid not in self.ends:
                entries = dict(self.by_person[pid])
                self.ends[pid] = entries, run_ends(entries)
            entries, ends = self.ends[pid]
            own = entries.get(d.id)
            if own is not None and (own.sanction_kind, own.effective_on, own.sanction_end) == (
                facts.sanction_kind or "",
                facts.effective_on,
                facts.sanction_end,
            ):
                return ends[d.id]
        return period_end(facts, _others(self.by_person, d, sub))


def _others(
    by_person: dict[int, list[Other]], d: Decision, sub: CaseSubject
) -> list[LaterSanction]:
    """The person's sanctions in force other than ``d``."""
    return [x for did, x in by_person.get(sub.person_id or 0, []) if did != d.id]
