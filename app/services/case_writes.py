"""The writing side of the case acts: the plumbing every act of :class:`CaseService` shares.

:mod:`app.services.records` builds each row and audit payload as plain values; this module
puts them into the session: one locked, loaded and refreshed case per act (``_acting``), a
stamped row added and flushed (``_add``) or added and audited in one go (``_insert``), the
lookups a row needs from other tables (a subject's person or unit, the issued document a
service serves) and the knock-on writes of an act (a granted recusal sets the recused members
aside). The corrections (:mod:`app.services.corrections`) write through the same helpers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import acts, deadlines
from app.domain.case import CaseState, DecisionOrigin, MemberStatus
from app.domain.enums import DocumentKind, InvestigatorRole, SubjectKind
from app.domain.leads_disposition import link_problems
from app.domain.release import LaterSanction, period_start, released_run_problems
from app.domain.rules import RuleViolation, SanctionSpec, ensure, unit_kind_problems
from app.domain.signing import leads
from app.services import records
from app.services.base import NotFound, Tx
from app.services.case_store import load_state, refresh_case, removed_from_post
from app.services.leads import ensure_reason, ensure_record_words, searched_problems
from app.services.numbers import KIND_DECISION, issue_number
from app.services.releases import lock_person, released_of
from app.storage import models

if TYPE_CHECKING:
    from app.services.cases import CaseService

#: A voided case (作废: a case registered in error, corrected under 第十四条's 发现处理错误的，
#: 应当及时纠正, acts.void_problems) is kept on record and nothing more is done in it: every act
#: on it, and every document issued in it, is refused with this (the case acts and 案件文书).
VOIDED = "依据第十四条，案件已作废（登记错误已予纠正）：作废的案件保留备查，不能再办理或更正"


def lock_case(s: Session, case_id: int) -> models.Case:
    """The case row, locked for the act (``SELECT … FOR UPDATE`` on PostgreSQL)."""
    query = select(models.Case).where(models.Case.id == case_id).with_for_update()
    case = s.execute(query).scalar()
    if case is None:
        raise NotFound("案件不存在")
    return case


def subject_values(
    s: Session, case_id: int, pos: int, sub: Any, proposed_on: date
) -> dict[str, Any]:
    """The row of one 问责对象, with the name, unit and post the roster holds today; a leader
    only if no decision taking his post away had taken effect by ``proposed_on``."""
    kind = SubjectKind(sub.kind)
    if kind is SubjectKind.PERSON:
        person = s.get(models.Person, sub.person_id)
        if person is None:
            raise NotFound(f"人员“{sub.name}”不存在")
        unit_name = person.unit.name if person.unit else ""
        removed = bool(person.is_leader and removed_from_post(s, [person.id], proposed_on))
        return records.person_subject_row(
            case_id, pos, person.id, person.name, person.unit_id, unit_name, person.post,
            leads(person.is_leader, removed),
        )  # fmt: skip
    unit = s.get(models.Unit, sub.unit_id)
    if unit is None:
        raise NotFound(f"单位“{sub.name}”不存在")
    ensure(unit_kind_problems(unit.name, unit.kind, kind))
    return records.unit_subject_row(case_id, pos, kind, unit.id, unit.name)


def link_lead(
    s: Session,
    lead_id: int,
    case_id: int,
    proposed_on: date | None = None,
    *,
    hidden: Collection[int] = (),
) -> None:
    """``proposed_on``: the lead is one the case was proposed on, so it came before it (a
    lead linked later, as a further report on an open case, may be newer). ``hidden``: the
    cases hidden from the actor (Art. 12): a lead of one — voided or not — is as closed to
    him as the case, and is not taken into a case of his (refused without its number)."""
    from app.services.dispositions import lead_state, live_case_id

    # Locked as every lead act locks it (第六条: one case): a link to another case, or a
    # disposition, made by another officer at the same moment is waited for and read.
    lead = s.get(models.Lead, lead_id, with_for_update=True)
    if lead is None or lead.voided:
        raise NotFound("关联的线索不存在或已作废")
    if lead.case_id is not None and lead.case_id in hidden:
        raise acts.hidden_refusal("该线索关联的案件")
    state = lead_state(s, lead)
    ensure(link_problems(lead.number, state, live_case_id(s, lead), case_id, proposed_on))
    lead.case_id = case_id


def proposed_lead_problems(
    s: Session, lead_id: int, proposed_on: date, hidden: Collection[int] = ()
) -> list[RuleViolation]:
    """What :func:`link_lead` would refuse in proposing a new case on the lead (第六条、第九条:
    linked elsewhere, closed, or received after the proposal); a lead gone is left to its own
    refusal there, and a lead of a case hidden from the actor is refused without its number."""
    from app.services.dispositions import lead_state, live_case_id

    lead = s.get(models.Lead, lead_id)
    if lead is None or lead.voided:
        return []
    if lead.case_id is not None and lead.case_id in hidden:
        return [acts.hidden_refusal("该线索关联的案件")]
    state = lead_state(s, lead)
    return link_problems(lead.number, state, live_case_id(s, lead), 0, proposed_on)


def person(s: Session, person_id: int | None, missing: str = "人员不存在") -> models.Person:
    found = s.get(models.Person, person_id) if person_id is not None else None
    if found is None:
        raise NotFound(missing)
    return found


def issued_document_id(s: Session, kind: DocumentKind, ref_id: int) -> int | None:
    """The frozen, current document of ``kind`` for ``ref_id`` (what a service serves)."""
    doc = models.IssuedDocument
    return s.scalar(
        select(doc.id).where(
            doc.kind == kind.value,
            doc.ref_id == ref_id,
            doc.superseded_by_id.is_(None),
            doc.frozen.is_(True),
        )
    )


def recuse_members(s: Session, case_id: int, person_id: int, recusal_id: int) -> None:
    """A granted recusal sets the person's active memberships of the case aside."""
    inv = models.Investigator
    for member in s.scalars(
        select(inv).where(
            inv.case_id == case_id, inv.person_id == person_id, inv.status == MemberStatus.ACTIVE
        )
    ):
        member.status = MemberStatus.RECUSED
        member.recusal_id = recusal_id


