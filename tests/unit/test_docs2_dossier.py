"""A reading of the printed 卷宗 and 启动问责审批表: faults found, each checked here through the
real services on a real SQLite file, the dossier's PDF read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pdfplumber

from app.documents import compose
from app.domain.enums import (
    DocumentKind,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    ServiceMethod,
)
from app.domain.lifecycle import Stage
from app.domain.rules import (
    InitiationSpec,
    RecusalSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    ServiceSpec,
)
from tests.helpers.builders import advance, issue_missing, reviewed, served_leader


def _rows(svc, cid: int, out: Path) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The 案件办理记录 of the case's dossier, as printed: (序号, 日期, 经办人, 事项)."""
    dossier = next(
        v for v in issue_missing(svc, cid, dossier=True) if v.kind == DocumentKind.DOSSIER
    )
    svc.documents.render(dossier.id, out)
    with pdfplumber.open(out) as pdf:
        rows = [r for pg in pdf.pages for t in pg.extract_tables() for r in t]
    return [["".join((c or "").split()) for c in r] for r in rows if r and len(r) == 4]


def _recuse(svc, cid: int, person_id: int, role: str, on: date) -> None:  # type: ignore[no-untyped-def]
    svc.cases.record_recusal(
        cid,
        RecusalSpec(person_id, role, RecusalMode.SELF, "本人", "近亲属", RecusalVerdict.GRANTED, on),
    )  # fmt: skip


# ---- 1. each act names the members on the case on its day (第十二条) ------------------------


def test_the_dossier_names_on_each_act_the_members_on_the_case_that_day(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    """The 案件办理记录 named the investigators and reviewers on the case when the dossier was
    made: an investigator who withdrew after the report was left off it, a reviewer who
    withdrew after the first 复核决定 left off that decision, and one who joined after it named
    on it. Each act names those assigned on or before its day and not yet recused."""
    cid, did, other, _unit = served_leader(svc, world)
    # 崔明远 investigated (report of 3月25日) and withdrew afterwards.
    _recuse(svc, cid, world.staff[1], "调查人员", date(2026, 4, 2))
    # 严守法 reviews the leader's decision (4月20日) ...
    reviewed(svc, world, cid, did, date(2026, 4, 20))
    # ... the squad is served and applies; 尹正清 joins the review, 严守法 withdraws.
    svc.documents.issue_document(cid, DocumentKind.DECISION, other)
    svc.cases.record_service(
        other,
        ServiceSpec(datetime(2026, 4, 21, 9, 30), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]),
    )  # fmt: skip
    app_id, _late = svc.cases.apply_review(other, ReviewApplicationSpec(date(2026, 4, 22), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 4, 25)
    )
    _recuse(svc, cid, world.staff[3], "复核人员", date(2026, 4, 26))
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(date(2026, 4, 30), ReviewOutcome.UPHOLD, "事实清楚", "经复核")
    )
    for rd in svc.queries.get_case(cid).review_decisions:
        svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd.id)
        spec = ServiceSpec(
            datetime(2026, 5, 6, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
        )
        svc.cases.record_review_service(rd.id, spec)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="复核终结")
    rows = _rows(svc, cid, tmp_path / "d.pdf")
    report = next(r for r in rows if r[3].startswith("机关纪委提交调查报告"))
    assert "（调查人员：纪晓岚、崔明远）" in report[3], report
    first, second = (r for r in rows if r[3].startswith("作出复核决定"))
    assert "2026年4月20日" in first[1] and "（复核人员：严守法）" in first[3], first
    assert "2026年4月30日" in second[1] and "（复核人员：尹正清）" in second[3], second


# ---- 2. a case the Party group declined: no investigation, no accountability (第九条) -------


def _declined(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.PROPOSED)
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "反映问题不属实")
    )
    return cid


def _pdf_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join((pg.extract_text() or "").split()) for pg in pdf.pages]


def test_a_declined_cases_form_says_no_investigation_deadline_was_set(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    """第九条: the 启动问责审批表 of a case the Party group declined printed 「调查期限—」 as if
    a deadline were still to come. It says none was set because the case was not opened."""
    cid = _declined(svc, world)
    view = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM, None)
    svc.documents.render(view.id, tmp_path / "f.pdf")
    text = "".join(_pdf_text(tmp_path / "f.pdf"))
    assert "调查期限—" not in text, text
    assert "调查期限不予启动，未确定调查期限" in text, text


def test_a_declined_cases_dossier_cover_names_no_accountability(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    """第九条: no accountability began in a declined case, yet its 卷宗 cover labelled its
    subjects 「问责对象」 and the clauses 「问责情形」. It names them as what was reported:
    「被反映对象」, 「反映的问题」; an opened case keeps its labels."""
    cid = _declined(svc, world)
    dossier = next(
        v for v in issue_missing(svc, cid, dossier=True) if v.kind == DocumentKind.DOSSIER
    )
    svc.documents.render(dossier.id, tmp_path / "d.pdf")
    cover = _pdf_text(tmp_path / "d.pdf")[0]
    assert "问责对象" not in cover and "问责情形" not in cover, cover
    assert "被反映对象：城区一中队、王喆" in cover, cover
    assert "反映的问题：《" in cover and "第七条第（五）项、第八条第（二）项所列情形" in cover, (
        cover
    )
    opened = svc.queries.get_case(advance(svc, world, Stage.REPORTED))
    fields = dict(compose.dossier(replace(opened, closed_on=date(2026, 6, 1)),
                                  svc.documents._letterhead(), [], [])["cover"]["fields"])  # fmt: skip
    assert "问责对象" in fields and "问责情形" in fields, fields


# ---- 4. the 调查报告 names the team of its own day (第十二条) ---------------------------------


def test_a_report_issued_after_a_later_recusal_names_who_made_it(  # type: ignore[no-untyped-def]
    svc, world, tmp_path: Path
) -> None:
    """The 调查报告 of 3月25日 was made by 纪晓岚 and 崔明远; 崔明远 withdrew on 4月2日. Issued
    after that, the report named only 纪晓岚 as the team and told of a recusal that came after
    it. It names the investigators on the case on its own date, and no later recusal."""
    cid, _did, _other, _unit = served_leader(svc, world)
    _recuse(svc, cid, world.staff[1], "调查人员", date(2026, 4, 2))
    view = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)
    svc.documents.render(view.id, tmp_path / "r.pdf")
    text = "".join(_pdf_text(tmp_path / "r.pdf"))
    assert "本案由纪晓岚、崔明远组成调查组" in text, text
    assert "决定回避" not in text and "2026年4月2日" not in text, text
