"""Review rev-docs (what the app prints, read as the 机关纪委 would before signing and
sending it): each fault found in the documents and workbooks of a demo database, checked
on a rendered PDF or a written workbook read back."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace as NS
from typing import Any

import pdfplumber

from app.documents.compose import decisions as compose
from app.documents.compose import to_doc
from app.documents.compose.content import Letterhead
from app.documents.layout import render_pdf
from app.domain.enums import DecisionOutcome

LH = Letterhead(bureau_name="荣成市综合行政执法局", discipline_body="机关纪委")


def _pdf_text(c: dict[str, Any], out) -> str:  # type: ignore[no-untyped-def]
    render_pdf(to_doc(c), out, invariant=True)
    with pdfplumber.open(out) as pdf:
        return "".join("".join((pg.extract_text() or "").split()) for pg in pdf.pages)


def _decision(**kw: Any) -> NS:
    base = dict(
        id=1, subject_id=1, outcome=DecisionOutcome.ACCOUNTABLE.value,
        facts="办理占道经营投诉时推诿塞责", reasons="", meeting=None, forms=["其他方式"],
        sanction_kind=None, other_form_text="调离执法岗位", transfer_to_judicial=False,
        basis="", doc_number="荣综执纪〔2025〕138号", decided_on=date(2025, 7, 19),
        effective_on=date(2025, 7, 19), sanction_end=None, service=None,
    )  # fmt: skip
    base.update(kw)
    return NS(**base)


def _case(d: NS) -> NS:
    sub = NS(id=1, kind="执法人员", name="魏敏", unit_name="崖头中队", post="副中队长",
             unit_id=1, is_leader=False)  # fmt: skip
    return NS(
        id=1, number="WZ2025-0101", subjects=[sub], subject=lambda _id: sub, report=None,
        meetings=[], proposed_on=date(2025, 6, 15), proposer_type="职能科室",
        proposer_name="督查科", summary="", evidence=[], behaviour_type="不正确履行",
        behaviour_subtype="不依照规定时间", fault="过失", consequences=["贻误工作"],
        grounds=[(8, 4)], statement_for=lambda _id: None, decisions=[d],
        review_applications=[], review_decisions=[], recusals=[],
    )  # fmt: skip


# ---- 1. a 复核决定书 revoking 「调离执法岗位」 says 「…的处理」 once ---------------------------


def test_a_revoked_transfer_is_named_without_a_doubled_word(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """WZ2025-0101's 复核决定书 printed 「原问责决定对魏敏作出调离执法岗位的处理的处理一并撤销」."""
    case = _case(_decision())
    case.review_applications = [NS(id=1, decision_id=1, received_on=date(2025, 8, 1),
                                   grounds="认为处理过重", late=False, late_reason="")]  # fmt: skip
    case.review_decisions = [NS(id=1, application_id=1, outcome="撤销", new_decision_id=None,
                                decided_on=date(2025, 8, 16), doc_number="荣综执纪复〔2025〕18号",
                                facts="", reasons="原处理决定认定的主要事实证据不足")]  # fmt: skip
    text = _pdf_text(compose.review_decision(case, LH, 1), tmp_path / "review.pdf")
    assert "的处理的处理" not in text, text
    # (the page number, 「—1—」, is read in where a page turns inside the sentence)
    assert "原问责决定对魏敏作出调离执法岗位的处理一并撤销" in re.sub(r"—\d+—", "", text), text


# ---- 2. 「送达处理决定（人次）」 counts the decisions served, not the 复核决定书 served ---------


def test_the_served_figure_does_not_count_a_review_decision_served(svc, world, clock, tmp_path):  # type: ignore[no-untyped-def]
    """The demo's November 2026: 送达 26 人次 in the 汇总 beside 24 services of 处理决定 — two
    were 复核决定书 served (YTD 173 served against 162 decisions made). The row sits with the
    处理决定 rows (first versions, review results not counted); the review has its own rows."""
    import dataclasses
    from datetime import datetime

    import openpyxl
    from sqlalchemy import text

    from app.domain.enums import DocumentKind, ReviewOutcome
    from app.readmodels import Period
    from tests.unit.test_rulebook import SERVICE, reviewed

    cid, rd_id = reviewed(svc, world, clock, ReviewOutcome.UPHOLD)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    svc.cases.record_review_service(
        rd_id, dataclasses.replace(SERVICE, served_at=datetime(2026, 5, 9, 10, 0))
    )
    path = tmp_path / "m.xlsx"
    svc.reports.export_monthly(path, Period.month(2026, 5))
    rows = {
        r[0]: r for r in openpyxl.load_workbook(path)["汇总"].iter_rows(min_row=4, values_only=True)
    }
    with svc.db.engine.connect() as conn:
        may, year = (
            conn.execute(
                text(
                    "SELECT count(*) FROM services WHERE superseded_by_id IS NULL AND "
                    "review_decision_id IS NULL AND served_at >= :a AND served_at < :b"
                ),
                {"a": a, "b": "2026-06-01"},
            ).scalar_one()
            for a in ("2026-05-01", "2026-01-01")
        )
    assert (may, year) == (0, 2)
    assert rows["送达处理决定（人次）"][1:3] == (may, year), rows["送达处理决定（人次）"]
    assert rows["复核决定（件）"][1] == 1


