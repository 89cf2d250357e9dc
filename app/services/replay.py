"""Replay: the case tables re-derived from the audit trail and compared with what is stored.

Every act writes its record's fields into its audit payload (``after``). Folding the payloads
of each record in chain order gives what the services wrote; a row that differs was changed
around the services (an edit of the file with ``sqlite3``), and is reported with its case and
the audit record it contradicts. The chain itself is protected by its keyed hashes, so an
attacker would have to forge both.

Each entry of a record counts (a holiday change's moved windows are related entries); a
correction's new version starts from the one it replaces when it copies its columns; what an
act writes on rows other than its own (a decision superseded, an old version set aside by
its correction, an application decided) is
derived in :func:`_knock_ons`; settings are folded key by key. A row of a tracked table that
no payload made (inserted with ``sqlite3``) is named (:func:`_unmade_problems`), as is a
settings row no audit record wrote; the README's "Table edits" lists what is compared.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, object_session

from app.domain.accounts import PASSWORD_MARK, password_mark
from app.domain.case import derive_dates
from app.domain.enums import (
    DecisionOrigin,
    DecisionStatus,
    MeetingKind,
    MeetingOutcome,
    MemberStatus,
    RecusalVerdict,
    ReviewOutcome,
    ReviewStatus,
)
from app.domain.lifecycle import Stage
from app.domain.reporter import DIGEST_KEY, reporter_digest
from app.services.attachments import SETTING_KEY as ATTACHMENT_LIMIT
from app.services.base import to_jsonable
from app.services.masterdata import PERSON_AUDITED
from app.services.permissions import KEYLESS_ACTIONS
from app.services.records import (
    CONDUCT_AUDITED,
    DECISION_AUDITED,
    DISPOSITION_AUDITED,
    DOCUMENT_AUDITED,
    EVIDENCE_AUDITED,
    FIELD_NAMES,
    LEAD_AUDITED,
    MEETING_AUDITED,
    MEMBER_AUDITED,
    PROPOSAL_AUDITED,
    RECUSAL_AUDITED,
    RELEASE_AUDITED,
    REPORT_TEXTS,
    REVIEW_APPLICATION_AUDITED,
    REVIEW_DECISION_AUDITED,
    SERVICE_AUDITED,
    STATEMENT_AUDITED,
    subject_audit,
)
from app.services.replay_moves import follow_up_links, moved, next_disposition
from app.services.replay_rows import rows_by_window
from app.storage.models import (
    AuditRecord,
    Case,
    CaseSubject,
    ConductFinding,
    Decision,
    Evidence,
    Investigator,
    IssuedDocument,
    Lead,
    LeadDisposition,
    Meeting,
    Person,
    Recusal,
    Report,
    ReportItem,
    ReviewApplication,
    ReviewDecision,
    SanctionRelease,
    Service,
    Setting,
    Statement,
    Unit,
    User,
)


def _columns(*same: str) -> dict[str, Column]:
    """{payload key: column} for payload keys named like their column."""
    return {name: name for name in same}


def _subject_names(case: Case) -> list[str]:
    return [sub.name for sub in case.subjects]


def _subject_rows(case: Case) -> list[dict[str, Any]]:
    return [subject_audit({c.key: getattr(sub, c.key) for c in sub.__table__.columns})
            for sub in case.subjects]  # fmt: skip


def _grounds(case: Case) -> list[list[int]]:
    return sorted([g.article, g.clause] for g in case.grounds)


def _recorded_heads(case: Case) -> list[int]:
    return [h.person_id for h in case.recorded_heads]


def _report_items(report: Report) -> list[dict[str, Any]]:
    return [
        {c.key: getattr(item, c.key) for c in ReportItem.__table__.columns} for item in report.items
    ]


def _served_decision(service: Service) -> str | None:
    """The number of the decision a service served (its audit names it so)."""
    decision = object_session(service).get(Decision, service.decision_id)  # type: ignore[union-attr]
    return decision.doc_number if decision is not None else None


def _served_review(service: Service) -> str | None:
    """The number of the 复核决定书 a service served, None for a decision's own service; a
    review's service stands against the decision the review left in force (cases.py)."""
    if service.review_decision_id is None:
        return None
    s = object_session(service)
    assert s is not None
    review = s.get(ReviewDecision, service.review_decision_id)
    application = s.get(ReviewApplication, review.application_id) if review else None
    if review is None or application is None:
        return None
    if service.decision_id != (review.new_decision_id or application.decision_id):
        return f"{review.doc_number}（处理决定编号{service.decision_id}）"
    return review.doc_number


