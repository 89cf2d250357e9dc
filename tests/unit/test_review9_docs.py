"""Review 9 (documents read as a discipline officer and a lawyer would): faults found in the
printed documents of a demo database, each checked here on the generated output — PDFs read
back with pdfplumber, or the composed content — through the real services on a real SQLite
file."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, issue_missing
from tests.unit.test_cleared_subject_docs import cleared  # noqa: F401 (a fixture)


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((pg.extract_text() or "").split()) for pg in pdf.pages)


@pytest.fixture
def cleared_dossier(cleared):  # type: ignore[no-untyped-def]  # noqa: F811
    """The cleared case (免予问责, 不予问责; decisions and 送达回证 issued) closed, and its
    dossier issued and printed."""
    svc, cid, tmp_path = cleared
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="复核期限届满")
    views = issue_missing(svc, cid, dossier=True)
    dossier = next(v for v in views if v.kind == DocumentKind.DOSSIER)
    svc.documents.render(dossier.id, tmp_path / "dossier.pdf")
    return svc, cid, dossier, _text(tmp_path / "dossier.pdf")


def _toc(svc, dossier) -> list[str]:  # type: ignore[no-untyped-def]
    _view, content = svc.documents.get_document(dossier.id)
    return list(content["toc"])


def test_a_dossier_files_a_clearing_decision_before_its_service_proof(cleared_dossier) -> None:  # type: ignore[no-untyped-def]
    """第十三条: a decision is served after it is made; the 卷宗 files the 不予问责决定书 and
    免予问责决定书 where a 问责决定书 goes — after the report, before the 送达回证."""
    svc, _cid, dossier, text = cleared_dossier
    toc = _toc(svc, dossier)
    kinds = [re.sub(r"（.*", "", t).strip() for t in toc]
    assert kinds[0] == "启动问责审批表" and "调查报告" in kinds, kinds
    first_proof = kinds.index("送达回证")
    decisions = [n for n, k in enumerate(kinds) if k in ("不予问责决定书", "免予问责决定书")]
    assert len(decisions) == 2, kinds
    assert max(decisions) < first_proof, kinds
    assert kinds.index("调查报告") < min(decisions), kinds
    # As printed: the contents list the decisions before the proofs.
    contents = text[text.index("目录") :]
    assert contents.index("免予问责决定书") < contents.index("送达回证"), contents[:300]
    assert contents.index("不予问责决定书") < contents.index("送达回证"), contents[:300]


def test_the_dossier_record_names_a_clearing_decision_as_a_decision(cleared_dossier) -> None:  # type: ignore[no-untyped-def]
    """The 案件办理记录 says 「作出免予问责决定」, never the bare 「作出免予问责（…）」."""
    _svc, _cid, _dossier, text = cleared_dossier
    record = text[text.index("案件办理记录", text.index("目录") + 10) :]
    assert "作出免予问责决定（" in record and "作出不予问责决定（" in record, record
    assert not re.search(r"作出(免予|不予)问责（", record), record


def test_a_release_notice_after_a_review_change_states_the_period_served(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """公务员法第六十四条: a 警告 runs six months. A decision changed on review (第十四条)
    counts its period from the original decision's effect (the sanction was in force during
    the review); the 解除处分通知书 states that period — never one starting on the review
    day and ending six months after the original, which reads as a shorter sanction — and
    names the review decision that imposed the 警告."""
    from app.documents.text import format_cn_date
    from app.domain.enums import ReviewOutcome
    from app.domain.release import ReleaseSpec
    from tests.unit.test_rulebook import SERVICE, reviewed

    cid, rd_id = reviewed(svc, world, clock, ReviewOutcome.CHANGE)
    case = svc.queries.get_case(cid)
    new = next(d for d in case.decisions_in_force() if d.origin.startswith("复核"))
    old = next(d for d in case.decisions if d.id == new.replaces_id)
    assert new.sanction_kind == "警告" and new.effective_on > old.effective_on
    assert new.sanction_end == date(2026, 10, 1)  # six months from the original's effect
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    svc.cases.record_review_service(rd_id, replace(SERVICE, served_at=datetime(2026, 5, 9, 10, 0)))
    clock.now = datetime(2026, 10, 3, 9, 0)
    release_id = svc.releases.release(
        new.id, ReleaseSpec(date(2026, 10, 2), "受处分期间能正确对待处分，认真整改", "纪晓岚")
    )
    view = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, release_id)
    text = "".join(b.get("text", "") for b in svc.documents.get_document(view.id)[1]["blocks"])
    start = format_cn_date(old.effective_on)
    assert f"处分期间自{start}起至{format_cn_date(new.sanction_end)}止" in text, text
    assert f"处分期间自{format_cn_date(new.effective_on)}起" not in text, text
    rd = next(r for r in case.review_decisions if r.id == rd_id)
    assert f"以{rd.doc_number}复核决定" in text, text


def test_a_waiver_is_stated_as_what_the_subject_did_and_when(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """第十三条: the decision tells the subject his rights. 「你放弃陈述和申辩的权利。」 reads
    as an order to waive them; the 问责决定书 says he declared the waiver, and on which day."""
    from app.domain.enums import StatementKind
    from app.domain.rules import DecisionSpec
    from tests.helpers.builders import LEADER_SANCTION

    cid = advance(svc, world, Stage.REPORTED)
    leader = svc.queries.get_case(cid).subjects[1]
    svc.cases.record_statement(cid, leader.id, kind=StatementKind.WAIVED, made_on=date(2026, 3, 21))
    svc.cases.record_decision(
        cid,
        DecisionSpec(leader.id, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号",
                     LEADER_SANCTION, "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条"),
    )  # fmt: skip
    d = next(x for x in svc.queries.get_case(cid).decisions_in_force() if x.subject_id == leader.id)
    view = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    svc.documents.render(view.id, tmp_path / "decision.pdf")
    text = _text(tmp_path / "decision.pdf")
    assert "你于2026年3月21日表示放弃陈述和申辩的权利。" in text, text
    assert "。你放弃陈述和申辩的权利" not in text, text


def test_an_approval_form_longer_than_a_page_starts_under_its_title(
    svc, world, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A 启动问责审批表 whose 基本情况 and 问责情形 run past one page starts under its title and
    runs on; it never leaves the title alone on a blank first page (GB/T 9704 §7.3.3)."""
    from app.domain.rules import InitiationSpec
    from tests.helpers.builders import proposal

    summary = "城区一中队在处理沿海路占道经营和夜间噪声扰民投诉过程中，" * 25 + "超期未办。"
    grounds = [(7, n) for n in range(1, 7)] + [(8, n) for n in range(1, 5)]
    cid = svc.cases.propose_case(proposal(world, summary=summary, grounds=grounds))
    svc.cases.decide_initiation(
        cid,
        InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", True, investigation_days=30),
    )
    view = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM, None)
    svc.documents.render(view.id, tmp_path / "form.pdf")
    with pdfplumber.open(tmp_path / "form.pdf") as pdf:
        pages = ["".join((pg.extract_text() or "").split()) for pg in pdf.pages]
    assert len(pages) >= 2, pages
    first = pages[0]
    assert first.startswith("启动问责审批表"), first
    number = svc.queries.get_case(cid).number
    assert f"案件编号{number}" in first and "提出主体" in first and "问责情形" in first, first
    assert "主要领导意见" in pages[-1], pages[-1]


