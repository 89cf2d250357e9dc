"""The batch demo at scale: every stage, gap-free numbers, an intact chain, the documents a
real case has, and the stored due dates the rulebook derives.

That it writes exactly what the services write is ``test_golden_bulk.py``; here the
properties that only show on many cases.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.domain.due import next_due
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, SanctionSpec
from app.services.bulk import BatchDemo, PlanRefused, make_bulk_demo
from app.services.case_store import load_state
from app.services.demo import Decide, demo_plans
from app.services.numbers import KIND_DECISION, KIND_REVIEW
from app.storage.models import (
    AuditRecord,
    Case,
    Decision,
    DocNumber,
    IssuedDocument,
    Lead,
    ReviewDecision,
    Service,
)

N_SQLITE = 1500
N_PG = 300


@pytest.fixture
def demo(svc, db):  # type: ignore[no-untyped-def]
    n = N_SQLITE if db.is_sqlite else N_PG
    return n, make_bulk_demo(svc, n, chunk=400)


def test_every_stage_unique_gap_free_numbers_and_intact_chain(svc, db, demo) -> None:
    n, result = demo
    assert result.cases == len(result.case_ids) == n
    assert set(result.by_stage) == {s.value for s in Stage}
    report = svc.audit.verify_chain()
    assert report.ok, report.message
    with db.read() as s:
        stages = dict(s.execute(select(Case.stage, func.count()).group_by(Case.stage)).all())
        assert stages == result.by_stage
        numbers = list(s.scalars(select(Case.number)))
        assert len(set(numbers)) == n
        for year in {m[2:6] for m in numbers}:
            seqs = sorted(int(m.split("-")[1]) for m in numbers if m[2:6] == year)
            assert seqs == list(range(1, len(seqs) + 1))
        for kind in (KIND_DECISION, KIND_REVIEW):
            rows = s.execute(
                select(DocNumber.year, DocNumber.seq).where(DocNumber.kind == kind)
            ).all()
            assert rows, kind
            for year in {y for y, _ in rows}:
                seqs = sorted(q for y, q in rows if y == year)
                assert seqs == list(range(1, len(seqs) + 1))
        # The series of decisions numbers the decisions and, as issued, the 回避决定书.
        recusal_numbers = select(func.count(func.distinct(IssuedDocument.number))).where(
            IssuedDocument.kind == str(DocumentKind.RECUSAL_DECISION)
        )
        assert s.scalar(recusal_numbers) > 0
        assert s.scalar(
            select(func.count(Decision.id)).where(Decision.origin == "党组决定")
        ) + s.scalar(recusal_numbers) == (
            s.scalar(select(func.count(DocNumber.id)).where(DocNumber.kind == KIND_DECISION))
        )
        acts = Counter(dict(s.execute(select(AuditRecord.action, func.count()).group_by(
            AuditRecord.action)).all()))  # fmt: skip
        assert acts["提出问责"] == n
        assert acts["登记线索"] == result.leads == s.scalar(select(func.count(Lead.id))) > 0
        assert sum(acts.values()) == report.records
        assert result.audit_records == report.records - acts["新增单位"] - acts["新增人员"]
        assert s.scalar(select(func.count(Case.id)).where(Case.search_text == "")) == 0
        if db.is_sqlite:
            hits = s.execute(
                text("SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"现场检查\"'")
            ).scalar()
            like = s.scalar(select(func.count(Case.id)).where(Case.search_text.like("%现场检查%")))
            assert hits == like
        afters = s.scalars(select(AuditRecord.after).where(AuditRecord.action == "登记线索")).all()
    # No reporter identity in the trail (Art. 10): the lead's audit only says it is sealed.
    assert afters and all("1390631" not in str(a) for a in afters)


def test_served_decisions_have_their_issued_document_and_closed_cases_a_dossier(db, demo) -> None:
    with db.read() as s:
        issued = {
            (kind, ref): doc_id
            for doc_id, kind, ref in s.execute(
                select(IssuedDocument.id, IssuedDocument.kind, IssuedDocument.ref_id).where(
                    IssuedDocument.superseded_by_id.is_(None)
                )
            )
        }
        served = s.execute(
            select(Service.decision_id, Service.review_decision_id, Service.document_id)
        ).all()
        assert served
        for decision_id, rd_id, document_id in served:
            if rd_id is None:  # Art. 13: the issued 问责决定书 is what was served
                assert document_id == issued[(DocumentKind.DECISION.value, decision_id)]
            else:
                assert document_id == issued[(DocumentKind.REVIEW_DECISION.value, rd_id)]
        for rd_id in s.scalars(select(ReviewDecision.id)):
            assert (DocumentKind.REVIEW_DECISION.value, rd_id) in issued
        closed = set(s.scalars(select(Case.id).where(Case.stage == Stage.CLOSED)))
        dossiers = set(
            s.scalars(
                select(IssuedDocument.case_id).where(IssuedDocument.kind == DocumentKind.DOSSIER)
            )
        )
        assert closed and dossiers == closed
        kinds = set(s.scalars(select(IssuedDocument.kind).distinct()))
    # Sanction releases (解除处分通知书) are not yet part of the demo scenario.
    assert kinds == {k.value for k in DocumentKind} - {DocumentKind.RELEASE_NOTICE.value}


def test_stored_stage_and_next_due_are_what_the_rulebook_derives(svc, db, demo) -> None:
    today = svc.ctx.today()
    calendar = svc.masterdata.calendar()
    step = max(demo[0] // 400, 1)  # about 400 spread over the run (it runs in issue order)
    with db.read() as s:
        cases = list(s.scalars(select(Case).where(Case.id % step == 0).order_by(Case.id)))
        for case in cases:
            state = load_state(s, case)
            due = next_due(state, today, calendar)
            assert case.next_deadline == (due.due if due else None), case.number
            assert case.next_deadline_kind == (due.kind.label if due else ""), case.number
    assert {c.stage for c in cases} == {s.value for s in Stage}


def test_services_carry_on_after_the_batch(svc, db) -> None:
    """Row ids, counters and the audit head are left where the one-by-one services expect."""
    result = make_bulk_demo(svc, 120, chunk=50)
    detail = next(
        d
        for d in (svc.queries.get_case(cid) for cid in result.case_ids)
        if d.stage is Stage.REPORTED
    )
    with db.read() as s:
        year_max = s.scalar(
            select(func.max(DocNumber.seq)).where(
                DocNumber.kind == KIND_DECISION, DocNumber.year == detail.report.report_date.year
            )
        )
    sub = detail.subjects[0]
    item = next(i for i in detail.report.items if i.subject_id == sub.id)
    sanction = SanctionSpec.of(
        item.outcome, item.forms, item.sanction_kind, item.other_form_text,
        item.transfer_to_judicial, item.reasons,
    )  # fmt: skip
    decided = detail.report.report_date
    _id, number = svc.cases.record_decision(
        detail.id,
        DecisionSpec(sub.id, decided, decided, "纪要", sanction, "经查属实。", "第七条"),
    )
    seq = int(re.search(r"〕(\d+)号", number).group(1))  # type: ignore[union-attr]
    assert number.startswith(svc.masterdata.settings().doc_prefix)
    assert seq == (year_max or 0) + 1
    assert svc.audit.verify_chain().ok


def test_a_plan_breaking_a_rule_stops_the_run_and_its_batch_is_not_written(svc, db) -> None:
    plans = list(demo_plans(svc, 30))
    bad = next(p for p in plans if any(isinstance(a, Decide) for a in p.acts))
    at = next(i for i, a in enumerate(bad.acts) if isinstance(a, Decide))
    spec = bad.acts[at].spec
    # A decision dated before the investigation report (Art. 9) must be refused.
    bad.acts[at] = Decide(replace(spec, decided_on=date(2025, 1, 1), meeting_date=date(2025, 1, 1)))
    with db.read() as s:
        before = s.scalar(select(func.count(Case.id))), s.scalar(select(func.count(AuditRecord.id)))
    with pytest.raises(PlanRefused) as err:
        BatchDemo(svc.ctx, svc).write(plans, chunk=100)
    assert "第九条" in err.value.message and "演示方案违反规则" in err.value.message
    with db.read() as s:
        after = s.scalar(select(func.count(Case.id))), s.scalar(select(func.count(AuditRecord.id)))
    assert after == before
    assert svc.audit.verify_chain().ok


def _moments(value: object) -> list[datetime]:
    """Every date-and-time in a plan (a service's 送达时间, say)."""
    if isinstance(value, datetime):
        return [value]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _moments(v)]
    if is_dataclass(value) and not isinstance(value, type):
        return [m for f in fields(value) for m in _moments(getattr(value, f.name))]
    return []