def _reporter_digest(lead: Lead) -> str:
    """The digest of the reporter blob on file (app.domain.reporter), never the reporter."""
    return reporter_digest(lead.reporter_blob)


# A column, or what a payload key stands for that is read off the row's related rows.
Column = str | Callable[[Any], Any]
# The version a correction wrote in place of a record (NULL: the record is current).
_CURRENT = "superseded_by_id"
_VERSIONED = ("meeting", "statement", "evidence", "conduct", "report", "service", "document",
              "sanction_release", "lead_disposition")  # fmt: skip
_SANCTION = ("outcome", "forms", "sanction_kind", "other_form_text", "transfer_to_judicial",
             "reasons")  # fmt: skip

# Acts on other rows that write the case's investigation deadline (a holiday recount writes
# it as the case's own entry).
_SETS_DEADLINE = frozenset({"meeting", "extension"})

# entity -> (model, what it is called, {payload key: column}); the payload keys are the
# columns each act's audit record keeps, named once in app.services.records.
TRACKED: dict[str, tuple[Any, str, dict[str, Column]]] = {
    "case": (
        Case, "案件",
        _columns("number", "summary", "proposed_on", "closed_on", "voided", "time_limit_extended",
                 "investigation_deadline", *PROPOSAL_AUDITED)
        | {"subjects": _subject_names, "subject_rows": _subject_rows, "grounds": _grounds,
           "unit_heads": _recorded_heads,
           # 处分条例第四十四条: the day the longer case time limit was approved (延长办案期限).
           "approved_on": "time_limit_approved_on"},
    ),
    "recusal": (
        Recusal, "回避决定",
        {"person": "person_name"} | _columns(*RECUSAL_AUDITED),
    ),
    "investigator": (Investigator, "调查人员", _columns(*MEMBER_AUDITED, "recusal_id")),
    "meeting": (Meeting, "党组会议记录", _columns(*MEETING_AUDITED, _CURRENT, "kind")),
    "statement": (Statement, "陈述申辩", _columns(*STATEMENT_AUDITED, _CURRENT)),
    # What the 卷宗 lists of the investigation (since session 30); voided, it is not listed.
    "evidence": (
        Evidence, "证据",
        _columns(*EVIDENCE_AUDITED, _CURRENT, "voided") | {"attachment": "attachment_name"},
    ),
    "conduct": (ConductFinding, "配合调查情况", _columns(*CONDUCT_AUDITED, _CURRENT)),
    "report": (
        Report, "调查报告",
        _columns("report_date", *REPORT_TEXTS, _CURRENT) | {"items": _report_items},
    ),
    "decision": (
        Decision, "处理决定", _columns("decided_on", *DECISION_AUDITED, *_SANCTION),
    ),
    # Which decision (or 复核决定书) it served, by the number its audit names (第十三条、
    # 第十四条): moved to another, the first reads as unserved and the other's window runs.
    "service": (
        Service, "送达记录",
        _columns(*SERVICE_AUDITED, "review_last_day", _CURRENT)
        | {"decision": _served_decision, "review_decision": _served_review},
    ),
    "review_application": (
        ReviewApplication, "复核申请", _columns(*REVIEW_APPLICATION_AUDITED),
    ),
    "review_decision": (ReviewDecision, "复核决定", _columns(*REVIEW_DECISION_AUDITED)),
    # An issued document's number, code and content hash (its content is checked against the
    # hash whenever it is printed or exported).
    "document": (IssuedDocument, "印发文书", _columns(*DOCUMENT_AUDITED, _CURRENT)),
    "sanction_release": (SanctionRelease, "解除处分", _columns(*RELEASE_AUDITED, _CURRENT)),
    "lead": (
        # Its case (第六条): linked by the proposal made on it, or by 关联线索 (audited).
        Lead, "线索",
        _columns(*LEAD_AUDITED, "voided", "case_id") | {DIGEST_KEY: _reporter_digest},
    ),
    # Its approved dispositions (第二十一条), which the monthly figures and the due list read.
    # A correction (更正处置意见) is a new version naming its chain's first (0027).
    "lead_disposition": (
        LeadDisposition, "处置意见",
        _columns(*DISPOSITION_AUDITED, _CURRENT, "version_of_id"),
    ),
    # Who may lead, investigate and be a unit's head (第十二条, Member.on_roster, the unit heads
    # a proposal records): written by 新增人员/修改人员 and by a roster import (_roster_rows).
    "person": (Person, "人员", _columns(*PERSON_AUDITED)),
    "unit": (Unit, "单位", _columns("name", "kind", "active")),
    # What an account may do and whom its recusals name (app.domain.accounts).
    "user": (
        User, "账号",
        _columns("role", "person_id", "active", "can_view_reporters")
        | {PASSWORD_MARK: lambda u: password_mark(u.password_hash)},
    ),
}  # fmt: skip

