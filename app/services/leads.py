"""The lead register (Art. 6): anyone may report; the reporter is protected (Art. 10)."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import acts, dating, issuing
from app.domain import reporter as reporter_rules
from app.domain.enums import LeadChannel, LeadSource, SubjectKind
from app.domain.leads_disposition import (
    content_problems,
    link_problems,
    redate_problems,
    source_problems,
    unlink_problems,
    void_problems,
)
from app.domain.reporter import (
    DIGEST_KEY,
    TRAIL_MISMATCH,
    disposition_problems,
    is_anonymous,
    record_texts,
    reporter_digest,
    reporter_trail_matches,
)
from app.domain.reporter import case_text_problems as case_problems
from app.domain.reporter import content_problems as reporter_content_problems
from app.domain.rules import RuleViolation, ensure
from app.services import records
from app.services.base import (
    NotFound,
    ServiceBase,
    ServiceContext,
    check_role,
    view_of,
)
from app.services.dispositions import lead_state, live_case_id
from app.services.masterdata import clock_in
from app.services.numbers import KIND_LEAD, next_seq
from app.services.vault import (
    LeadBinding,
    ReporterIdentity,
    ReporterMismatch,
    ReporterVault,
    VaultLocked,
)
from app.storage.models import AuditRecord, Case, Lead, LeadDisposition, User

log = logging.getLogger(__name__)


def _ensure_still_granted(s: Session, user_id: int | None) -> None:
    """The data key a login unwrapped stays in that session's memory: an administrator's
    撤销 in another session must still end what it shows (Art. 10)."""
    if user_id is None:
        return
    row = s.execute(select(User.can_view_reporters).where(User.id == user_id)).first()
    if row is not None and not row.can_view_reporters:
        raise VaultLocked(
            "依据第十条，管理员已撤销您的“查看举报人信息”权限，不能再查看举报人信息"
            "（本次登录时取得的密钥已不再使用）"
        )


@dataclass(frozen=True)
class LeadView:
    """A lead as lists show it: no reporter identity, only whether one is on file."""

    id: int
    number: str
    received_on: date
    source: str
    channel: str
    content: str
    has_reporter: bool
    anonymous: bool
    case_id: int | None
    case_number: str
    voided: bool


class LeadService(ServiceBase):
    def __init__(self, ctx: ServiceContext, vault: ReporterVault) -> None:
        super().__init__(ctx)
        self.vault = vault

    def _check_received_on(self, received_on: date) -> None:
        """第六条: the day the lead came, within the bureau's dates. A moment (a script's, an
        import's) was stored as its day while the audit kept the moment, so the audit check
        reported the lead as edited around the application (check_date refuses it)."""
        from app.domain.leads_disposition import check_date

        with self.db.read() as s:
            clock = clock_in(s, self.ctx.today())
        ensure(check_date(received_on, "收到线索日期", clock, "第六条"))

    def _writable(self, s: Session, lead: Lead | None, case_id: int | None = None) -> Lead:
        """Art. 12: a lead of a case the actor is recused from is as closed as the case."""
        if lead is None or lead.voided:
            raise NotFound("线索不存在或已作废")
        hidden = self.ctx.hidden_ids(s)
        if lead.case_id in hidden or (case_id is not None and case_id in hidden):
            raise acts.hidden_refusal("该线索关联的案件")
        return lead

    def register_lead(
        self,
        *,
        received_on: date,
        source: LeadSource | str,
        channel: LeadChannel | str,
        content: str,
        reporter: ReporterIdentity | None = None,
        anonymous: bool = False,
    ) -> int:
        ensure(source_problems(source) + content_problems(content))
        self._check_received_on(received_on)
        source, channel = LeadSource(source), LeadChannel(channel)
        sealing = reporter is not None and not reporter.is_empty()
        if sealing and reporter is not None:
            ensure(reporter_content_problems(content, reporter.terms()))
            self.vault.ensure_unlocked()  # refused before a number is taken
        with self.tx("登记线索") as t:
            s = t.session
            seq = next_seq(s, KIND_LEAD, received_on.year)
            number = records.lead_number(received_on.year, seq)
            row = records.lead_row(number, received_on, source, channel, content, None, True)
            lead = Lead(**row, created_at=self.ctx.now(), created_by=self.ctx.actor.username)
            s.add(lead)
            s.flush()
            if sealing and reporter is not None:
                # Sealed once the id is known: the blob is bound to this lead.
                blob = self.vault.seal(reporter, LeadBinding(lead.id, number))
                row["reporter_blob"] = lead.reporter_blob = blob
                row["anonymous"] = lead.anonymous = is_anonymous(source, True, anonymous)
            t.audit("lead", lead.id, after=records.lead_audit(row))
            return lead.id

    def update_lead(
        self,
        lead_id: int,
        *,
        content: str | None = None,
        channel: LeadChannel | str | None = None,
        source: LeadSource | str | None = None,
        received_on: date | None = None,
        reporter: ReporterIdentity | None = None,
    ) -> None:
        if received_on is not None:
            self._check_received_on(received_on)
        with self.tx("修改线索") as t:
            s = t.session
            lead = self._writable(s, s.get(Lead, lead_id, with_for_update=True))
            before = {
                "content": lead.content,
                "channel": lead.channel,
                "source": lead.source,
                "received_on": lead.received_on,
            }
            if content is not None:
                ensure(content_problems(content))
                lead.content = content.strip()
            if channel is not None:
                lead.channel = LeadChannel(channel)
            if source is not None:
                ensure(source_problems(source))
                lead.source = LeadSource(source)
            if received_on is not None:
                # 第六条: the proposal and the closing of the case it is linked to, read once
                # (a voided case's closing answers nothing)
                proposed_on = closed_on = None
                if lead.case_id is not None:
                    proposed_on, closed_on, voided = s.execute(
                        select(Case.proposed_on, Case.closed_on, Case.voided).where(
                            Case.id == lead.case_id
                        )
                    ).one()
                    closed_on = None if voided else closed_on
                ensure(
                    dating.number_year_problems(
                        lead.number, received_on, "收到线索日期", "第六条",
                        "确属登记错误的，请作废该线索并注明原因后重新登记", "received_on",
                    )
                    + redate_problems(
                        lead.number, received_on, _first_disposed(s, lead.id), proposed_on,
                        lead.received_on, closed_on,
                    )
                )  # fmt: skip
                lead.received_on = received_on
            changed_reporter = ""
            if reporter is not None:
                old_blob = lead.reporter_blob
                if old_blob is not None:
                    # Art. 10: only who may see the reporter may change or clear him, and the
                    # identity replaced is kept sealed, bound to this lead, in the audit record.
                    check_role(self.ctx.actor, "查看举报人信息")
                    self.vault.ensure_unlocked()
                    kept = self._bound_copy(old_blob, lead)
                    before["reporter_sealed"] = base64.b64encode(kept).decode("ascii")
                lead.reporter_blob = (
                    None if reporter.is_empty() else self.vault.seal(reporter, _binding(lead))
                )
                changed_reporter = "（已清除）" if lead.reporter_blob is None else "（已更新）"
            if reporter is not None or source is not None:
                # 匿名 follows the source and the reporter on file (a 报告 is never anonymous);
                # a reporter written anew asked for nothing.
                asked = reporter is None and bool(lead.anonymous)
                lead.anonymous = is_anonymous(lead.source, lead.reporter_blob is not None, asked)
            if content is not None or reporter is not None:  # 第十条: what every user lists
                terms = self._content_terms(lead, reporter)
                ensure(reporter_content_problems(lead.content, terms))
            if reporter is not None:  # and the texts of its dispositions, listed with it
                ensure(disposition_problems(_disposition_texts(s, lead.id), reporter.terms()))
            # and the words of the case it is linked to, read once its row is ours: a case act
            # holding it may be writing words checked against the reporter of before
            linked = (
                s.get(Case, lead.case_id, with_for_update=True, populate_existing=True)
                if reporter and lead.case_id
                else None
            )
            if linked is not None:
                ensure(_case_words_problems(s, self.vault, linked))
            lead.updated_at = self.ctx.now()
            t.audit(
                "lead",
                lead.id,
                before=before,
                after={
                    "content": lead.content,
                    "channel": lead.channel,
                    "source": lead.source,
                    "received_on": lead.received_on,
                    "reporter": records.REDACTED + changed_reporter
                    if changed_reporter
                    else UNCHANGED_REPORTER,
                    DIGEST_KEY: reporter_digest(lead.reporter_blob),
                },
            )

    def link_lead(self, lead_id: int, case_id: int | None) -> None:
        with self.tx("关联线索与案件") as t:
            s = t.session
            lead = self._writable(s, s.get(Lead, lead_id, with_for_update=True), case_id)
            # The case locked too, as its acts lock it: one closed (结案归档) or voided at the same
            # moment is waited for and read, never given a lead after its own check.
            target = s.get(Case, case_id, with_for_update=True) if case_id is not None else None
            if case_id is not None and (target is None or target.voided):
                raise NotFound("案件不存在或已作废")
            if case_id is not None:
                closed = target is not None and target.closed_on is not None
                state = lead_state(s, lead)
                linked = live_case_id(s, lead)
                ensure(link_problems(lead.number, state, linked, case_id, case_closed=closed))
            current = (
                s.get(Case, lead.case_id, with_for_update=True)
                if lead.case_id is not None
                else None
            )
            if case_id is None and current is not None:
                ensure(
                    unlink_problems(
                        lead.number, current.number, source=_proposed_on(s, lead.id, current.id),
                        case_closed=current.closed_on is not None, case_voided=bool(current.voided),
                    )
                )  # fmt: skip
            before = lead.case_id
            lead.case_id = case_id
            if target is not None:  # 第十条: its words name none of its leads' reporters
                ensure(_case_words_problems(s, self.vault, target))
            t.audit(
                "lead",
                lead.id,
                case_id=case_id,
                before={"case_id": before},
                after={"case_id": case_id},
            )

    def void_lead(self, lead_id: int, reason: str) -> None:
        with self.tx("作废线索") as t:
            lead = self._writable(t.session, t.session.get(Lead, lead_id, with_for_update=True))
            case = t.session.get(Case, lead.case_id) if lead.case_id is not None else None
            ensure(
                void_problems(lead.number, case.number if case is not None else None, reason)
                # 第十条: the reason is listed with the lead and kept in the audit trail
                + disposition_problems({"void_reason": reason}, self._content_terms(lead, None))
            )
            lead.voided = True
            lead.void_reason = reason.strip()
            t.audit(
                "lead", lead.id, before={"voided": False}, after={"voided": True, "reason": reason}
            )

    def list_leads(self, *, include_voided: bool = False) -> list[LeadView]:
        with self.db.read() as s:
            q = (
                select(Lead, Case.number)
                .outerjoin(Case, Case.id == Lead.case_id)
                .order_by(Lead.received_on.desc(), Lead.id.desc())
            )
            if not include_voided:
                q = q.where(Lead.voided.is_(False))
            hidden = self.ctx.hidden_ids(s)
            # Neither the number nor the content of a lead of a hidden case is listed.
            return [_view(lead, num) for lead, num in s.execute(q) if lead.case_id not in hidden]

    def get_lead(self, lead_id: int) -> LeadView:
        with self.db.read() as s:
            row = s.execute(
                select(Lead, Case.number)
                .outerjoin(Case, Case.id == Lead.case_id)
                .where(Lead.id == lead_id)
            ).first()
            if row is None or row[0].case_id in self.ctx.hidden_ids(s):
                raise NotFound("线索不存在")
            return _view(*row)

    def reveal_reporter(self, lead_id: int) -> ReporterIdentity | None:
        """Decrypt the reporter for an authorised user; every reveal is audited (Art. 10).

        A blob that does not open for this lead (copied from another lead, or damaged) is
        not shown: the refusal is audited and logged — naming the lead, never a reporter —
        and :class:`ReporterMismatch` is raised once that record is committed. A legacy
        blob (sealed before the lead binding) is re-sealed bound to this lead, in the same
        audited transaction. A blob that opens but is not the one the trail last recorded
        for the lead (app.domain.reporter) is refused the same way."""
        refused: ReporterMismatch | None = None
        with self.tx("查看举报人信息") as t:
            lead = t.session.get(Lead, lead_id)
            if lead is None or lead.case_id in self.ctx.hidden_ids(t.session):
                raise NotFound("线索不存在")
            _ensure_still_granted(t.session, self.ctx.actor.user_id)
            identity: ReporterIdentity | None = None
            after: dict[str, object] = {"revealed": False}
            audited = self._audited_digest(t.session, lead)
            if lead.reporter_blob is not None:
                try:
                    identity, bound = self.vault.unseal(lead.reporter_blob, _binding(lead))
                except ReporterMismatch as exc:
                    refused = exc
                    after["refused"] = "举报人信息与该线索不符"
                    log.warning(
                        "reporter blob of lead %s (%s) does not open for that lead; not shown",
                        lead.id, lead.number,
                    )  # fmt: skip
            if refused is None and not reporter_trail_matches(lead.reporter_blob, audited):
                # This lead's own older blob put back, or the blob cleared, in the file.
                identity, refused = None, ReporterMismatch(TRAIL_MISMATCH)
                after["refused"] = "举报人信息与审计记录不符"
                log.warning("reporter blob of lead %s (%s) is not the audited one; not shown",
                            lead.id, lead.number)  # fmt: skip
            elif identity is not None:
                after["revealed"] = True
                if not bound:
                    lead.reporter_blob = self.vault.seal(identity, _binding(lead))
                    after["rebound"] = "旧格式举报人信息已重新加密并绑定本线索"
                    after[DIGEST_KEY] = reporter_digest(lead.reporter_blob)
            t.audit("lead", lead.id, after=after)
        if refused is not None:
            raise refused
        return identity

    def _content_terms(self, lead: Lead, reporter: ReporterIdentity | None) -> list[str]:
        """第十条: the identity the lead's content must not carry — the reporter just given,
        else the one on file as far as the key opens it (a user without the key cannot check
        it: his edit of the content is not refused)."""
        if reporter is not None:
            return reporter.terms()
        if lead.reporter_blob is None:
            return []
        try:
            return self.vault.open(lead.reporter_blob, _binding(lead)).terms()
        except (VaultLocked, ReporterMismatch):
            return []

    def _audited_digest(self, s: Session, lead: Lead) -> str | None:
        from app.services.auditkey import keyring

        return _audited_digest(s, lead, keyring(self.db).key)

    def _bound_copy(self, blob: bytes, lead: Lead) -> bytes:
        """The blob to keep in an audit record: a legacy blob that opens is re-sealed bound to
        ``lead`` (an unbound copy in the audit trail could be planted on any lead); any other
        blob is kept as it is (bound already, or evidence of a tampered row)."""
        try:
            identity, bound = self.vault.unseal(blob, _binding(lead))
        except ReporterMismatch:
            return blob
        return blob if bound else self.vault.seal(identity, _binding(lead))

    def reporter_problems(
        self,
        case_id: int,
        text: str,
        *,
        for_subject: bool = True,
        bound: Iterable[int] | None = None,
    ) -> list[RuleViolation]:
        """第十条: the refusal of ``text`` (a document about to be issued: for the subject,
        or ``for_subject`` False another) naming a reporter of one of the case's leads. The
        identities never leave this method; a reporter the vault does not open (a user
        holding no key) cannot be checked, and is refused. A case the actor is recused from
        is refused (第十二条), as every act on it is. ``bound`` (a 卷宗's, else None): the issued
        documents it binds, read with it (one issued before the lead was linked may name its
        reporter)."""
        with self.db.read() as s:
            if case_id in self.ctx.hidden_ids(s):
                raise acts.hidden_refusal("该案件")
            identities = reporter_terms(s, self.vault, [case_id]).get(case_id, [])
            papers = _bound_texts(s, case_id, bound or ())
        text = "\n".join([text, *papers])
        return issuing.reporter_problems(
            text, identities, for_subject=for_subject, dossier=bound is not None
        )


def reporter_terms(
    s: Session, vault: ReporterVault | None, case_ids: list[int]
) -> dict[int, list[str] | None]:
    """第十条: by case, the identities of the reporters of its leads (name, telephone, ID
    number, a specific address: ``ReporterIdentity.terms``). Only the rules that keep them out of a
    text (a document for the subject, an export) read them; they are never shown. A case
    with a reporter ``vault`` does not open (locked or absent: a user without 查看举报人信息;
    a blob that does not open for its lead) maps to None — it cannot be checked, and those
    rules withhold or refuse rather than let an unchecked text out (a case with no reporter
    on file is absent: nothing to check)."""
    out: dict[int, list[str] | None] = {}
    if not case_ids:
        return out
    # The key read once for all (a key file was read again for each reporter), and of each
    # lead only what opens its blob: an export's check reads every reporter on file.
    vault = vault.read_once() if isinstance(vault, ReporterVault) else vault
    for lead_id, number, case_id, blob in s.execute(
        select(Lead.id, Lead.number, Lead.case_id, Lead.reporter_blob).where(
            Lead.case_id.in_(case_ids), Lead.reporter_blob.is_not(None)
        )
    ):
        try:
            if vault is None:
                raise VaultLocked()
            who = vault.open(blob, LeadBinding(lead_id, number))
        except (VaultLocked, ReporterMismatch):
            out[case_id] = None
            continue
        terms = out.setdefault(case_id, [])
        if terms is not None:
            found = who.terms()
            if who.unit:  # its own staff reported by a unit: named as their unit (第六条)
                found = issuing.own_unit_terms(found, who.name, _subject_units(s, case_id))
            else:  # a person named as a subject is, in the case's papers, that subject
                found = issuing.subject_name_terms(found, who.name, _subject_names(s, case_id))
            terms.extend(found)
    return out


def case_text_problems(
    s: Session, vault: ReporterVault | None, case_id: int, texts: dict[str, str], number: str = ""
) -> list[RuleViolation]:
    """第十条: the refusal of a case's 问题摘要 or 提出人 (``texts``) naming a reporter of its
    leads as linked in ``s`` (app.domain.reporter.case_text_problems; ``number``: said when a
    lead is being linked to it). A reporter the vault does not open (a user without 查看举报人信息)
    cannot be checked, as a lead's content he edits is not: his words are not refused — the
    ledger and the documents still keep them out (``reporter_terms``)."""
    s.flush()
    terms = reporter_terms(s, vault, [case_id]).get(case_id, [])
    return [] if terms is None else case_problems(texts, terms, case_number=number)


def ensure_record_words(
    s: Session, vault: ReporterVault | None, case_id: int, entity: str, values: Mapping[str, Any]
) -> None:
    """第十条: refuse a case record (``entity``: app.domain.reporter.RECORD_TEXTS, by its
    ``values``) whose words name a reporter of the case's leads: its words stand in the case's
    detail and history and in the papers the subject is served. A reporter the vault does not
    open is not checked."""
    texts = reporter_rules.record_texts(entity, values)
    if texts:
        ensure(case_text_problems(s, vault, case_id, texts))


def ensure_reason(
    s: Session, vault: ReporterVault | None, case_id: int, reason: str, field: str = "reason"
) -> None:
    """第十条: refuse a case's reason (``field``: app.domain.reporter.REASONS) naming a reporter
    of its leads, as it stands in clear with the case and in the audit record; one the vault
    does not open is not checked."""
    s.flush()
    terms = reporter_terms(s, vault, [case_id]).get(case_id, [])
    if terms:
        ensure(reporter_rules.reason_problems(reason, terms, field))


def searched_problems(
    s: Session, vault: ReporterVault | None, case_id: int, before: str, case: Case
) -> list[RuleViolation]:
    """第十条: the refusal of an act on ``case`` whose words brought a reporter of its leads
    into what the case search reads (``before``: that text before the act). A reporter the
    vault does not open cannot be checked (a user without 查看举报人信息), as for the summary."""
    terms = reporter_terms(s, vault, [case_id]).get(case_id, [])
    if not terms:
        return []
    return reporter_rules.searched_text_problems(before, case.search_text or "", terms)


def _case_words_problems(s: Session, vault: ReporterVault, case: Case) -> list[RuleViolation]:
    """第十条: a lead linked to ``case``, or its reporter written anew, while the case's
    问题摘要, 提出人, report's 认定事实 or decisions' facts — what its list and search read —
    name him (``case_text_problems``, the case named in the refusal)."""
    from app.services.case_store import searched_facts

    findings, facts = searched_facts(s, case.id)
    texts = {
        "summary": case.summary or "",
        "proposer_name": case.proposer_name or "",
        "findings": findings or "",
        "facts": "\n".join(facts),
    }
    texts.update(_record_words(s, case.id))
    return case_text_problems(s, vault, case.id, texts, case.number)


def _record_words(s: Session, case_id: int) -> dict[str, str]:
    """第十条: the words of the case's current records its papers state (its evidence not
    voided, statements, conduct found, the report's 调查经过 and 态度 and its items' 从轻减轻情节,
    the words its 送达回证 print, its extensions' and recusals' reasons, the 复核申请's grounds,
    the 复核决定's facts and reasons, a release's 表现 and 备注), by the field a refusal names."""
    from app.storage import models as m

    queries: dict[str, Any] = {
        "report_item": select(m.ReportItem)
        .join(m.Report)
        .where(m.Report.case_id == case_id, m.Report.superseded_by_id.is_(None)),
    }
    for model, entity in ((m.Evidence, "evidence"), (m.Statement, "statement"),
                          (m.ConductFinding, "conduct"), (m.Report, "report"),
                          (m.Service, "service"), (m.Extension, "extension"),
                          (m.Recusal, "recusal"), (m.ReviewApplication, "review_application"),
                          (m.ReviewDecision, "review_decision"),
                          (m.SanctionRelease, "sanction_release")):  # fmt: skip
        query = select(model).where(model.case_id == case_id)
        if hasattr(model, "superseded_by_id"):  # others have no versions (corrected in place)
            query = query.where(model.superseded_by_id.is_(None))
        queries[entity] = query
    out: dict[str, list[str]] = {}
    for entity, query in queries.items():
        for row in s.scalars(query):
            if getattr(row, "voided", False):
                continue
            for field, text in record_texts(entity, vars(row)).items():
                out.setdefault(field, []).append(text)
    return {field: "\n".join(texts) for field, texts in out.items()}


def _disposition_texts(s: Session, lead_id: int) -> dict[str, str]:
    """The free texts of a lead's dispositions every user reads with the lead, by field
    (app.domain.reporter.DISPOSITION_FIELDS): what a reporter written onto it is checked
    against (第十条)."""
    fields = ("reason", "report_text", "correction_reason", "approver", "approval_ref")
    columns = [getattr(LeadDisposition, f) for f in fields]  # 审批人/审批依据 too (2896cb2)
    rows = s.execute(select(*columns).where(LeadDisposition.lead_id == lead_id)).all()
    return {f: "\n".join(row[i] or "" for row in rows) for i, f in enumerate(fields)}


def _subject_names(s: Session, case_id: int) -> list[str]:
    """The names of the persons the case holds to account, as on record."""
    from app.storage.models import CaseSubject

    query = select(CaseSubject.name).where(
        CaseSubject.case_id == case_id, CaseSubject.kind == SubjectKind.PERSON
    )
    return list(s.scalars(query))


def _subject_units(s: Session, case_id: int) -> list[str]:
    """The units the case's subjects belong to (a unit subject is its own), as on record."""
    from app.storage.models import CaseSubject, Unit

    rows = s.execute(
        select(CaseSubject.kind, CaseSubject.name, CaseSubject.unit_name, Unit.name)
        .outerjoin(Unit, Unit.id == CaseSubject.unit_id)
        .where(CaseSubject.case_id == case_id)
    )
    return [
        name
        for kind, own, *units in rows
        for name in (*units, "" if kind == SubjectKind.PERSON else own)
        if name
    ]


