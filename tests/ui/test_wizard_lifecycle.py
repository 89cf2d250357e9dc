"""The whole lifecycle of a two-subject case driven through the wizard alone (issue 4)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain import deadlines
from app.domain.lifecycle import Stage
from app.ui.wizard import open_wizard
from tests.helpers.wizard_driver import (
    click,
    confirm_decisions,
    fill,
    finish_button,
    go_next,
    issue_in_dialog,
    next_button,
    serve_review_to_wang,
    through_dialog,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def wizard_world(svc, world, clock):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 3, 2, 9, 0)
    return svc, world, clock


def test_full_lifecycle_through_the_wizard(qtbot, wizard_world, tmp_path, monkeypatch) -> None:
    svc, w, clock = wizard_world
    wiz = open_wizard(svc, None)
    qtbot.addWidget(wiz)
    assert wiz.currentId() == 1

    # 1 提出问责 ------------------------------------------------------------------
    p1 = wiz.page_for(1)
    assert not next_button(wiz).isEnabled()
    assert "第三条" in p1.problems_label.text()
    assert "第九条" in p1.article_panel.toPlainText()
    fill(
        p1,
        proposerType="主管领导",
        proposerName="分管副局长",
        proposedOn=date(2026, 3, 2),
        subjectList=[f"u:{w.squad_id}", f"p:{w.leader_id}"],
        groundList=["7.5", "8.2"],
        behaviourType="不履行",
        behaviourSubtype="推诿",
        fault="过失",
        consequenceList=["贻误工作"],
        summary="城区一中队对占道经营投诉推诿塞责，超期未办。",
    )
    assert p1.problems_label.text() == ""
    assert go_next(wiz) == 2
    case_id = wiz.case_id
    assert svc.queries.get_case(case_id).stage is Stage.PROPOSED

    # 2 党组会议决定启动 ----------------------------------------------------------
    clock.now = datetime(2026, 3, 5, 15, 0)
    p2 = wiz.page_for(2)
    fill(p2, meetingDate=date(2026, 3, 5), byDays=True, days=30)
    assert not next_button(wiz).isEnabled()
    assert "第九条" in p2.problems_label.text()  # minutes reference missing
    fill(p2, minutesRef="党组会议纪要〔2026〕7号")
    expected = deadlines.investigation_deadline(
        date(2026, 3, 5), days=30, calendar=svc.masterdata.calendar()
    )
    label = p2.w("deadlineLabel").text()
    assert (
        f"{expected.last_day.year}年{expected.last_day.month}月{expected.last_day.day}日" in label
    )
    assert expected.rolled_over and "顺延" in label  # 4月4日 is 清明 → the next working day
    assert go_next(wiz) == 3

    # 3 调查核实: two investigators, one recused and replaced ------------------------
    clock.now = datetime(2026, 3, 9, 15, 0)  # the recusal below is dated 3月9日: not ahead
    p3 = wiz.page_for(3)
    assert not next_button(wiz).isEnabled()
    assert "至少2名调查人员" in p3.problems_label.text()
    for pid in w.staff[:2]:
        fill(p3, personCombo=pid)
        assert not p3.w("addInvestigatorButton").isEnabled()  # declaration not yet made
        fill(p3, declareCheck=True)
        click(p3, "addInvestigatorButton")
    assert next_button(wiz).isEnabled()
    fill(
        p3,
        recusalPerson=w.staff[1],
        recusalMode="本人申请",
        recusalApplicant="崔明远",
        recusalGrounds="与问责对象王喆系近亲属",
        recusalVerdict="准许",
        recusalDate=date(2026, 3, 9),
        replacementCombo=w.staff[2],
    )
    click(p3, "recordRecusalButton")
    assert "崔明远" in p3.w("recusalList").item(0).text()
    # the recused person cannot come back (Art. 12)
    fill(p3, personCombo=w.staff[1], declareCheck=True)
    assert not p3.w("addInvestigatorButton").isEnabled()
    assert "第十二条" in p3.w("invProblems").text()
    clock.now = datetime(2026, 3, 20, 16, 0)  # evidence and statements below are dated up to today
    attachment = tmp_path / "询问笔录.txt"
    attachment.write_text("询问笔录内容", encoding="utf-8")
    fill(
        p3,
        evidenceTitle="询问笔录",
        evidenceDescription="对王喆的询问",
        evidenceDate=date(2026, 3, 12),
        attachmentPath=str(attachment),
    )
    click(p3, "addEvidenceButton")
    case = svc.queries.get_case(case_id)
    for sub in case.subjects:
        fill(
            p3,
            statementSubject=sub.id,
            statementKind="陈述申辩",
            statementDate=date(2026, 3, 20),
            statementContent=f"{sub.name}对事实无异议，请求从轻处理。",
        )
        click(p3, "recordStatementButton")
    fill(
        p3,
        conductSubject=case.subjects[1].id,
        conductCooperative=True,
        conductDescription="如实说明情况",
        conductDate=date(2026, 3, 20),
    )
    click(p3, "recordConductButton")
    assert go_next(wiz) == 4

    # 4 调查报告 ------------------------------------------------------------------
    clock.now = datetime(2026, 3, 25, 10, 0)
    p4 = wiz.page_for(4)
    squad, leader = case.subjects
    fill(
        p4,
        reportDate=date(2026, 3, 25),
        course="调取投诉记录，询问当事人。",
        findings="经查，该中队对投诉推诿塞责，超期未办属实。",
        attitude="态度端正",
        legalBasis="第七条第（五）项、第十一条",
    )
    fill(
        p4.editors[squad.id],
        responsibility="直接责任",
        outcome="予以问责",
        formCirculated=True,
        reasons="管理不严",
    )
    fill(
        p4.editors[leader.id],
        responsibility="主要领导责任",
        outcome="予以问责",
        formSanction=True,
        sanctionKind="记过",
        reasons="负主要领导责任",
    )
    assert go_next(wiz) == 5

    # 5 党组处理决定 ---------------------------------------------------------------
    clock.now = datetime(2026, 4, 1, 16, 0)
    p5 = wiz.page_for(5)
    assert p5.editors[leader.id].w("formSanction").isChecked()  # prefilled from the report
    fill(
        p5,
        meetingDate=date(2026, 4, 1),
        minutesRef="党组会议纪要〔2026〕9号",
        decidedOn=date(2026, 4, 1),
        effectiveOn=date(2026, 4, 1),
    )
    assert "2027年4月1日" in p5.editors[leader.id].w("periodLabel").text()
    asked = confirm_decisions(monkeypatch)  # 下一步 takes the numbers: it asks first
    assert go_next(wiz) == 6
    numbers = sorted(d.doc_number for d in svc.queries.get_case(case_id).decisions_in_force())
    assert numbers == ["荣综执纪〔2026〕1号", "荣综执纪〔2026〕2号"]
    assert len(asked) == 1 and all(n in asked[0] for n in numbers)

    # 6 送达 ----------------------------------------------------------------------
    clock.now = datetime(2026, 4, 3, 10, 0)
    p6 = wiz.page_for(6)
    for ed in p6.editors.values():
        fill(
            ed,
            servedAt=datetime(2026, 4, 3, 9, 30),
            place="局机关纪委办公室",
            method="直接送达",
            recipient="王喆",
            servers="纪晓岚、尹正清",
        )
        expected = deadlines.review_deadline(date(2026, 4, 3), svc.masterdata.calendar())
        text = ed.w("reviewDeadlineLabel").text()
        assert f"{expected.last_day.month}月{expected.last_day.day}日" in text
    p6.changed()
    # Art. 13: nothing can be served before its written decision is issued.
    assert not next_button(wiz).isEnabled()
    assert "尚未印发" in p6.problems_label.text()
    # Issue the leader's decision from step 5 (预览 → 编辑措辞 → 印发) …
    wiz.back()
    p5 = wiz.page_for(5)
    issued, asked = issue_in_dialog(
        monkeypatch, wiz, lambda: p5.issue(leader.id), wording=lambda text: text
    )
    assert issued and "荣综执纪〔2026〕" in asked[0]
    assert not p5.editors[leader.id].issue_button.isEnabled()
    wiz.next()
    p6 = wiz.page_for(6)
    # … and the squad's from step 6, editing its wording before issue.
    squad_decision = next(d for d in p6._decisions() if d.subject_id == squad.id)
    issue_in_dialog(
        monkeypatch,
        wiz,
        p6.editors[squad_decision.id].issue_button.click,
        wording=lambda text: text.replace("经查", "经调查核实", 1),
    )
    docs = svc.documents.list_documents(case_id)
    assert sorted(d.kind for d in docs) == ["问责决定书", "问责决定书"]
    for ed in p6.editors.values():
        fill(
            ed,
            servedAt=datetime(2026, 4, 3, 9, 30),
            place="局机关纪委办公室",
            method="直接送达",
            recipient="王喆",
            servers="纪晓岚、尹正清",
        )
    p6.changed()
    assert go_next(wiz) == 7
    services = svc.cases.state(case_id).services
    assert all(x.document_id for x in services)  # the service names the document served

    # 7 复核: leader applies, a non-investigator reviews, outcome 变更 ------------------
    clock.now = datetime(2026, 4, 10, 9, 0)
    p7 = wiz.page_for(7)
    leader_decision = next(
        d for d in svc.queries.get_case(case_id).decisions_in_force() if d.subject_id == leader.id
    )
    fill(
        p7,
        decisionCombo=leader_decision.id,
        receivedOn=date(2026, 4, 10),
        reviewGrounds="认为处分过重，请求复核。",
    )
    assert "逾期" not in p7.w("lateLabel").text()
    click(p7, "applyButton")
    assert not next_button(wiz).isEnabled()
    assert "第十四条" in p7.problems_label.text()
    fill(p7, reviewerCombo=w.staff[0], reviewerDeclare=True)  # an original investigator
    assert not p7.w("addReviewerButton").isEnabled()
    assert "原调查人员以外" in p7.w("reviewerProblems").text()
    fill(p7, reviewerCombo=w.staff[3], reviewerDeclare=True)
    click(p7, "addReviewerButton")
    clock.now = datetime(2026, 4, 20, 10, 0)  # the review decision is dated today
    fill(
        p7,
        reviewDecidedOn=date(2026, 4, 20),
        reviewOutcome="变更",
        reviewFacts="申辩有理，情节较轻。",
        reviewReasons="主动纠错，酌情从轻。",
    )
    fill(
        p7.new_sanction,
        outcome="予以问责",
        formSanction=True,
        sanctionKind="警告",
        reasons="复核从轻",
    )
    click(p7, "decideReviewButton")
    # The review decision is issued and served before the case may move on.
    assert not next_button(wiz).isEnabled()
    assert "复核决定书" in p7.problems_label.text()
    issue_in_dialog(monkeypatch, wiz, p7.issue_review)

    clock.now = datetime(2026, 4, 21, 11, 0)
    assert not p7.issue_proof_button.isEnabled()  # nothing served yet to prove
    assert through_dialog(wiz, p7.serve_review, serve_review_to_wang)
    assert next_button(wiz).isEnabled()
    # Once served, the step offers the review decision's 送达回证 (第十三条、第十四条).
    assert p7.issue_proof_button.isEnabled()
    issued, _asked = issue_in_dialog(monkeypatch, wiz, p7.issue_proof_button.click)
    proofs = [d for d in svc.documents.list_documents(case_id) if d.kind == "复核决定书送达回证"]
    assert [(d.title, d.recipient) for d in proofs] == [("送达回证", "王喆")]
    assert not p7.issue_proof_button.isEnabled()
    # Its service corrected, the proof states what is no longer on record: offered again.
    served = next(x for x in svc.cases.state(case_id).services if x.review_decision_id)
    svc.cases.correct_service(served.id, "送达时间笔误", served_at=datetime(2026, 4, 21, 9, 0))
    p7.reload()
    assert p7.issue_proof_button.isEnabled()
    issue_in_dialog(monkeypatch, wiz, p7.issue_proof_button.click)
    assert not p7.issue_proof_button.isEnabled()
    # The step's three document buttons fit side by side on a 1366×768 laptop.
    wiz.resize(1366, 728)
    wiz.show()
    qtbot.wait(50)
    from PySide6.QtWidgets import QScrollArea

    assert not [a for a in wiz.findChildren(QScrollArea) if a.horizontalScrollBar().isVisible()]

    # 8 结案归档 after the squad's review window has passed ----------------------------
    clock.now = datetime(2026, 5, 20, 9, 0)
    assert go_next(wiz) == 8
    p8 = wiz.page_for(8)
    assert p8.problems_label.text() == ""
    fill(p8, closeNote="处理决定均已送达，复核办结。")
    assert finish_button(wiz).isEnabled()
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(  # 确认结案
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes
    )
    finish_button(wiz).click()

    final = svc.queries.get_case(case_id)
    assert final.stage is Stage.CLOSED and final.closed_on == date(2026, 5, 20)
    assert [s.name for s in final.subjects] == ["城区一中队", "王喆"]
    assert final.grounds == ((7, 5), (8, 2))
    assert [(r.person_name, r.verdict) for r in final.recusals] == [("崔明远", "准许")]
    active = {i.name for i in final.investigators if i.role == "调查人员" and i.status == "在任"}
    assert active == {"纪晓岚", "尹正清"}
    assert [i.name for i in final.investigators if i.role == "复核人员"] == ["严守法"]
    assert final.evidence[0].sha256 and final.evidence[0].attachment_name == "询问笔录.txt"
    assert len(final.statements) == 2 and final.report is not None
    in_force = {d.subject_id: d for d in final.decisions_in_force()}
    assert in_force[leader.id].sanction_kind == "警告"
    assert in_force[leader.id].origin == "复核变更" and in_force[leader.id].version == 2
    assert in_force[squad.id].forms == ("通报批评",)
    assert [rd.outcome for rd in final.review_decisions] == ["变更"]
    old = next(d for d in final.decisions if d.id == leader_decision.id)
    assert old.status == "已变更"  # nothing deleted: the original stays, superseded
    assert svc.drafts.steps(str(case_id)) == []