# Columns a migration added to rows already written: a payload that made such a row without
# naming the column was written before it existed, and the migration left it NULL (0021: a
# 受托单位 written into an older 委托送达 would otherwise be printed unchecked).
_ADDED_LATER: dict[str, tuple[str, ...]] = {"service": ("entrusted_unit",)}

# What the act that makes the row writes without naming it: a case is proposed in effect; only
# 作废 (audited) voids it. Voided with ``sqlite3``, a case's sanctions leave the person's runs
# of 处分条例第十条 and another sanction of his would be released early. A lead is registered
# on no case: a proposal on it or 关联线索 links it (moved with ``sqlite3``, a lead leaves the
# due list of 第二十一条, or joins a case it never came to).
# A versioned record is made current: only a later version of it (its audit's ``before``
# names the one it replaces, :func:`_knock_ons`) sets it aside. The rules, the 卷宗, the 送达回证
# and the monthly figures read the current versions only, so a version set aside with
# ``sqlite3`` vanished (a service, a release) and an old one came back. No act voids evidence;
# a decision's service serves no 复核决定书. The meetings audited as such are the openings
# (第九条; load_state finds the opening by its kind, which decides the stage and the rules).
_MADE_AS: dict[str, dict[str, Any]] = {entity: {_CURRENT: None} for entity in _VERSIONED} | {
    "case": {"voided": False}, "lead": {"case_id": None},
    "person": {"active": True}, "unit": {"active": True},
    "meeting": {_CURRENT: None, "kind": MeetingKind.INITIATION.value},
    "evidence": {_CURRENT: None, "voided": False},
    "service": {_CURRENT: None, "review_decision": None},
    "lead_disposition": {_CURRENT: None, "version_of_id": None},
}  # fmt: skip

# Who recorded each of these is who the 卷宗's 办理经过 names (its ``created_by``, as the
# document service reads it): the account the act's audit record names. Changed with
# ``sqlite3``, the signed file would name another officer as 经办 of a decision or a service.
_MADE_BY = "created_by"
_STAMPED = frozenset({"case", "meeting", "recusal", "evidence", "statement", "conduct", "report",
                      "decision", "service", "review_application", "review_decision"})  # fmt: skip

# The case each of these rows belongs to is the case of the act that made it: moved to
# another case with ``sqlite3`` (a decision, a 陈述申辩 of 第十一条, a 送达, an issued document),
# the other case's rules, lists, 卷宗 and figures counted it as its own (review 52e).
_CASE = "case_id"
IN_A_CASE = frozenset({"recusal", "investigator", "meeting", "statement", "evidence", "conduct",
                       "report", "decision", "service", "review_application", "review_decision",
                       "document", "sanction_release"})  # fmt: skip

# A correction of these writes a new version that copies the old one's columns and changes
# only what its payload names: the new version is expected to hold the old one's values too.
_COPIED = frozenset(
    {"meeting", "statement", "report", "service", "evidence", "conduct", "sanction_release"}
)

Expected = dict[tuple[str, int], dict[str, tuple[Any, int]]]


def _entries(
    s: Session, case_id: int | None = None
) -> Iterator[tuple[Any, str, int | None, dict, dict, Any]]:
    """Each audit entry in chain order: (record row, entity, id, before, after, the entry's
    case). A call that audited several rows (a holiday change that moved review windows)
    yields each of them. ``case_id``: only the records of that case."""
    q = select(AuditRecord.__table__).order_by(AuditRecord.seq)  # rows, not objects: faster
    if case_id is not None:
        outside = and_(AuditRecord.case_id.is_(None), AuditRecord.entity.in_(_OUTSIDE_ACTS))
        q = q.where(or_(AuditRecord.case_id == case_id, outside))
    for rec in s.execute(q).yield_per(2000):
        after = rec.after or {}
        before = rec.before if isinstance(rec.before, dict) else {}
        # An act outside the case counts only for the entries it wrote on the case's rows.
        foreign = case_id is not None and rec.case_id != case_id
        if isinstance(after, dict) and "main" in after and "related" in after:
            if not foreign:
                yield rec, rec.entity, rec.entity_id, before, after["main"] or {}, rec.case_id
            for entry in after["related"] or []:
                if foreign and (not isinstance(entry, dict) or entry.get("case_id") != case_id):
                    continue
                if isinstance(entry, dict):
                    entry_before = entry.get("before")
                    entry_after = entry.get("after")
                    yield (
                        rec, str(entry.get("entity")), entry.get("entity_id"),
                        entry_before if isinstance(entry_before, dict) else {},
                        entry_after if isinstance(entry_after, dict) else {},
                        entry.get("case_id"),
                    )  # fmt: skip
        elif isinstance(after, dict) and not foreign:
            yield rec, rec.entity, rec.entity_id, before, after, rec.case_id


