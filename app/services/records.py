"""The rows and audit payloads of every case act, built once.

:class:`~app.services.cases.CaseService` turns these dicts into ORM objects one act at a
time; the batch demo (:mod:`app.services.bulk`) writes the very same dicts with
executemany. Each builder takes plain values (specs, names, ids) and returns the column
values of one row (without ``id`` and the ``created_at``/``created_by`` stamp) or the
``after`` payload of the act's audit record. The golden test
(``tests/unit/test_golden_bulk.py``) compares both paths row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from app.domain import deadlines, rules
from app.domain.case import (
    CaseState,
    DecisionOrigin,
    MeetingOutcome,
    MemberStatus,
    ReviewStatus,
)
from app.domain.case import replaced as replace  # dataclasses.replace, faster
from app.domain.enums import (
    DecisionStatus,
    InvestigatorRole,
    LeadChannel,
    LeadSource,
    MeetingKind,
    ReviewOutcome,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.reporter import DIGEST_KEY, is_anonymous, reporter_digest
from app.domain.signing import HeadOf, signer
from app.services.case_store import sanction_fields

REDACTED = "[已加密]"

Builder = Callable[[Mapping[str, Any]], dict[str, Any]]
"""An audit payload built from the row just written."""


def _pick(row: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """The named columns of a row as they were written: what most audit records keep."""
    return {k: row[k] for k in keys}


def _stripped(spec: Any, *names: str) -> dict[str, str]:
    """The named free-text fields of a spec, trimmed as every row stores them."""
    return {n: getattr(spec, n).strip() for n in names}


def case_number(year: int, seq: int) -> str:
    return f"WZ{year}-{seq:04d}"


def lead_number(year: int, seq: int) -> str:
    return f"XS{year}-{seq:04d}"


# ----------------------------------------------------------------------------- 线索
def lead_row(
    number: str,
    received_on: date,
    source: LeadSource,
    channel: LeadChannel,
    content: str,
    blob: bytes | None,
    anonymous: bool = False,
) -> dict[str, Any]:
    return {
        "number": number,
        "received_on": received_on,
        "source": source,
        "channel": channel,
        "content": content.strip(),
        "reporter_blob": blob,
        "anonymous": is_anonymous(source, blob is not None, anonymous),
    }


LEAD_AUDITED = ("number", "received_on", "source", "channel", "content")
"""The lead row's columns its audit record keeps as written (replay checks them)."""

DISPOSITION_AUDITED = (
    "lead_id", "kind", "decided_on", "approver", "approval_ref", "reason", "revisit_on",
    "due_on", "completed_on", "report_text", "outcome", "follows_id",
)  # fmt: skip
"""A lead disposition's columns its audit records keep as written (replay checks them: the
monthly figures and the due list read them, 第二十一条)."""


def lead_audit(row: Mapping[str, Any]) -> dict[str, Any]:
    """The lead as registered; the reporter only as "on file" and the digest of its blob
    (app.domain.reporter: a blob cleared or swapped in the file is found)."""
    return _pick(row, *LEAD_AUDITED) | {
        "reporter": REDACTED if row["reporter_blob"] else "",
        DIGEST_KEY: reporter_digest(row["reporter_blob"]),
    }


# ----------------------------------------------------------------------------- 1 提出问责
def case_row(spec: rules.ProposalSpec, number: str) -> dict[str, Any]:
    return {
        "number": number,
        "stage": Stage.PROPOSED,
        "proposer_type": str(spec.proposer_type),
        "proposer_name": spec.proposer_name.strip(),
        "proposed_on": spec.proposed_on,
        "behaviour_type": str(spec.behaviour_type),
        "behaviour_subtype": spec.behaviour_subtype or "",
        "fault": str(spec.fault),
        "consequences": [str(c) for c in spec.consequences],
        "summary": spec.summary.strip(),
    }


def person_subject_row(
    case_id: int, pos: int, person_id: int, name: str, unit_id: int | None, unit_name: str,
    post: str, is_leader: bool,
) -> dict[str, Any]:  # fmt: skip
    return {
        "case_id": case_id,
        "position": pos,
        "kind": SubjectKind.PERSON,
        "person_id": person_id,
        "unit_id": unit_id,
        "name": name,
        "unit_name": unit_name,
        "post": post,
        "is_leader": is_leader,
    }