def export_reporter_problems(
    s: Session,
    vault: ReporterVault | None,
    document_ids: Iterable[int],
    verb: str = "导出",
    name: str = "",
) -> list[RuleViolation]:
    """第十条: the refusals of issued documents about to leave the system (``document_ids``)
    that name a reporter of their case's leads (``issuing.export_problems``), and of the
    file or folder ``name`` the officer gave them, which the export's audit records keep.
    Only cases with a reporter on file are read, so an export of documents without one
    reads nothing more than before."""
    from app.documents.compose import plain_text
    from app.storage.models import IssuedDocument

    wanted = sorted(set(document_ids))
    reported = select(Lead.case_id).where(
        Lead.reporter_blob.is_not(None), Lead.case_id.is_not(None)
    )
    out: list[RuleViolation] = []
    every: list[list[str] | None] = []  # each exported case's reporters: the name's check
    for at in range(0, len(wanted), EXPORT_CHUNK):
        # The documents asked for, of cases with a reporter: one case's export read every
        # document of every such case (2.5 s of a 10,000-case database's 5.5 s).
        docs = list(
            s.execute(
                select(
                    IssuedDocument.id, IssuedDocument.case_id, IssuedDocument.content, Case.number
                )
                .join(Case, Case.id == IssuedDocument.case_id)
                .where(
                    IssuedDocument.id.in_(wanted[at : at + EXPORT_CHUNK]),
                    IssuedDocument.case_id.in_(reported),
                )
                .order_by(IssuedDocument.id)
            )
        )
        terms = reporter_terms(s, vault, sorted({d.case_id for d in docs}))
        every += terms.values()
        for d in docs:
            title = str((d.content or {}).get("title", ""))
            bound = (d.content or {}).get("documents") or ()  # a 卷宗's bound papers
            text = "\n".join([plain_text(d.content), *_bound_texts(s, d.case_id, bound)])
            found = terms.get(d.case_id, ())
            out += issuing.export_problems(d.number, title, text, found, verb)
        unread = [d for d in docs if d.case_id in terms and terms[d.case_id] is None]
        for d in _issued_before_reporter(s, unread):
            title = str((d.content or {}).get("title", ""))
            out += issuing.unchecked_export_problems(d.number, title, verb)
    if name and not out:
        out += issuing.export_name_problems(name, every, verb)
    return out