def _fold(
    s: Session,
    case_id: int | None = None,
    expected: Expected | None = None,
    tick: Callable[[int], None] | None = None,
) -> tuple[Expected, dict[str, tuple[Any, int]]]:
    """What every tracked row and every audited setting should hold, by the audit trail;
    ``expected`` and ``tick`` (told each entry's index): see app.services.replay_window."""
    expected = {} if expected is None else expected
    settings: dict[str, tuple[Any, int]] = {}
    # What later records do not repeat: an application's decision, a review's new decision.
    links: dict[tuple[str, int], int] = follow_up_links(s)
    members: dict[tuple[int | None, Any], list[int]] = {}  # (case, person) -> investigators
    for index, (rec, entity, entity_id, before, after, in_case) in enumerate(_entries(s, case_id)):
        if tick is not None:
            tick(index)
        if rec.action in KEYLESS_ACTIONS and entity != "user":
            # Written without the audit key (a failed login, an export, a backup): anyone
            # holding the file can append one, and the next login seals it. None writes these
            # rows, so none may vouch for them (a forged one would launder an edit).
            continue
        if entity == "settings":
            settings.update({str(k): (v, rec.seq) for k, v in after.items()})
            continue
        if entity in _SETS_DEADLINE and "investigation_deadline" in after and rec.case_id:
            # The meeting that opened the case (or its correction) and an extension set the
            # case's investigation deadline (第九条), which the 审批表 and the report print.
            case_state = expected.setdefault(("case", rec.case_id), {})
            case_state["investigation_deadline"] = (after["investigation_deadline"], rec.seq)
        if entity == "roster":
            for person_id, values in _roster_rows(after):
                expected.setdefault(("person", person_id), {}).update(
                    {k: (v, rec.seq) for k, v in values.items()}
                )
            continue
        if entity not in TRACKED or not isinstance(entity_id, int):
            continue
        key = (entity, entity_id)
        old_id = before.get("id")
        made = True
        if entity in _COPIED and isinstance(old_id, int) and old_id != entity_id:
            expected[key] = dict(expected.get((entity, old_id), {}))
        elif key not in expected:  # the act that made the row
            expected[key] = {
                k: (None, rec.seq) for k in _ADDED_LATER.get(entity, ()) if k not in after
            } | {k: (v, rec.seq) for k, v in _MADE_AS.get(entity, {}).items() if k not in after}
        else:
            made = False
        state = expected[key]
        if made and entity in _STAMPED:
            state[_MADE_BY] = (rec.actor, rec.seq)
        if made and entity in IN_A_CASE and isinstance(in_case, int):
            state[_CASE] = (in_case, rec.seq)  # a correction's version: the one it copied
        clobbered = _clobbered(entity, after)
        for name in TRACKED[entity][2]:
            if name in after and name not in clobbered:
                state[name] = (after[name], rec.seq)
        for name in ("decision_id", "new_decision_id"):
            if isinstance(after.get(name), int):
                links[(entity, entity_id)] = after[name]
        if entity == "investigator" and "person_id" in after:
            members.setdefault((rec.case_id, after["person_id"]), []).append(entity_id)
        if entity == "recusal" and after.get("verdict") == RecusalVerdict.GRANTED.value:
            # A granted recusal sets the person's active memberships of the case aside.
            for inv_id in members.get((rec.case_id, after.get("person_id")), []):
                inv = expected.get(("investigator", inv_id), {})
                if inv.get("status", (None,))[0] == MemberStatus.ACTIVE.value:
                    inv.update(status=(MemberStatus.RECUSED.value, rec.seq))
                    inv.update(recusal_id=(entity_id, rec.seq))
        for (other, other_id), values in _knock_ons(entity, entity_id, before, after, links):
            other_state = expected.setdefault((other, other_id), {})
            other_state.update({k: (v, rec.seq) for k, v in values.items()})
    return expected, settings