def unit_subject_row(
    case_id: int, pos: int, kind: SubjectKind, unit_id: int, name: str
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "position": pos,
        "kind": kind,
        "unit_id": unit_id,
        "name": name,
        "unit_name": name,
    }


def ground_rows(case_id: int, grounds: Sequence[tuple[int, int]]) -> list[dict[str, Any]]:
    return [
        {"case_id": case_id, "article": art, "clause": clause}
        for art, clause in sorted(set(grounds))
    ]


PROPOSAL_AUDITED = ("proposer_type", "proposer_name", "behaviour_type", "behaviour_subtype",
                    "fault", "consequences")  # fmt: skip
"""The case row's proposal columns its audit record keeps (a correction names them too)."""


def subject_audit(sub: Mapping[str, Any]) -> dict[str, Any]:
    """A subject row as its documents print it: kind, unit, post and leader flag (a unit
    subject's row has no post), and whom it stands for."""
    return {
        "kind": str(sub["kind"]),
        "person_id": sub.get("person_id"),
        "unit_id": sub.get("unit_id"),
        "unit_name": sub.get("unit_name", ""),
        "post": sub.get("post", ""),
        "is_leader": bool(sub.get("is_leader", False)),
    }


def proposal_audit(
    row: Mapping[str, Any],
    spec: rules.ProposalSpec,
    subjects: Sequence[Mapping[str, Any]],
    unit_heads: Iterable[int] = (),
) -> dict[str, Any]:
    """``subjects``: the subject rows as stored (their names are the roster's, which replay
    compares with the table); ``unit_heads``: the heads of the unit subjects when the case
    was proposed, who keep their interest in it after the roster moves them (Art. 12 with
    Art. 4, CaseState)."""
    return {
        "number": row["number"],
        "proposer": [row["proposer_type"], row["proposer_name"]],
        # What the 启动问责审批表 and the decisions print (replay compares each with the row).
        **_pick(row, *PROPOSAL_AUDITED),
        "proposed_on": spec.proposed_on,
        "subjects": [sub["name"] for sub in subjects],
        "subject_rows": [subject_audit(sub) for sub in subjects],
        "grounds": sorted(set(spec.grounds)),
        "leads": list(spec.lead_ids),
        "summary": row["summary"],
        "unit_heads": sorted(unit_heads),
    }


# ----------------------------------------------------------------------------- 2 党组决定启动
def initiation_meeting_row(case_id: int, spec: rules.InitiationSpec) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "kind": MeetingKind.INITIATION,
        "meeting_date": spec.meeting_date,
        "minutes_ref": spec.minutes_ref.strip(),
        "outcome": MeetingOutcome.START if spec.start else MeetingOutcome.NOT_START,
        "reason": spec.reason.strip(),
        "investigation_days": spec.investigation_days,
        "investigation_until": spec.investigation_until,
    }


def initiation_case_changes(spec: rules.InitiationSpec, deadline: date | None) -> dict[str, Any]:
    """What the meeting's outcome writes on the case row."""
    if spec.start:
        return {"opened_on": spec.meeting_date, "investigation_deadline": deadline}
    return {"closed_on": spec.meeting_date, "close_note": spec.reason.strip()}


MEETING_AUDITED = ("meeting_date", "minutes_ref", "outcome", "reason")
"""The meeting row's columns its audit record keeps (replay checks them)."""


def initiation_audit(meeting: Mapping[str, Any], investigation_deadline: date | None) -> dict:
    return _pick(meeting, *MEETING_AUDITED) | {"investigation_deadline": investigation_deadline}


# ----------------------------------------------------------------------------- 3 调查核实
def member_row(
    case_id: int, person_id: int, role: InvestigatorRole, name: str, declared_on: date
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "person_id": person_id,
        "role": role,
        "name": name,
        "no_conflict_declared": True,
        "declared_on": declared_on,
        "status": MemberStatus.ACTIVE,
    }


MEMBER_AUDITED = ("person_id", "name", "role", "declared_on", "status")
"""The investigator row's columns its audit record keeps, its enums by their values."""


