"""Round 11 (desk, second pass): 第十一条 gives 不予问责 and 免予问责 no form of accountability,
so the sanction editor (steps 4, 5 and 7) neither offers nor keeps one under them — also
after a reload, which unlocks the whole page and used to offer the forms again."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QLineEdit

from app.domain.enums import DecisionOutcome, ResponsibilityType, StatementKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReportItemSpec, ReportSpec, ReviewApplicationSpec, SanctionSpec
from app.ui.wizard import open_wizard
from app.ui.wizard.editors import OUTCOME_BOUND
from tests.helpers.builders import LEADER_SANCTION, advance, decide_clearing
from tests.helpers.wizard_driver import fill, go_next

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

EXEMPTED = DecisionOutcome.EXEMPTED.value
NOT_ACCOUNTABLE = DecisionOutcome.NOT_ACCOUNTABLE.value
ACCOUNTABLE = DecisionOutcome.ACCOUNTABLE.value


def offered(ed) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """Which of the outcome-bound controls the officer can change (a locked text box is
    read-only rather than disabled)."""
    return {
        name: ed.w(name).isEnabled()
        and not (isinstance(ed.w(name), QLineEdit) and ed.w(name).isReadOnly())
        for name in OUTCOME_BOUND
    }


def assert_withheld(ed) -> None:  # type: ignore[no-untyped-def]
    assert not any(offered(ed).values()), offered(ed)
    spec = ed.sanction()
    assert not spec.forms and spec.sanction_kind is None
    assert spec.other_form_text == "" and not spec.transfer_to_judicial


def _open(qtbot, svc, cid: int, step: int):  # type: ignore[no-untyped-def]
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 768)
    wiz.show()
    while wiz.currentId() < step:
        wiz.next()
    assert wiz.currentId() == step
    return wiz, wiz.current()


def _investigating(svc, world, clock) -> int:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(
        cid, world.staff[0], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.assign_investigator(
        cid, world.staff[1], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    return cid


def test_step4_clearing_outcome_withholds_and_clears_the_forms(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """A form ticked before 免予问责 was kept, enabled, and the page then refused it."""
    cid = _investigating(svc, world, clock)
    _wiz, page = _open(qtbot, svc, cid, 4)
    ed = next(iter(page.editors.values()))
    assert all(offered(ed).values())
    fill(ed, formCirculated=True, sanctionKind="记过", formOther=True, transfer=True)
    ed.w("otherFormText").setText("调离执法岗位")
    fill(ed, outcome=EXEMPTED)
    assert_withheld(ed)
    assert "不能同时选择问责方式" not in page.problems_label.text()
    fill(ed, outcome=NOT_ACCOUNTABLE)
    assert_withheld(ed)
    fill(ed, outcome=ACCOUNTABLE)
    assert all(offered(ed).values())


def test_step4_draft_reopened_keeps_the_forms_withheld(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Reopening the case restores the draft and unlocks the page: the forms stayed offered."""
    cid = _investigating(svc, world, clock)
    wiz, page = _open(qtbot, svc, cid, 4)
    sid, ed = next(iter(page.editors.items()))
    fill(ed, outcome=EXEMPTED, reasons="情节轻微，主动纠正")
    page.save_draft()
    wiz.close()
    _wiz2, page2 = _open(qtbot, svc, cid, 4)
    assert "草稿" in page2.status_label.text()
    assert_withheld(page2.editors[sid])
    other = [e for s, e in page2.editors.items() if s != sid]
    assert all(all(offered(e).values()) for e in other)