def test_the_demo_gives_each_person_a_post_of_his_own_unit(svc) -> None:  # type: ignore[no-untyped-def]
    """What a first user reads: 「被问责人：…，法制科中队副队长」 or 「俚岛中队副科长」 is no post
    anyone holds; a 科室 has 科员 and 科长, a 中队 its 队员 and 队长 — as printed in the
    decisions of the demo."""
    from app.services.demo import make_demo

    make_demo(svc, 12)  # the svc fixture's clock is the demo's day (2026-11-25)
    lines = []
    for cid in range(1, 13):
        case = svc.queries.get_case(cid)
        for d in case.decisions_in_force():
            blocks = svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)["blocks"]
            lines.append(blocks[1]["text"])
    persons = [x for x in lines if x.startswith(("被问责人：", "问责对象：")) and "，" in x]
    assert persons, lines
    for line in persons:
        where = line.split("，", 1)[1]
        assert not re.search(
            r"科(中队|执法队员)|中队(副)?科长|中队(一级科员|四级主任科员)|中队中队副", where
        ), line  # 「城区一中队中队副队长」 says 中队 twice: the post is 副中队长


def _report_text(svc, cid: int, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    view = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, None)
    svc.documents.render(view.id, tmp_path / "report.pdf")
    return _text(tmp_path / "report.pdf")