def member_audit(row: Mapping[str, Any]) -> dict[str, Any]:
    return _pick(row, *MEMBER_AUDITED) | {
        "role": InvestigatorRole(row["role"]).value,
        "declared_no_conflict": True,
        "status": MemberStatus(row["status"]).value,
    }


def member_label(role: InvestigatorRole) -> str:
    return "指派调查人员" if role is InvestigatorRole.INVESTIGATOR else "指派复核人员"


def recusal_row(case_id: int, spec: rules.RecusalSpec, person_name: str) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "person_id": spec.person_id,
        "person_name": person_name,
        "role": spec.role,
        "mode": str(spec.mode),
        "applicant": spec.applicant.strip(),
        "grounds": spec.grounds.strip(),
        "verdict": str(spec.verdict),
        "decided_on": spec.decided_on,
        "replacement_person_id": spec.replacement_person_id,
    }


RECUSAL_AUDITED = ("person_id", "role", "mode", "applicant", "verdict", "grounds", "decided_on")
"""The recusal row's columns its audit record keeps (with the person's name and whom he was
replaced by); replay checks them: the rules take who withdrew from ``person_id``."""


def recusal_audit(row: Mapping[str, Any], replaced: str | None) -> dict[str, Any]:
    return {"person": row["person_name"]} | _pick(row, *RECUSAL_AUDITED) | {"replacement": replaced}


def evidence_row(
    case_id: int,
    title: str,
    description: str,
    collected_on: date | None,
    attachment: Any = None,
) -> dict[str, Any]:
    """``attachment`` is a stored file (name, path, sha256, size) or None."""
    return {
        "case_id": case_id,
        "title": title.strip(),
        "description": description.strip(),
        "collected_on": collected_on,
        "attachment_name": attachment.name if attachment else "",
        "attachment_path": attachment.path if attachment else "",
        "sha256": attachment.sha256 if attachment else "",
        "size": attachment.size if attachment else 0,
    }


EVIDENCE_AUDITED = ("title", "collected_on", "sha256", "size")
"""The evidence row's columns its audit record keeps (with the attachment's name)."""


def evidence_audit(row: Mapping[str, Any]) -> dict[str, Any]:
    return _pick(row, *EVIDENCE_AUDITED) | {"attachment": row["attachment_name"]}


def statement_row(
    case_id: int, subject_id: int, kind: StatementKind, made_on: date, content: str
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "subject_id": subject_id,
        "kind": kind,
        "made_on": made_on,
        "content": content.strip(),
    }


STATEMENT_AUDITED = ("subject_id", "kind", "made_on", "content")
"""The statement row's columns its audit record keeps, its kind by its value; whom it heard
by id too (since review 42: the rules of 第十一条 read the id, and a row moved to another
subject with SQL went unseen while the record named the subject only by name)."""


def statement_audit(subject_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "subject": subject_name,
        **_pick(row, *STATEMENT_AUDITED),
        "kind": StatementKind(row["kind"]).value,
    }


def statement_before(old_id: int | None, old_kind: str | None) -> dict[str, Any] | None:
    return None if old_id is None else {"id": old_id, "kind": old_kind}


def conduct_row(
    case_id: int, subject_id: int, cooperative: bool, description: str, found_on: date
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "subject_id": subject_id,
        "cooperative": cooperative,
        "description": description.strip(),
        "found_on": found_on,
    }


CONDUCT_AUDITED = ("subject_id", "cooperative", "description", "found_on")
"""The conduct finding's columns its audit record keeps (replay checks them; subject_id since
review 42, as for statements — an older record names the subject only by name)."""