def _roster_rows(after: dict) -> Iterator[tuple[int, dict[str, Any]]]:
    """The people a roster import made or changed, with the fields it wrote: a row it made
    is 启用; one it changed that was 停用 is 启用 again (its ``before`` names ``active``)."""
    for row in after.get("created") or []:
        if isinstance(row, dict) and isinstance(row.get("id"), int):
            yield row["id"], {k: row[k] for k in PERSON_AUDITED if k in row} | {"active": True}
    for row in after.get("updated") or []:
        if isinstance(row, dict) and isinstance(row.get("id"), int):
            values = {k: v for k, v in (row.get("after") or {}).items() if k in PERSON_AUDITED}
            if "active" in (row.get("before") or {}):
                values["active"] = True
            yield row["id"], values


def _knock_ons(
    entity: str, entity_id: int, before: dict, after: dict, links: dict[tuple[str, int], int]
) -> Iterator[tuple[tuple[str, int], dict[str, Any]]]:
    """What an act wrote on other rows than its own: a corrected decision is superseded; a
    review decides its application and may supersede or revoke the decision, making a new one
    whose date, facts and (a 撤销's) reasons follow the review's when those are corrected."""
    replaced = before.get("id")
    if entity == "decision" and isinstance(replaced, int) and replaced != entity_id:
        yield ("decision", replaced), {"status": DecisionStatus.SUPERSEDED.value}
    if entity in _VERSIONED and isinstance(replaced, int) and replaced != entity_id:
        yield (entity, replaced), {_CURRENT: entity_id}  # set aside by its new version
    if entity == "case" and "number" in after and isinstance(after.get("leads"), list):
        for lead_id in after["leads"]:  # the proposal links the leads it was made on
            yield ("lead", lead_id), {"case_id": entity_id}
    if entity == "lead_disposition" and (made := next_disposition(entity_id, after, links)):
        yield ("lead_disposition", made[0]), made[1]  # a follow-up written as 'next' (d6b2577)
    if entity != "review_decision":
        return
    # A 变更 written before new_sanction (session 1) named its new sanction at the top level.
    old_change = bool(_clobbered(entity, after))
    outcome = ReviewOutcome.CHANGE.value if old_change else after.get("outcome", "")
    application_id = after.get("application_id")
    if isinstance(application_id, int):
        yield ("review_application", application_id), {"status": ReviewStatus.DONE.value}
        old = links.get(("review_application", application_id))
        status = {
            ReviewOutcome.CHANGE.value: DecisionStatus.SUPERSEDED.value,
            ReviewOutcome.REVOKE.value: DecisionStatus.REVOKED.value,
        }.get(outcome)
        if old is not None and status is not None:
            yield ("decision", old), {"status": status}
    new_id = links.get(("review_decision", entity_id))
    if new_id is not None and "doc_number" not in after and "decided_on" in after:
        yield ("decision", new_id), {k: after["decided_on"] for k in ("decided_on", "effective_on")}
    if new_id is not None and isinstance(after.get("carried"), dict):
        yield ("decision", new_id), dict(after["carried"])  # its facts (and a 撤销's reasons)
    if new_id is not None and "doc_number" in after:
        made = {"status": DecisionStatus.IN_FORCE.value, "doc_number": after["doc_number"]}
        if "decided_on" in after:  # before 2026-11-27 a review's record did not name its day
            made |= {"decided_on": after["decided_on"], "effective_on": after["decided_on"]}
        origin = _REVIEW_ORIGIN.get(outcome)
        if origin is not None:
            made["origin"] = origin
        if "facts" in after:
            made["facts"] = after["facts"]
        sanction = after if old_change else after.get("new_sanction")
        if isinstance(sanction, dict):
            made |= {k: sanction[k] for k in _SANCTION if k in sanction}
        yield ("decision", new_id), made


# The origin of the decision a review makes (records.review_result).
_REVIEW_ORIGIN = {
    ReviewOutcome.CHANGE.value: DecisionOrigin.REVIEW_CHANGE.value,
    ReviewOutcome.REVOKE.value: DecisionOrigin.REVIEW_REVOKE.value,
}


def replay_problems(s: Session, *, limit: int = 50) -> list[str]:
    """Rows of the case tables that differ from what their audit records say was written
    (the trail folded a window at a time: app.services.replay_window)."""
    from app.services.replay_window import windowed_problems

    return windowed_problems(s, limit)


# The acts outside a case that write on its rows, each as a related entry naming the case: a
# holiday change recounts review windows, a review's due date and with it an application's
# 逾期 flag (app.services.recalendar); a new unit head joins the open cases of his unit
# (case_store.record_head, from 修改人员, 新增人员 or a roster import).
_OUTSIDE_ACTS = ("holiday", "person", "roster")


