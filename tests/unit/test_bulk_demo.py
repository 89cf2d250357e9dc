"""The bulk path writes what the one-by-one services would: rules, numbers, audit chain."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, RuleViolation, SanctionSpec
from app.services.bulk import BulkCaseBuilder, demo_plans, make_bulk_demo
from app.services.numbers import KIND_DECISION, KIND_REVIEW
from app.storage.models import AuditRecord, Case, Decision, DocNumber, Lead
from tests.helpers.builders import LEADER_SANCTION

N_SQLITE = 2000
N_PG = 400


def test_bulk_demo_every_stage_unique_numbers_and_intact_chain(svc, db) -> None:
    n = N_SQLITE if db.is_sqlite else N_PG
    result = make_bulk_demo(svc, n, chunk=700)
    assert len(result.case_ids) == n
    assert set(result.by_stage) == {s.value for s in Stage}
    assert len(set(result.numbers)) == n

    report = svc.audit.verify_chain()
    assert report.ok, report.message
    with db.read() as s:
        stages = dict(s.execute(select(Case.stage, func.count()).group_by(Case.stage)).all())
        assert stages == result.by_stage
        # Case numbers per year are 1..k without gaps, as the counter hands them out.
        for year in {int(m[2:6]) for m in result.numbers}:
            seqs = sorted(int(m.split("-")[1]) for m in result.numbers if m[2:6] == str(year))
            assert seqs == list(range(1, len(seqs) + 1))
        # Document numbers: one register row per issued number, gap-free per kind and year.
        for kind in (KIND_DECISION, KIND_REVIEW):
            rows = s.execute(
                select(DocNumber.year, DocNumber.seq).where(DocNumber.kind == kind)
            ).all()
            for year in {y for y, _ in rows}:
                seqs = sorted(q for y, q in rows if y == year)
                assert seqs == list(range(1, len(seqs) + 1))
        assert s.scalar(select(func.count(Decision.id))) == s.scalar(
            select(func.count(DocNumber.id)).where(DocNumber.kind == KIND_DECISION)
        ) + s.scalar(select(func.count(Decision.id)).where(Decision.origin != "党组决定"))
        # One audit record per act, e.g. every case's proposal and every lead's registration.
        acts = dict(
            s.execute(select(AuditRecord.action, func.count()).group_by(AuditRecord.action)).all()
        )
        assert acts["提出问责"] == n
        assert acts["登记线索"] == result.leads == s.scalar(select(func.count(Lead.id)))
        assert sum(acts.values()) == report.records
        master = acts.get("新增单位", 0) + acts.get("新增人员", 0)
        assert result.audit_records == report.records - master
        # Denormalised list columns are filled as CaseService.refresh fills them.
        missing = s.scalar(
            select(func.count(Case.id)).where(
                Case.stage == Stage.INVESTIGATING, Case.next_deadline.is_(None)
            )
        )
        assert missing == 0
        assert s.scalar(select(func.count(Case.id)).where(Case.search_text == "")) == 0
        if db.is_sqlite:
            hits = s.execute(
                text("SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"现场检查\"'")
            ).scalar()
            like = s.scalar(select(func.count(Case.id)).where(Case.search_text.like("%现场检查%")))
            assert hits == like
    # No reporter identity in the trail (Art. 10): the lead's audit only says it is sealed.
    with db.read() as s:
        afters = s.scalars(select(AuditRecord.after).where(AuditRecord.action == "登记线索")).all()
    assert all("1390631" not in str(a) for a in afters)


def test_services_carry_on_after_bulk(svc, db) -> None:
    """Row ids, sequences and counters are left where the one-by-one services expect them."""
    result = make_bulk_demo(svc, 120, chunk=50)
    detail = next(
        d
        for d in (svc.queries.get_case(cid) for cid in result.case_ids)
        if d.stage is Stage.REPORTED
    )
    prefix = svc.masterdata.settings().doc_prefix
    with db.read() as s:
        year_max = s.scalar(
            select(func.max(DocNumber.seq)).where(
                DocNumber.kind == KIND_DECISION, DocNumber.year == 2026
            )
        )
    sub = detail.subjects[0]
    assert detail.report is not None
    item = next(i for i in detail.report.items if i.subject_id == sub.id)
    sanction = SanctionSpec.of(
        item.outcome,
        item.forms,
        item.sanction_kind,
        item.other_form_text,
        item.transfer_to_judicial,
        item.reasons,
    )
    decided = detail.report.report_date
    _id, number = svc.cases.record_decision(
        detail.id,
        DecisionSpec(sub.id, decided, decided, "纪要", sanction, "经查属实。", "第七条"),
    )
    seq = int(re.search(r"〕(\d+)号", number).group(1))  # type: ignore[union-attr]
    assert number.startswith(prefix)
    if decided.year == 2026:
        assert seq == (year_max or 0) + 1
    assert svc.audit.verify_chain().ok


def test_a_refused_act_rolls_back_its_whole_chunk(svc, db) -> None:
    plans = list(demo_plans(svc, 30))
    bad = next(i for i, p in enumerate(plans) if p.decisions)
    # A decision dated before the investigation report (Art. 9) must be refused.
    plans[bad].decisions[0] = replace(
        plans[bad].decisions[0],
        decided_on=date(2000, 1, 1),
        meeting_date=date(2000, 1, 1),
        sanction=LEADER_SANCTION,
    )
    with db.read() as s:
        before = (
            s.scalar(select(func.count(Case.id))),
            s.scalar(select(func.count(AuditRecord.id))),
        )
    with pytest.raises(RuleViolation) as err:
        BulkCaseBuilder(svc.ctx, svc).write(plans, chunk=100)
    assert err.value.message.startswith("依据")
    with db.read() as s:
        after = (
            s.scalar(select(func.count(Case.id))),
            s.scalar(select(func.count(AuditRecord.id))),
        )
    assert after == before
    assert svc.audit.verify_chain().ok