#: The lead acts that give a case a reporter its issued papers were not checked against: a
#: lead linked to it, a reporter written onto a linked lead (第十条).
REPORTER_ACTS = ("关联线索与案件", "修改线索")
#: What a 修改线索 record says of a reporter it left as he was (update_lead).
UNCHANGED_REPORTER = "未改动"


def _issued_before_reporter(s: Session, docs: list[Any]) -> list[Any]:
    """Those of ``docs`` (rows with ``id`` and ``case_id``) issued before a lead of their case
    with a reporter on file was linked to it or had its reporter written: the check at issue
    did not read that reporter (by the audit trail's order)."""
    if not docs:
        return []
    cases = sorted({d.case_id for d in docs})
    last: dict[int, int] = {}
    for case_id, seq, action, after in s.execute(
        select(Lead.case_id, AuditRecord.seq, AuditRecord.action, AuditRecord.after)
        .join(AuditRecord, AuditRecord.entity_id == Lead.id)
        .where(
            AuditRecord.entity == "lead",
            AuditRecord.action.in_(REPORTER_ACTS),
            Lead.case_id.in_(cases),
            Lead.reporter_blob.is_not(None),
        )
    ):
        if action == "修改线索" and (after or {}).get("reporter") == UNCHANGED_REPORTER:
            continue  # its 内容, 来源 or date edited: the reporter the issue checked is his
        last[case_id] = max(seq, last.get(case_id, 0))
    issued = dict(
        s.execute(
            select(AuditRecord.entity_id, func.min(AuditRecord.seq))
            .where(
                AuditRecord.entity == "document",
                AuditRecord.entity_id.in_([d.id for d in docs]),
            )
            .group_by(AuditRecord.entity_id)
        ).all()
    )
    return [
        d for d in docs if last.get(d.case_id) is not None and last[d.case_id] > issued.get(d.id, 0)
    ]