def conduct_audit(subject_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {"subject": subject_name} | _pick(row, *CONDUCT_AUDITED)


def extension_row(
    case_id: int, old: date, new: date, approved_on: date | None, reason: str
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "old_deadline": old,
        "new_deadline": new,
        "approved_on": approved_on,
        "reason": reason.strip(),
    }


def extension_audit(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"investigation_deadline": row["new_deadline"], "approved_on": row["approved_on"]}


# ----------------------------------------------------------------------------- 4 调查报告
REPORT_TEXTS = ("findings", "course", "attitude", "legal_basis")
"""The report's free texts: stored trimmed, audited as stored (replay checks them)."""


def report_row(case_id: int, spec: rules.ReportSpec) -> dict[str, Any]:
    return {"case_id": case_id, "report_date": spec.report_date, **_stripped(spec, *REPORT_TEXTS)}


def _report_item(item: rules.ReportItemSpec) -> dict[str, Any]:
    """One subject's item of the report, as its row stores it and its audit keeps it."""
    return {
        "subject_id": item.subject_id,
        "responsibility": str(item.responsibility),
        "mitigation": item.mitigation.strip(),
        **sanction_fields(item.recommendation),
    }


def report_item_rows(report_id: int, spec: rules.ReportSpec) -> list[dict[str, Any]]:
    return [{"report_id": report_id, **_report_item(item)} for item in spec.items]


def report_audit(spec: rules.ReportSpec) -> dict[str, Any]:
    """The report's texts and its items as stored, so replay can compare every column."""
    return {
        "report_date": spec.report_date,
        **_stripped(spec, *REPORT_TEXTS),
        "items": [_report_item(i) for i in spec.items],
    }


# ----------------------------------------------------------------------------- 5 党组处理决定
def decision_meeting_row(case_id: int, spec: rules.DecisionSpec) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "kind": MeetingKind.DECISION,
        "meeting_date": spec.meeting_date,
        "minutes_ref": spec.minutes_ref.strip(),
        "outcome": spec.sanction.outcome.value,
    }


def decision_row(
    case_id: int,
    subject_id: int,
    sanction: rules.SanctionSpec,
    decided_on: date,
    effective_on: date,
    facts: str,
    basis: str,
    number: str,
    *,
    meeting_id: int | None = None,
    version: int = 1,
    replaces_id: int | None = None,
    origin: DecisionOrigin = DecisionOrigin.PARTY_GROUP,
    period_from: date | None = None,
) -> dict[str, Any]:
    """A decision in force; its sanction period counts from ``period_from`` (or its effect)."""
    end = (
        deadlines.sanction_period_end(sanction.sanction_kind, period_from or effective_on)
        if sanction.sanction_kind
        else None
    )
    return {
        "case_id": case_id,
        "subject_id": subject_id,
        "version": version,
        "replaces_id": replaces_id,
        "status": DecisionStatus.IN_FORCE,
        "origin": origin,
        "meeting_id": meeting_id,
        "decided_on": decided_on,
        "effective_on": effective_on,
        "sanction_end": end,
        "run_end": end,  # its own until sanction_runs.refresh_runs places it in a run
        "facts": facts.strip(),
        "basis": basis.strip(),
        "doc_number": number,
        **sanction_fields(sanction),
    }


DECISION_AUDITED = ("doc_number", "effective_on", "sanction_end", "subject_id", "status", "facts",
                    "basis", "origin")  # fmt: skip
"""The decision row's columns its audit record keeps (with its date and its sanction)."""


def decision_audit(subject_name: str, row: Mapping[str, Any], spec: rules.DecisionSpec) -> dict:
    return {
        "subject": subject_name,
        "decided_on": spec.decided_on,
        **_pick(row, *DECISION_AUDITED),
        **sanction_fields(spec.sanction),
    }


# ----------------------------------------------------------------------------- 6 送达
def signed_spec(
    state: CaseState, decision_id: int, spec: rules.ServiceSpec, head_of: HeadOf
) -> rules.ServiceSpec:
    """The service as recorded: its recipient resolved to who signed that day (signing.signer)."""
    d = state.decision(decision_id)
    sub = state.subject(d.subject_id) if d else None
    if sub is None:
        return spec
    recipient = signer(sub.kind, sub.name, sub.unit_id, spec.recipient, head_of)
    return replace(spec, recipient=recipient)


def service_row(
    case_id: int,
    decision_id: int,
    spec: rules.ServiceSpec,
    last_day: date,
    document_id: int | None,
    review_decision_id: int | None = None,
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "decision_id": decision_id,
        "served_at": spec.served_at,
        "method": str(spec.method),
        "servers": [x.strip() for x in spec.servers if x.strip()],
        **_stripped(
            spec, "place", "recipient", "witness", "refusal_reason", "note", "entrusted_unit"
        ),
        "review_last_day": last_day,
        "document_id": document_id,
        "review_decision_id": review_decision_id,
    }


