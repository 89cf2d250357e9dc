"""Decided cases written straight into the tables, for statistics and precedent tests.

The figures under test read these tables; the rows are written here without the case
services so a fixture of dozens of decided cases costs milliseconds, and each row's values
are known by construction. One audit record names the rows as made (replay, and the check
before 印发 and 解除处分, ask each stored row to have been made by some record: one no record
made was inserted around the application), and nothing more of them is compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count

from sqlalchemy import select

from app.domain.deadlines import sanction_period_end
from app.services.base import write_audit
from app.storage.models import (
    Case,
    CaseGround,
    CaseSubject,
    Decision,
    Meeting,
    Person,
    Report,
    ReportItem,
    Service,
    Unit,
)

_SEQ = count(1)
NOW = datetime(2026, 11, 25, 9, 0)


@dataclass
class Sub:
    """One subject and the decision on it."""

    name: str
    person_id: int | None = None  # None: a unit subject (the squad)
    outcome: str = "予以问责"
    forms: list[str] = field(default_factory=list)
    sanction_kind: str | None = None
    transfer: bool = False
    responsibility: str = "直接责任"
    status: str = "有效"
    reasons: str = "理由"


def unit_and_people(s, names: list[str]) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    u = Unit(name=f"测试中队{next(_SEQ)}", kind="执法中队", created_at=NOW)
    s.add(u)
    s.flush()
    ids = []
    for n in names:
        p = Person(name=n, unit_id=u.id, post="执法队员", created_at=NOW)
        s.add(p)
        s.flush()
        ids.append(p.id)
    made_by_record(s, None, [("unit", u.id, {}), *[("person", i, {}) for i in ids]])
    return u.id, ids


def insert_case(  # type: ignore[no-untyped-def]
    s,
    unit_id: int,
    decided_on: date,
    subs: list[Sub],
    *,
    grounds: tuple[tuple[int, int], ...] = ((7, 5),),
    behaviour: tuple[str, str] = ("不履行", "推诿"),
    fault: str = "过失",
    consequences: tuple[str, ...] = ("贻误工作",),
    voided: bool = False,
    stage: str = "已送达",
    summary: str = "摘要",
) -> tuple[int, list[int]]:
    """A decided case; returns its id and its subjects' ids."""
    n = next(_SEQ)
    case = Case(
        number=f"WZT-{n:05d}",
        stage=stage,
        proposer_type="主管领导",
        proposer_name="分管副局长",
        proposed_on=date(decided_on.year, 1, 1) if decided_on.month > 1 else decided_on,
        behaviour_type=behaviour[0],
        behaviour_subtype=behaviour[1],
        fault=fault,
        consequences=list(consequences),
        summary=summary,
        # The dates its records give (derive_dates): opened at the meeting below, reported
        # and decided the same day.
        opened_on=date(decided_on.year, 1, 1) if decided_on.month > 1 else decided_on,
        reported_on=decided_on,
        decided_on=decided_on,
        voided=voided,
        created_at=NOW,
    )
    s.add(case)
    s.flush()
    for art, clause in grounds:
        s.add(CaseGround(case_id=case.id, article=art, clause=clause))
    # Opened, as the stage it is given says (the rules read the stage off the records).
    s.add(
        Meeting(
            case_id=case.id, kind="启动问责", meeting_date=case.proposed_on,
            minutes_ref=f"纪要T{n}", outcome="启动", investigation_days=30, created_at=NOW,
        )
    )  # fmt: skip
    report = Report(
        case_id=case.id,
        report_date=decided_on,
        findings="查明",
        legal_basis="依据",
        created_at=NOW,
    )
    s.add(report)
    s.flush()
    sub_ids = []
    unit_name = s.get(Unit, unit_id).name
    for pos, sub in enumerate(subs):
        cs = CaseSubject(
            case_id=case.id,
            position=pos,
            kind="执法人员" if sub.person_id else "执法中队",
            unit_id=unit_id,
            person_id=sub.person_id,
            name=sub.name,
            unit_name=unit_name,
            post="执法队员" if sub.person_id else "",
        )
        s.add(cs)
        s.flush()
        sub_ids.append(cs.id)
        s.add(
            ReportItem(
                report_id=report.id,
                subject_id=cs.id,
                responsibility=sub.responsibility,
                outcome=sub.outcome,
                forms=list(sub.forms),
                sanction_kind=sub.sanction_kind,
            )
        )
        end = sanction_period_end(sub.sanction_kind, decided_on) if sub.sanction_kind else None
        s.add(
            Decision(
                case_id=case.id,
                subject_id=cs.id,
                status=sub.status,
                decided_on=decided_on,
                effective_on=decided_on,
                outcome=sub.outcome,
                forms=list(sub.forms),
                sanction_kind=sub.sanction_kind,
                sanction_end=end,
                transfer_to_judicial=sub.transfer,
                facts="事实",
                reasons=sub.reasons,
                basis="依据",
                doc_number=f"荣综执纪〔T〕{n}-{pos}",
                created_at=NOW,
            )
        )
        s.flush()
        decision_id = s.scalar(select(Decision.id).where(Decision.subject_id == cs.id))
        served = datetime.combine(decided_on, time(10, 0)) + timedelta(days=2)
        s.add(
            Service(
                case_id=case.id, decision_id=decision_id, served_at=served, place="办公室",
                method="直接送达", recipient=sub.name, servers=["纪检干事"],
                review_last_day=served.date() + timedelta(days=30), created_at=NOW,
            )
        )  # fmt: skip
    s.flush()
    made = [("case", case.id, {"voided": voided}), ("report", report.id, {})]
    for entity, model in (("meeting", Meeting), ("decision", Decision), ("service", Service)):
        ids = s.scalars(select(model.id).where(model.case_id == case.id))
        made += [(entity, i, {}) for i in ids]
    made_by_record(s, case.id, made)
    return case.id, sub_ids


def made_by_record(s, case_id: int | None, rows: list[tuple[str, int, dict]]) -> None:  # type: ignore[no-untyped-def, type-arg]
    """One audit record naming ``rows`` (entity, id, what it wrote) as made: replay asks each
    stored row to have been made by a record; nothing more of them is compared."""
    entries = [
        {"entity": e, "entity_id": i, "case_id": case_id, "before": None, "after": after}
        for e, i, after in rows
    ]
    write_audit(s, "", "批量写入案件", NOW, entries)


def recused(  # type: ignore[no-untyped-def]
    s, case_id: int, person_id: int, name: str, on: date, at: datetime = NOW
) -> int:
    """A granted recusal (第十二条) of ``name`` from the case, as a self-application decided
    ``on``, named as made by an audit record: the officer the case is hidden from."""
    from app.storage.models import Recusal

    row = Recusal(
        case_id=case_id, person_id=person_id, person_name=name, role="调查人员",
        mode="本人申请", applicant=name, grounds="近亲属", verdict="准许",
        decided_on=on, created_at=at,
    )  # fmt: skip
    s.add(row)
    s.flush()
    made_by_record(s, case_id, [("recusal", row.id, {})])
    return row.id