def report_name_problems(
    s: Session, vault: ReporterVault | None, name: str, visible: Any
) -> list[RuleViolation]:
    """第十条: the file name of a report (月报, 台账) the officer chose, which its export's
    audit record keeps, may not carry a reporter of the leads of the cases it covers
    (``visible``: the condition on ``Case`` of those the officer may see). Only cases with a
    reporter on file are read; the refusal names neither the file nor the reporter."""
    cases = sorted(
        set(
            s.scalars(
                select(Lead.case_id)
                .join(Case, Case.id == Lead.case_id)
                .where(Lead.reporter_blob.is_not(None), visible)
            )
        )
    )
    every: list[list[str] | None] = []
    for at in range(0, len(cases), EXPORT_CHUNK):
        every += reporter_terms(s, vault, cases[at : at + EXPORT_CHUNK]).values()
    return issuing.export_name_problems(name, every, whose="所统计案件的", what="报表")


#: Cases per query of :func:`export_reporter_problems` (bound parameters stay few).
EXPORT_CHUNK = 2000


def _bound_texts(s: Session, case_id: int, ids: Iterable[int]) -> list[str]:
    """第十条: the words of the issued documents of case ``case_id`` a 卷宗 binds (``ids``):
    each was checked when it was issued, against the reporters then on file — a lead linked
    since, or its reporter entered since, was not among them, and the dossier prints them."""
    from app.documents.compose import plain_text
    from app.storage.models import IssuedDocument

    listed = ids if isinstance(ids, list | tuple) else ()
    wanted = sorted({i for i in listed if isinstance(i, int) and not isinstance(i, bool)})
    if not wanted:
        return []
    rows = s.scalars(
        select(IssuedDocument.content).where(
            IssuedDocument.id.in_(wanted), IssuedDocument.case_id == case_id
        )
    )
    return [plain_text(c) for c in rows if isinstance(c, dict)]