def _reported_with_exemption(svc, world, clock) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A case whose report recommends 免予问责 for its first subject."""
    cid = _investigating(svc, world, clock)
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    exempt = case.subjects[0].id
    svc.cases.submit_report(
        cid,
        ReportSpec(
            date(2026, 3, 25),
            "经查属实。",
            "第七条第（五）项、第十一条",
            [
                ReportItemSpec(
                    exempt,
                    ResponsibilityType.DIRECT,
                    SanctionSpec.of(EXEMPTED, reasons="情节轻微，主动纠正"),
                ),
                ReportItemSpec(
                    case.subjects[1].id, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION
                ),
            ],
        ),
    )
    return cid, exempt


def test_step5_prefilled_exemption_withholds_the_forms(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """Step 5 takes each recommendation, then unlocks the subjects not yet decided: the forms
    of the exempted subject came back enabled."""
    cid, exempt = _reported_with_exemption(svc, world, clock)
    _wiz, page = _open(qtbot, svc, cid, 5)
    assert_withheld(page.editors[exempt])
    leader = next(e for s, e in page.editors.items() if s != exempt)
    assert all(offered(leader).values())
    fill(page.editors[exempt], outcome=ACCOUNTABLE)
    assert all(offered(page.editors[exempt]).values())
    fill(page.editors[exempt], formCirculated=True, outcome=NOT_ACCOUNTABLE)
    assert_withheld(page.editors[exempt])


def test_step5_back_and_forth_and_correction_keep_the_forms_withheld(  # type: ignore[no-untyped-def]
    qtbot, svc, world, clock, monkeypatch
) -> None:
    """After 下一步 and 上一步 the decided page is shown locked (no form offered at all), and
    更正 unlocks it again: the forms of a 不予问责 decision stay withheld."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.REPORTED)
    decide_clearing(svc, cid, (NOT_ACCOUNTABLE, EXEMPTED))
    wiz, page = _open(qtbot, svc, cid, 6)
    wiz.back()
    page = wiz.current()
    assert wiz.currentId() == 5 and page.finished
    for ed in page.editors.values():
        assert not any(offered(ed).values())
        assert not ed.w("outcome").isEnabled()
    page.start_correction()
    for ed in page.editors.values():
        assert ed.w("outcome").isEnabled()
        assert_withheld(ed)
    fill(next(iter(page.editors.values())), outcome=ACCOUNTABLE)
    assert all(offered(next(iter(page.editors.values()))).values())
    page.cancel_correction()
    for ed in page.editors.values():
        assert not any(offered(ed).values())


def test_step5_accountable_decision_shown_locked_after_reload(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """The rule re-applied after a reload does not unlock a decided (read-only) subject."""
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.DECIDED)
    wiz, _page = _open(qtbot, svc, cid, 6)
    wiz.back()
    page = wiz.current()
    page.reload()
    for ed in page.editors.values():
        assert not any(offered(ed).values())


def test_step7_change_to_exemption_withholds_the_forms(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """复核 变更 to 免予问责 kept the original 行政处分（记过） ticked and enabled."""
    clock.now = datetime(2026, 4, 5, 9, 0)
    cid = advance(svc, world, Stage.SERVED)
    clock.now = datetime(2026, 4, 10, 9, 0)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 10), "认为处分过重"))
    _wiz, page = _open(qtbot, svc, cid, 7)
    ed = page.new_sanction
    fill(page, reviewOutcome="变更")
    assert ed.w("formSanction").isChecked() and all(offered(ed).values())
    fill(ed, outcome=EXEMPTED, reasons="情节轻微，主动纠正")
    assert_withheld(ed)
    page.save_draft()
    page.reload()  # the draft comes back and the page is unlocked
    assert "草稿" in page.status_label.text()
    assert ed.sanction().outcome == EXEMPTED
    assert_withheld(ed)
    fill(ed, outcome=ACCOUNTABLE)
    assert all(offered(ed).values())


def test_go_next_keeps_the_page_reachable(qtbot, svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """An exempted subject and an accountable one: the report goes through 下一步."""
    cid = _investigating(svc, world, clock)
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
        )
    wiz, page = _open(qtbot, svc, cid, 4)
    fill(page, findings="经查属实。", legalBasis="第七条第（五）项、第十一条")
    (exempt, ed0), (_leader, ed1) = page.editors.items()
    fill(ed0, formCirculated=True, outcome=EXEMPTED, reasons="情节轻微，主动纠正")
    fill(ed1, formWritten=True)
    assert go_next(wiz) == 5
    report = svc.queries.get_case(cid).report
    item = next(i for i in report.items if i.subject_id == exempt)
    assert (item.outcome, tuple(item.forms)) == (EXEMPTED, ())