def case_replay_problems(s: Session, case_id: int, *, limit: int = 3) -> list[str]:
    """The rows of one case that differ from what its own audit records wrote: checked before
    a document of the case is issued, so a file edited around the application (a sanction
    rewritten with ``sqlite3``) is never frozen into a signed document."""
    expected, _settings = _fold(s, case_id)
    for entity, _id in list(expected):
        if entity in ("lead", "lead_disposition", "user", "person", "unit"):  # not the case's
            del expected[(entity, _id)]
    from app.services.replay_moves import moved_in

    number = s.scalar(select(Case.number).where(Case.id == case_id))
    numbers = {case_id: number}
    return (
        _derived_problems(s, case_id, number)
        + moved_in(s, case_id, expected, numbers)
        + _compare(s, expected, numbers, limit)
    )


def _derived_problems(s: Session, case_id: int, number: str | None) -> list[str]:
    """The stage and dates the case's list row shows against those its records give (every
    act stores ``derive_stage`` and ``derive_dates``): the rules read the latter, the list,
    the ledger, the due list and the monthly figures the former."""
    from app.services.case_store import load_state

    case = s.get(Case, case_id)
    if case is None:
        return []
    state = load_state(s, case)
    found: dict[str, Any] = {"stage": state.stage.value} | derive_dates(state)
    decided = {d.decided_on for d in state.decisions if d.origin is DecisionOrigin.PARTY_GROUP}
    problems = []
    for key, value in found.items():
        stored = getattr(case, key)
        if stored == value or (key == "decided_on" and value is not None and stored in decided):
            # Before session 50 the act that decided the last subject stored its own day,
            # not the latest: such a row is an earlier version's, not an edit.
            continue
        problems.append(
            f"案件{number}的“{CASE_DERIVED_NAMES.get(key, FIELD_NAMES.get(key, key))}”（{key}）"
            f"与其各项记录不符（记录为{_shown(value)}，现为{_shown(stored)}）：数据被绕过系统修改"
        )
    return problems


# The case row's dates, named as the ledger names them (FIELD_NAMES' 决定日期 is a record's).
CASE_DERIVED_NAMES = {
    "opened_on": "启动问责日期", "reported_on": "调查报告日期", "decided_on": "作出处理决定日期",
}  # fmt: skip


def _shown(value: Any) -> str:
    return "空" if value is None else str(value)


def _dates_problems(s: Session, limit: int) -> list[str]:
    """Every case's opening, report and decision days and its stage against its records
    (the decision day and the stage by the cases SQL finds, judged again case by case)."""
    r = Report
    opening = _opening(Meeting.meeting_date, Meeting.outcome == MeetingOutcome.START.value)
    report = (
        select(r.report_date)
        .where(r.case_id == Case.id, r.superseded_by_id.is_(None))
        .limit(1)
        .scalar_subquery()
    )
    problems: list[str] = []
    for key, column, value in (
        ("opened_on", Case.opened_on, opening),
        ("reported_on", Case.reported_on, report),
    ):
        rows = s.execute(
            select(Case.number, column, value)
            .where(column.is_distinct_from(value))
            .order_by(Case.id)
            .limit(limit)
        )
        problems += [
            f"案件{number}的“{CASE_DERIVED_NAMES[key]}”（{key}）与其各项记录不符"
            f"（记录为{_shown(found)}，现为{_shown(stored)}）：数据被绕过系统修改"
            for number, stored, found in rows
        ]
    return (problems + _decided_problems(s, limit) + _stage_problems(s, limit))[:limit]


def _opening(column: Any, *where: Any) -> Any:
    """``column`` of the case row's current 启动问责 meeting (第九条), as a scalar subquery."""
    m = Meeting
    current = (m.case_id == Case.id, m.kind == MeetingKind.INITIATION.value)
    return (
        select(column).where(*current, m.superseded_by_id.is_(None), *where).limit(1)
    ).scalar_subquery()