# ---- 3. the demo's findings name who did it; its words are standard Chinese ----------------


def test_the_demo_states_its_findings_with_their_subject(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every demo 问责决定书 read 「经查，办理港湾街道占道经营投诉时推诿塞责，…」 and every
    调查报告 「经调查核实，办理…」: a finding with no one doing it (the 审批表's 基本情况 has
    「魏敏办理…」); the report also said the 调查组 was formed twice; clause 7 (6) read
    「另行其是」, which is not a Chinese word."""
    import io
    from datetime import datetime

    from sqlalchemy import select

    from app.domain.enums import DocumentKind
    from app.services import build_services
    from app.services.demo import make_demo
    from app.services.demo_bureau import CLAUSE_FACTS, FACTS
    from app.services.vault import StaticKeyProvider
    from app.storage.models import Case
    from tests.conftest import make_db

    assert not [f for f in (*CLAUSE_FACTS.values(), *FACTS) if "另行其是" in f]
    db = make_db("sqlite", tmp_path)
    svc = build_services(db, data_dir=tmp_path, clock=lambda: datetime(2026, 11, 25, 10),
                         keys=StaticKeyProvider(b"k" * 32))  # fmt: skip
    make_demo(svc, 8)
    with db.read() as s:
        ids = list(s.scalars(select(Case.id).order_by(Case.id)))
    seen = 0
    for cid in ids:
        case = svc.queries.get_case(cid)
        names = tuple(sub.name for sub in case.subjects)
        for view in svc.documents.list_documents(cid):
            if view.kind not in (DocumentKind.DECISION, DocumentKind.INVESTIGATION_REPORT):
                continue
            buf = io.BytesIO()
            svc.documents.render(view.id, buf)
            with pdfplumber.open(io.BytesIO(buf.getvalue())) as pdf:
                text = "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)
            for lead in ("经查，", "经调查核实，"):
                for part in text.split(lead)[1:]:
                    assert part.startswith(names), f"{view.title}: {lead}{part[:30]}"
                    seen += 1
            assert text.count("成立调查组") + text.count("组成调查组") <= 1, text
    assert seen
    db.dispose()


# ---- 4. one who withdrew from the case (第十二条) does not serve its decisions ---------------


def test_a_recused_officer_does_not_serve_the_cases_decisions(svc, world, clock, tmp_path):  # type: ignore[no-untyped-def]
    """The demo: 纪晓岚 withdrew from WZ2025-0057 (「与问责对象系近亲属关系」, 回避决定书:
    「不再参与本案的调查、审理和讨论，不得查阅本案材料」) and then served both its decisions,
    her name on both 送达回证 — the relative the recusal kept away handing him the decision."""
    import dataclasses
    from datetime import datetime

    import pytest

    from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, ReviewOutcome
    from app.domain.lifecycle import Stage
    from app.domain.rules import RecusalSpec, RuleViolation
    from tests.helpers.builders import advance, recuse_yan
    from tests.unit.test_rulebook import SERVICE, reviewed

    cid = advance(svc, world, Stage.DECIDED)
    recuse_yan(svc, world, cid)
    decision = svc.queries.get_case(cid).decisions_in_force()[0]
    svc.documents.issue_document(cid, DocumentKind.DECISION, decision.id)
    with pytest.raises(RuleViolation, match="第十二条") as exc:
        svc.cases.record_service(
            decision.id, dataclasses.replace(SERVICE, servers=["崔明远", "严守法"])
        )
    assert "严守法" in str(exc.value)
    svc.cases.record_service(
        decision.id, dataclasses.replace(SERVICE, servers=["崔明远", "纪晓岚"])
    )
    # … nor the 复核决定书 (a review of another case, the same officer recused there)
    rcid, rd_id = reviewed(svc, world, clock, ReviewOutcome.UPHOLD)  # (严守法 reviews it)
    svc.cases.record_recusal(
        rcid,
        RecusalSpec(world.staff[2], "调查人员", RecusalMode.SELF, "尹正清", "近亲属",
                    RecusalVerdict.GRANTED, date(2026, 3, 10)),
    )  # fmt: skip
    svc.documents.issue_document(rcid, DocumentKind.REVIEW_DECISION, rd_id)
    late = dataclasses.replace(SERVICE, served_at=datetime(2026, 5, 9, 10, 0), servers=["尹正清"])
    with pytest.raises(RuleViolation, match="第十二条"):
        svc.cases.record_review_service(rd_id, late)