@pytest.mark.parametrize("late", [True, False])
def test_a_report_says_in_time_only_when_it_was(svc, world, tmp_path: Path, late: bool) -> None:  # type: ignore[no-untyped-def]
    """第九条 (限期调查): the 调查报告 does not assert 「在确定的期限内」 of an investigation
    whose report came after its deadline; it states when the report was made instead."""
    from app.domain.enums import ResponsibilityType
    from app.domain.rules import ReportItemSpec, ReportSpec
    from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION

    cid = advance(svc, world, Stage.INVESTIGATING)
    case = svc.queries.get_case(cid)
    assert case.investigation_deadline == date(2026, 4, 7)  # 清明 moves it on
    for person in world.staff[:2]:
        svc.cases.assign_investigator(
            cid, person, declared_no_conflict=True, declared_on=date(2026, 3, 5)
        )
    on = date(2026, 4, 20) if late else date(2026, 3, 25)
    squad, leader = case.subjects
    svc.cases.submit_report(
        cid,
        ReportSpec(on, "经查属实。", "第七条第（五）项、第十一条", [
            ReportItemSpec(squad.id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
            ReportItemSpec(leader.id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION),
        ]),
    )  # fmt: skip
    text = _report_text(svc, cid, tmp_path)
    assert "调查期限至2026年4月7日。" in text, text
    # No 陈述申辩 recorded: section 四 says so, never a heading with nothing under it.
    part = text[text.index("四、被调查对象的态度和陈述申辩") : text.index("五、责任认定")]
    assert "截至本报告提交之日，城区一中队未提出陈述和申辩。" in part, part
    assert "截至本报告提交之日，王喆未提出陈述和申辩。" in part, part
    if late:
        assert "在确定的期限内" not in text, text
        assert "本报告于2026年4月20日提交，已超过调查期限。" in text, text
    else:
        assert "机关纪委在确定的期限内进行了调查核实。" in text, text
        assert "已超过调查期限" not in text, text


def test_a_document_for_the_subject_naming_the_reporter_is_refused(
    svc, world, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """第十条: an officer's wording (here the facts of a 问责决定书, reworded before issue) does
    not carry the reporter of the case's lead into what the subject receives; the refusal
    names nothing of the reporter, and nothing is issued."""
    from app.domain.enums import LeadChannel, LeadSource
    from app.domain.rules import RuleViolation
    from app.services.vault import ReporterIdentity

    letter = {"source": LeadSource.ACCUSATION, "channel": LeadChannel.LETTER}
    reporter = ReporterIdentity(name="甲乙丙", phone="13800000000")
    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 20), content="反映城区一中队推诿投诉", reporter=reporter, **letter
    )
    cid = advance(svc, world, Stage.DECIDED)
    svc.leads.link_lead(lead, cid)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION, d.id)
    facts = next(b for b in draft["blocks"] if b.get("text", "").startswith("经查"))
    for typed in ("经查，据甲乙丙来信反映，王喆对辖区占道经营投诉推诿。",
                  "经查，据群众（电话 138 0000 0000）反映，王喆对投诉推诿。"):  # fmt: skip
        facts["text"] = typed
        with pytest.raises(RuleViolation) as refused:
            svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, draft)
        message = str(refused.value)
        assert message.startswith("依据第十条") and "举报人" in message, message
        assert "甲乙丙" not in message and "13800000000" not in message, message
    assert svc.documents.list_documents(cid) == []
    # Worded without the reporter, it issues and prints.
    facts["text"] = "经查，王喆对辖区占道经营投诉推诿。"
    view = svc.documents.issue_document(cid, DocumentKind.DECISION, d.id, draft)
    svc.documents.render(view.id, tmp_path / "decision.pdf")
    assert "王喆对辖区占道经营投诉推诿" in _text(tmp_path / "decision.pdf")


def test_the_grounds_on_a_cover_and_a_form_name_their_instrument(cleared_dossier) -> None:  # type: ignore[no-untyped-def]
    """A citation names its instrument: the 卷宗 cover and the 启动问责审批表 say
    《行政执法责任问责制管理办法》第七条第（五）项, not a bare 「第七条第（五）项」."""
    svc, cid, _dossier, text = cleared_dossier
    title = "《行政执法责任问责制管理办法》"
    assert f"问责情形：{title}第七条第（五）项、第八条第（二）项" in text, text[:400]
    form = svc.documents.draft_document(cid, DocumentKind.INITIATION_FORM, None)
    cells = [c["text"] for r in form["blocks"][0]["rows"] for c in r["cells"]]
    grounds = cells[cells.index("问责情形") + 1]
    assert grounds.startswith(f"{title}第七条第（五）项："), grounds
    assert "\n第八条第（二）项：" in grounds, grounds