def _stage_problems(s: Session, limit: int) -> list[str]:
    """The stage the list, the 结案 count and the monthly 明细 read (``cases.stage``) against
    the one SQL reads off the records, as ``derive_stage`` does: declined (第九条), closed,
    not yet opened, not yet reported, a subject still undecided, a review pending (第十四条),
    a Party-group decision unserved (第十三条), else served. What SQL finds is judged again
    by :func:`_derived_problems` (the whole ``derive_stage``): verify never names a case that
    issuing would pass."""
    outcome = _opening(Meeting.outcome)
    reported = (
        select(Report.id).where(Report.case_id == Case.id, Report.superseded_by_id.is_(None))
    ).exists()
    has_subjects, undecided = _undecided()
    pending = (
        select(ReviewApplication.id).where(
            ReviewApplication.case_id == Case.id,
            ReviewApplication.status == ReviewStatus.PENDING.value,
        )
    ).exists()
    served = (
        select(Service.id).where(
            Service.decision_id == Decision.id,
            Service.review_decision_id.is_(None),
            Service.superseded_by_id.is_(None),
        )
    ).exists()
    unserved = (
        select(Decision.id).where(
            Decision.case_id == Case.id,
            Decision.status == DecisionStatus.IN_FORCE.value,
            Decision.origin == DecisionOrigin.PARTY_GROUP.value,
            ~served,
        )
    ).exists()
    derived = case(
        (outcome == MeetingOutcome.NOT_START.value, Stage.NOT_INITIATED.value),
        (Case.closed_on.is_not(None), Stage.CLOSED.value),
        (outcome.is_(None), Stage.PROPOSED.value),
        (~reported, Stage.INVESTIGATING.value),
        (or_(~has_subjects, undecided), Stage.REPORTED.value),
        (pending, Stage.REVIEWING.value),
        (unserved, Stage.DECIDED.value),
        else_=Stage.SERVED.value,
    )
    return _judged_again(s, Case.stage.is_distinct_from(derived), "stage", limit)


def _undecided() -> tuple[Any, Any]:
    """Whether the case row has subjects, and whether one of them has no decision in force
    (as conditions on it): ``derive_stage`` and ``decided_on`` read both."""
    in_force = DecisionStatus.IN_FORCE.value
    undecided = (
        select(CaseSubject.id)
        .where(
            CaseSubject.case_id == Case.id,
            ~select(Decision.id)
            .where(Decision.subject_id == CaseSubject.id, Decision.status == in_force)
            .exists(),
        )
        .exists()
    )
    return select(CaseSubject.id).where(CaseSubject.case_id == Case.id).exists(), undecided


def _judged_again(s: Session, found: Any, column: str, limit: int) -> list[str]:
    """What :func:`_derived_problems` says of ``column`` for each case SQL ``found`` (a
    condition on the case row), in case order: SQL narrows, the rulebook judges."""
    problems: list[str] = []
    for cid, number in s.execute(select(Case.id, Case.number).where(found).order_by(Case.id)):
        problems += [p for p in _derived_problems(s, cid, number) if f"（{column}）" in p]
        if len(problems) >= limit:
            break
    return problems


def _decided_problems(s: Session, limit: int) -> list[str]:
    """The decision day the monthly report counts a case in (``cases.decided_on``) against
    ``derive_dates``': the latest Party-group decision (its latest version) once every subject
    has one in force. A served or closed case issues no more documents, so verify is the only
    place a moved day is named. The cases SQL finds are judged again by
    :func:`_derived_problems` (its message, and its allowance for an earlier version's row)."""
    pg = DecisionOrigin.PARTY_GROUP.value
    d, newer = aliased(Decision), aliased(Decision)
    latest = (
        select(func.max(d.decided_on))
        .where(
            d.case_id == Case.id,
            d.origin == pg,
            ~select(newer.id)
            .where(
                newer.case_id == d.case_id,
                newer.subject_id == d.subject_id,
                newer.origin == pg,
                newer.version > d.version,
            )
            .exists(),
        )
        .scalar_subquery()
    )
    subjects, undecided = _undecided()
    derived = case((and_(subjects, ~undecided), latest), else_=None)
    earlier = select(Decision.decided_on).where(Decision.case_id == Case.id, Decision.origin == pg)
    found = and_(
        Case.decided_on.is_distinct_from(derived),
        ~and_(derived.is_not(None), Case.decided_on.is_not(None), Case.decided_on.in_(earlier)),
    )
    return _judged_again(s, found, "decided_on", limit)


def _compare(s: Session, expected: Expected, numbers: dict[int, str], limit: int) -> list[str]:
    problems: list[str] = []
    keys = (key for key, columns in expected.items() if columns)
    for (entity, entity_id), row in rows_by_window(s, keys, TRACKED):
        problems += row_problems(s, entity, entity_id, row, expected[(entity, entity_id)], numbers)
        if row is not None and len(problems) >= limit:
            problems.append(f"不符之处过多，仅列出前{limit}处")
            return problems
    return problems