SERVICE_AUDITED = ("document_id", "served_at", "method", "recipient", "place", "servers",
                   "witness", "refusal_reason", "note", "entrusted_unit")  # fmt: skip
"""What a service's audit names (the 送达回证 prints each), with its review window."""


def service_audit(doc_number: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {"decision": doc_number, **_pick(row, *SERVICE_AUDITED, "review_last_day")}


def review_service_audit(doc_number: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "review_decision": doc_number,
        **_pick(row, *SERVICE_AUDITED),
        "appeal_last_day": row["review_last_day"],
    }


# ----------------------------------------------------------------------------- 7 复核
def review_application_row(
    case_id: int, decision_id: int, spec: rules.ReviewApplicationSpec, late: bool, due_on: date
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "decision_id": decision_id,
        "received_on": spec.received_on,
        "grounds": spec.grounds.strip(),
        "late": late,
        "late_reason": spec.late_reason.strip(),
        "due_on": due_on,
        "status": ReviewStatus.PENDING,
    }


REVIEW_APPLICATION_AUDITED = ("decision_id", "received_on", "grounds", "late", "late_reason",
                              "due_on", "status")  # fmt: skip
"""The application row's columns its audit record keeps, its status by its value."""


def review_application_audit(doc_number: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "decision": doc_number,
        **_pick(row, *REVIEW_APPLICATION_AUDITED),
        "status": ReviewStatus(row["status"]).value,
    }


def review_decision_row(
    case_id: int,
    application_id: int,
    spec: rules.ReviewDecisionSpec,
    number: str,
    new_decision_id: int | None,
    due_on: date,
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "application_id": application_id,
        "decided_on": spec.decided_on,
        "outcome": ReviewOutcome(spec.outcome),
        **_stripped(spec, "reasons", "facts"),
        "new_decision_id": new_decision_id,
        "doc_number": number,
        "overdue": spec.decided_on > due_on,
    }


REVIEW_DECISION_AUDITED = ("doc_number", "decided_on", "application_id", "new_decision_id",
                           "outcome", "overdue", "reasons", "facts")  # fmt: skip
"""The review decision row's columns its audit record keeps, its outcome by its value."""


def review_decision_audit(row: Mapping[str, Any], spec: rules.ReviewDecisionSpec) -> dict[str, Any]:
    """The review's own outcome, reasons and facts; the sanction a 变更 sets is kept apart
    under ``new_sanction`` (it once overwrote the review's outcome and reasons)."""
    return {
        **_pick(row, *REVIEW_DECISION_AUDITED),
        "outcome": ReviewOutcome(row["outcome"]).value,
        **({"new_sanction": sanction_fields(spec.new_sanction)} if spec.new_sanction else {}),
    }


def review_result(
    outcome: ReviewOutcome, spec: rules.ReviewDecisionSpec
) -> tuple[rules.SanctionSpec, DecisionOrigin, DecisionStatus] | None:
    """The new decision a review makes (sanction, origin) and the old one's new status."""
    if outcome is ReviewOutcome.UPHOLD:
        return None
    if outcome is ReviewOutcome.CHANGE:
        assert spec.new_sanction is not None
        return spec.new_sanction, DecisionOrigin.REVIEW_CHANGE, DecisionStatus.SUPERSEDED
    from app.domain.enums import DecisionOutcome

    return (
        rules.SanctionSpec.of(DecisionOutcome.NOT_ACCOUNTABLE, reasons=spec.reasons),
        DecisionOrigin.REVIEW_REVOKE,
        DecisionStatus.REVOKED,
    )


# ----------------------------------------------------------------------------- 8 结案
def close_audit(closed_on: date, note: str) -> dict[str, Any]:
    return {"stage": Stage.CLOSED.value, "closed_on": closed_on, "note": note.strip()}


# ----------------------------------------------------------------------------- 解除处分
RELEASE_AUDITED = ("decision_id", "subject_id", "sanction_kind", "period_end", "released_on",
                   "conduct", "confirmed_by", "note")  # fmt: skip
"""What the audit of a release's version states (app.services.releases; replay checks each)."""


# ----------------------------------------------------------------------------- 文书
def document_sha256(content: Mapping[str, Any]) -> str:
    from app.documents.compose import content_sha256

    return content_sha256(content)


DOCUMENT_AUDITED = ("kind", "ref_id", "number", "title", "version", "verification_code",
                    "content_sha256")  # fmt: skip
"""An issued document's columns its audit record keeps (its content only by its hash)."""


def document_audit(row: Mapping[str, Any]) -> dict[str, Any]:
    return _pick(row, *DOCUMENT_AUDITED)


#: What a stored field is called on the forms, once for every message that names one: a
#: correction's refusal, and a replay finding (with its column in brackets, for whoever looks
#: at the file) — never 「“sanction_end”」 alone, which tells an officer nothing.
FIELD_NAMES = {
    "case_id": "所属案件", "stage": "办理阶段",
    "number": "编号", "summary": "问题摘要", "proposed_on": "提出日期", "closed_on": "结案日期",
    "voided": "作废", "time_limit_extended": "办案期限延长", "investigation_deadline": "调查期限",
    "proposer_type": "提出主体", "proposer_name": "提出人", "behaviour_type": "问责情形",
    "behaviour_subtype": "行为细类", "fault": "主观过错", "consequences": "后果",
    "subjects": "问责对象", "subject_rows": "问责对象", "grounds": "事由",
    "unit_heads": "单位负责人", "person": "人员", "role": "角色", "mode": "回避方式",
    "applicant": "申请人", "verdict": "回避决定", "decided_on": "决定日期",
    "person_id": "人员", "name": "姓名", "declared_on": "声明日期", "status": "状态",
    "recusal_id": "回避决定", "meeting_date": "会议日期", "minutes_ref": "会议纪要文号",
    "outcome": "结果", "reason": "理由", "kind": "种类", "made_on": "日期", "content": "内容",
    "title": "标题", "collected_on": "收集日期", "sha256": "文件校验值", "size": "文件大小",
    "attachment": "附件", "cooperative": "是否配合", "description": "情况",
    "found_on": "认定日期", "report_date": "报告日期", "findings": "查明的事实",
    "course": "调查经过", "attitude": "认识态度", "legal_basis": "处理依据",
    "items": "处理建议", "doc_number": "文号", "effective_on": "生效日期",
    "sanction_end": "处分期满日", "forms": "问责方式", "sanction_kind": "处分种类",
    "other_form_text": "其他问责方式", "transfer_to_judicial": "移送司法机关",
    "reasons": "理由", "subject_id": "问责对象", "facts": "事实", "basis": "依据",
    "origin": "来源", "served_at": "送达时间", "method": "送达方式", "recipient": "受送达人",
    "review_last_day": "复核申请截止日", "document_id": "送达文书", "place": "送达地点",
    "servers": "送达人", "witness": "见证人", "refusal_reason": "拒收事由", "note": "备注",
    "entrusted_unit": "受托单位", "decision_id": "处理决定", "received_on": "收到日期",
    "late": "逾期", "late_reason": "逾期理由", "due_on": "办理期限",
    "application_id": "复核申请", "new_decision_id": "变更后的处理决定",
    "overdue": "逾期", "ref_id": "所属记录", "version": "版本",
    "verification_code": "核验码", "content_sha256": "内容校验值", "period_end": "处分期满日",
    "released_on": "解除日期", "conduct": "期间表现", "confirmed_by": "确认人",
    "source": "来源", "channel": "渠道", "active": "启用", "can_view_reporters": "查看举报人信息",
    "password_sha256": "密码", "reporter_sha256": "举报人信息", "lead_id": "线索",
    "unit_id": "所属单位", "post": "职务", "is_leader": "领导职务", "cadre_level": "职级",
    "approved_on": "批准日期", "approver": "审批人", "created_by": "经办人", "approval_ref": "审批依据", "revisit_on": "再次研判日期",
    "completed_on": "完成日期", "report_text": "初核报告或谈话函询情况", "follows_id": "前一处置",
    "superseded_by_id": "更正后的版本", "decision": "送达的处理决定",
    "review_decision": "送达的复核决定", "version_of_id": "更正前的原处置意见",
}  # fmt: skip