def current_statement(s: Session, subject_id: int) -> models.Statement | None:
    st = models.Statement
    return s.scalar(select(st).where(st.subject_id == subject_id, st.superseded_by_id.is_(None)))


class CaseWritesMixin:
    """The private plumbing of :class:`~app.services.cases.CaseService`."""

    @contextmanager
    def _acting(
        self: CaseService, action: str, case_id: int
    ) -> Iterator[tuple[Tx, Any, CaseState]]:
        """One act on one case: lock it, load it, refuse a recused actor, refresh after."""
        with self.tx(action) as t:
            case = lock_case(t.session, case_id)
            state = load_state(t.session, case)
            ensure(acts.access_problems(state, self.ctx.actor.person_id))
            if state.voided:
                raise NotFound(VOIDED)
            searched = case.search_text or ""
            yield t, case, state
            case.updated_at = self.ctx.now()
            case.row_version = (case.row_version or 0) + 1
            self._refresh(t.session, case)
            if (case.search_text or "") != searched:  # 第十条: the search finds no reporter
                ensure(searched_problems(t.session, self.vault, case.id, searched, case))

    def _refresh(self: CaseService, s: Session, case: Any) -> None:
        refresh_case(s, case, self.ctx.today(), self.masterdata.calendar())

    def _set_case(
        self: CaseService, t: Tx, case: Any, before: dict, after: dict, **fields: Any
    ) -> None:
        """An act that only writes on the case row: the fields, audited with ``before``."""
        for key, value in fields.items():
            setattr(case, key, value)
        t.audit("case", case.id, case_id=case.id, before=before, after=after)

    def _case_of(self: CaseService, model: Any, record_id: int, what: str) -> int:
        with self.db.read() as s:
            row = s.get(model, record_id)
            if row is None:
                raise NotFound(f"{what}不存在")
            return row.case_id

    def _add(self: CaseService, s: Session, model: Any, values: Mapping[str, Any]) -> Any:
        """A new stamped row of ``model``, flushed so that it has its id."""
        row = model(**values, **self._stamp())
        s.add(row)
        s.flush()
        return row

    def _insert(
        self: CaseService, t: Tx, model: Any, entity: str, values: Mapping[str, Any],
        audit: records.Builder, before: dict | None = None,
    ) -> int:  # fmt: skip
        """The act's one new row and its audit record (``audit`` builds the ``after``)."""
        self._ensure_words(t.session, values["case_id"], entity, values)
        row = self._add(t.session, model, values)
        t.audit(entity, row.id, case_id=values["case_id"], before=before, after=audit(values))
        return row.id

    def _ensure_words(
        self: CaseService, s: Session, case_id: int, entity: str, values: Mapping[str, Any]
    ) -> None:
        """第十条: a case record (evidence, a statement, the conduct found, the report's
        调查经过 and 态度, an item's 从轻减轻情节, what a service's 送达回证 prints, an
        extension's reason, a recusal's grounds: app.domain.reporter.RECORD_TEXTS) whose words
        name a reporter of the case's leads is refused, as the case's 问题摘要 is: its words stand in
        the case's detail and 案件办理记录 and in the papers the subject is served (调查报告,
        问责决定书, 送达回证, 回避决定书). A reporter the actor's key does not open is not checked."""
        ensure_record_words(s, self.vault, case_id, entity, values)

    def _ensure_reason(
        self: CaseService, s: Session, case_id: int, reason: str, field: str = "reason"
    ) -> None:
        """第十条: a case's reason (a correction's, kept with the old version; the 作废's; the
        延长办案期限's) naming a reporter of the case's leads is refused, as it stands in the
        audit record (app.domain.reporter.reason_problems); one the actor's key does not
        open is not checked, as the record's words are not."""
        ensure_reason(s, self.vault, case_id, reason, field)

    def _investigation_deadline(
        self: CaseService, start: date, days: int | None, until: date | None
    ) -> deadlines.Deadline:
        return deadlines.investigation_deadline(
            start, days=days, until=until, calendar=self.masterdata.calendar()
        )

    def _number(self: CaseService, s: Session, kind: str, day: date, case_id: int) -> str:
        settings = self.masterdata.settings()
        prefix = settings.doc_prefix if kind == KIND_DECISION else settings.review_doc_prefix
        return issue_number(
            s, kind, day.year, prefix, case_id=case_id, at=self.ctx.now(),
            by=self.ctx.actor.username,
        )  # fmt: skip

    def _new_decision(
        self: CaseService, s: Session, case_id: int, subject_id: int, sanction: SanctionSpec,
        decided_on: date, effective_on: date, facts: str, basis: str, number: str, *,
        meeting_id: int | None = None, version: int = 1, replaces_id: int | None = None,
        origin: DecisionOrigin = DecisionOrigin.PARTY_GROUP, period_from: date | None = None,
    ) -> Any:  # fmt: skip
        values = records.decision_row(
            case_id, subject_id, sanction, decided_on, effective_on, facts, basis, number,
            meeting_id=meeting_id, version=version, replaces_id=replaces_id, origin=origin,
            period_from=period_from,
        )  # fmt: skip
        self._ensure_release_holds(
            s, subject_id, period_start(values["effective_on"], period_from), values["sanction_end"],
            sanction.sanction_kind, number, replaces_id,
        )  # fmt: skip
        return self._add(s, models.Decision, values)

    def _ensure_release_holds(
        self: CaseService, s: Session, subject_id: int, effective_on: date,
        sanction_end: date | None, kind: str | None, number: str, replacing: int | None,
    ) -> None:  # fmt: skip
        """处分条例第十条、公务员法第六十五条: a sanction (made, corrected or changed on
        review) does not take effect within the period of the person's sanction already
        released (:func:`app.domain.release.released_run_problems`)."""
        sub = s.get(models.CaseSubject, subject_id)
        if not kind or sub is None or sub.person_id is None:
            return
        lock_person(s, sub.person_id)  # a release of his made at the same moment: waited for
        released = released_of(s, sub.person_id, self.ctx.hidden_case_ids(), replacing)
        new = LaterSanction(number, str(kind), effective_on, sanction_end)
        ensure(released_run_problems(new, released))

    def _add_member(
        self: CaseService, s: Session, case_id: int, person: Any, role: InvestigatorRole, on: date
    ) -> tuple[Any, dict[str, Any]]:
        values = records.member_row(case_id, person.id, role, person.name, on)
        return self._add(s, models.Investigator, values), values