def row_problems(
    s: Session, entity: str, entity_id: int, row: Any, columns: dict, numbers: dict
) -> list[str]:
    """What one stored row (None: deleted) holds against what the trail wrote on it."""
    _, what, fields = TRACKED[entity]
    if row is None:
        where = _where(s, entity, entity_id, row, columns, numbers)
        return [f"{where}在审计记录中存在，但数据库中已被删除"]
    problems: list[str] = []
    for name, (value, seq) in columns.items():
        if name == _CASE and entity in IN_A_CASE:
            if row.case_id != value:
                problems.append(moved(s, what, entity_id, value, row.case_id, seq, numbers))
            continue
        column = fields.get(name, name)  # created_by: kept by every record of _STAMPED
        raw = getattr(row, column) if isinstance(column, str) else column(row)
        stored = to_jsonable(raw)
        if stored != value and not _same(stored, value):
            key = column if isinstance(column, str) else name
            called = "名称" if entity == "unit" and name == "name" else FIELD_NAMES.get(name)
            label = f"“{called}”（{key}）" if called else f"“{key}”"
            where = _where(s, entity, entity_id, row, columns, numbers)
            problems.append(
                f"{where}的{label}与第{seq}条审计记录不符（记录为{value!r}，现为{stored!r}）"
                "：数据被绕过系统修改"
            )
    return problems


def _where(s: Session, entity: str, entity_id: int, row: Any, columns: dict, numbers: dict) -> str:
    """A tracked row as the officer finds it: its case's (or lead's) number and its id."""
    what = TRACKED[entity][1]
    if isinstance(row, Lead) or (row is None and entity == "lead"):
        return f"{what}{row.number if row else ''}（编号{entity_id}）"
    if entity == "lead_disposition":
        lead = s.get(Lead, row.lead_id if row else columns.get("lead_id", (None,))[0] or -1)
        return f"线索{lead.number if lead else ''}的{what}（编号{entity_id}）"
    if entity == "user":
        return f"{what}{row.username if row else ''}（编号{entity_id}）"
    if entity in ("person", "unit"):
        return f"{what}{row.name if row else ''}（编号{entity_id}）"
    case_id = entity_id if entity == "case" else getattr(row, "case_id", None)
    if case_id is not None and case_id not in numbers:
        numbers[case_id] = s.scalar(select(Case.number).where(Case.id == case_id)) or "?"
    return f"案件{numbers.get(case_id, '?')}的{what}（编号{entity_id}）"


def _setting_problems(s: Session, settings: dict[str, tuple[Any, int]]) -> list[str]:
    """Each audited setting as its last audit record left it (a mapping is stored as JSON)."""
    stored = {row.key: row.value for row in s.scalars(select(Setting))}
    # Every settings row is written by an audited act naming its key (修改系统设置): a row
    # no record wrote was inserted around the services, and documents and rules use it.
    # The attachment size limit alone has no service: it is set by hand, like its variable.
    problems = [
        f"系统设置“{key}”（现为{value!r}）没有审计记录写入过：数据被绕过系统写入"
        for key, value in sorted(stored.items())
        if key not in settings and key != ATTACHMENT_LIMIT
    ]
    for key, (value, seq) in settings.items():
        if key not in stored:
            problems.append(f"系统设置“{key}”在审计记录中存在，但数据库中已被删除")
            continue
        now: Any = stored[key]
        if isinstance(value, dict | list):
            with contextlib.suppress(ValueError):
                now = json.loads(now)
        elif value is not None:
            value = str(value)
        if now != value:
            problems.append(
                f"系统设置“{key}”与第{seq}条审计记录不符（记录为{value!r}，现为{stored[key]!r}）"
                "：数据被绕过系统修改"
            )
    return problems


def _same(stored: Any, value: Any) -> bool:
    """Tolerate representation only: a list stored sorted, a datetime without seconds, and
    the columns of a related row that an older payload did not name."""
    if isinstance(stored, list) and isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return len(stored) == len(value) and all(
                isinstance(row, dict)
                and all(row.get(k) == v or _same(row.get(k), v) for k, v in item.items())
                for row, item in zip(stored, value, strict=True)
            )
        return sorted(map(str, stored)) == sorted(map(str, value))
    if isinstance(stored, str) and isinstance(value, str) and "T" in stored:
        return stored.rstrip(":0") == value.rstrip(":0")
    return False


def _clobbered(entity: str, after: dict[str, Any]) -> set[str]:
    """Keys a payload reuses for something else: a 变更 review decision's payload once carried
    the new sanction's ``outcome`` and ``reasons`` at its top level (now under
    ``new_sanction``), not the review's own; a correction's payload names its ``reason``."""
    if entity == "review_decision" and "forms" in after:
        return {"outcome", "reasons"}
    if entity == "meeting" and "outcome" not in after:
        return {"reason"}  # a correction's own reason, not the meeting's (不予启动的理由)
    return set()