def test_early_in_the_morning_no_plan_is_timed_after_now(svc, clock, db) -> None:
    """The demo runs up to today: at 05:59 a service drawn for today at 10:30 would be in the
    future, and the services refuse it (第十三条), stopping `wenze demo` on the cases of
    that day (seen at 2026-12-03 05:59 with seed 7)."""
    if not db.is_sqlite:
        pytest.skip("plans only: the backend does not matter")
    clock.now = datetime(2026, 12, 3, 5, 59)
    moments = [m for plan in demo_plans(svc, 2000, seed=7) for m in _moments(plan)]
    assert max(moments) > datetime(2026, 11, 25), max(moments)  # the demo reaches today
    assert max(moments) <= clock.now


@pytest.mark.slow
def test_demo_500_then_docs_export(tmp_path: Path, monkeypatch) -> None:
    """`wenze demo --cases 500` then `wenze docs export`: a 问责决定书 for every served
    decision and a dossier for every closed case.

    The threshold is lowered so the 500 cases take the batch path (minutes faster); that it
    writes what the one-by-one path writes is the golden test.
    """
    from app.cli import core, main

    monkeypatch.setattr(core, "BULK_THRESHOLD", 100)
    data, out = tmp_path / "data", tmp_path / "pdf"
    assert main(["demo", "--cases", "500", "--data-dir", str(data)]) == 0
    assert main(["docs", "export", "-o", str(out), "--data-dir", str(data)]) == 0
    exported = {int(p.stem.rsplit("_", 1)[1]): p for p in out.glob("*.pdf")}
    from app.services import build_services
    from app.storage import open_database

    db = open_database(data)
    try:
        svc = build_services(db, data_dir=db.data_dir)
        with db.read() as s:
            served = s.execute(
                select(Service.document_id, Case.number)
                .join(Case, Case.id == Service.case_id)
                .where(Service.review_decision_id.is_(None))
            ).all()
            dossiers = dict(
                s.execute(
                    select(IssuedDocument.case_id, IssuedDocument.id).where(
                        IssuedDocument.kind == DocumentKind.DOSSIER
                    )
                ).all()
            )
            closed = set(s.scalars(select(Case.id).where(Case.stage == Stage.CLOSED)))
        assert served and closed
        for document_id, number in served:
            path = exported[document_id]
            # named after what it decides: 问责决定书, 不予问责决定书 or 免予问责决定书
            assert re.match(rf"{number}_(不予|免予)?问责决定书_", path.name), path.name
            assert path.stat().st_size > 1000
        assert set(dossiers) == closed
        for doc_id in dossiers.values():
            assert "卷宗" in exported[doc_id].name
        assert svc.audit.verify_chain().ok
    finally:
        db.dispose()
