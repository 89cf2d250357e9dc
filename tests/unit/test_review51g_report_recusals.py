"""Review 51g (the unusual outcomes read before signing): the 调查报告 states every recusal
decided in the investigation (第十二条), the refused one and the replacement too.

A case where 王喆 (the subject) applied for 崔明远's recusal and it was refused, and where
纪晓岚 withdrew and 严守法 replaced her: the report told the Party group that 「崔明远、严守法
组成调查组，上述调查人员均已声明无应当回避的情形」 — silent on the application the subject
made against an investigator who then signed the report, and on who took the recused
member's place. The Party group decides on that report (第九条); a recusal raised and refused
is part of the investigation's course and its legality (第十二条)."""

from __future__ import annotations

from datetime import date

import pdfplumber

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, StatementKind
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec
from tests.helpers.builders import advance, report_spec


def _text(svc, view, out) -> str:  # type: ignore[no-untyped-def]
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        return "".join("".join((pg.extract_text() or "").split()) for pg in pdf.pages)


def test_the_report_states_a_refused_recusal_and_the_replacement(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ji, cui, _yin, yan = world.staff
    cid = advance(svc, world, Stage.INVESTIGATING)
    for person in (ji, cui):
        svc.cases.assign_investigator(
            cid, person, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            ji, "调查人员", RecusalMode.SELF, "纪晓岚", "与问责对象系近亲属关系",
            RecusalVerdict.GRANTED, date(2026, 3, 10), yan,
        ),
    )  # fmt: skip
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            cui, "调查人员", RecusalMode.SUBJECT, "王喆", "认为其与本人有矛盾",
            RecusalVerdict.REJECTED, date(2026, 3, 11),
        ),
    )  # fmt: skip
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    svc.cases.submit_report(cid, report_spec(case))
    report = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT)
    text = _text(svc, report, tmp_path / "report.pdf")
    assert "本案由崔明远、严守法组成调查组" in text, text
    assert "纪晓岚经本人申请，于2026年3月10日决定回避，未参与此后的调查，由严守法接替" in text
    assert (
        "王喆申请崔明远回避，机关纪委于2026年3月11日经审查认为不属于应当回避的情形，"
        "决定驳回，崔明远继续参与调查" in text
    ), text