def _audited_digest(s: Session, lead: Lead, key: bytes | None) -> str | None:
    """The blob digest the last audit record writing this lead's reporter names (None: no
    record names one — a lead written by an earlier version). With the audit key in memory
    that record's seal must hold, or it vouches for nothing ("")."""
    from app.services.account_trail import record_sealed

    records_ = s.scalars(
        select(AuditRecord)
        .where(AuditRecord.entity == "lead", AuditRecord.entity_id == lead.id)
        .order_by(AuditRecord.seq.desc())
    )
    for rec in records_:
        after = rec.after if isinstance(rec.after, dict) else {}
        if DIGEST_KEY in after:
            sealed = record_sealed(s, rec, key)
            return str(after[DIGEST_KEY]) if sealed else ""
    return None


def _binding(lead: Lead) -> LeadBinding:
    return LeadBinding(lead.id, lead.number)


def _view(lead: Lead, case_number: str | None) -> LeadView:
    has_reporter = lead.reporter_blob is not None
    return view_of(
        LeadView,
        lead,
        has_reporter=has_reporter,
        # Read by the rule: a 报告 stored as 匿名 by an earlier version is none.
        anonymous=is_anonymous(lead.source, has_reporter, bool(lead.anonymous)),
        case_number=case_number or "",
    )


def _first_disposed(s: Session, lead_id: int) -> date | None:
    return s.scalar(
        select(func.min(LeadDisposition.decided_on)).where(
            LeadDisposition.lead_id == lead_id, LeadDisposition.superseded_by_id.is_(None)
        )
    )


def _proposed_on(s: Session, lead_id: int, case_id: int) -> bool:
    """Whether case ``case_id`` was proposed on lead ``lead_id``: the proposal's audit record
    (records.proposal_audit) lists the leads it named."""
    query = select(AuditRecord.after).where(
        AuditRecord.case_id == case_id,
        AuditRecord.entity == "case",
        AuditRecord.entity_id == case_id,
    )
    return any(
        lead_id in ((after or {}).get("main", after) or {}).get("leads", [])
        for after in s.scalars(query)
    )
