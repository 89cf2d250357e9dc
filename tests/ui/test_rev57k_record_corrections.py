"""Review 57k: 第3步 corrects an evidence, a 陈述申辩 and a conduct finding.

The rulebook had the corrections (``correct_evidence`` and its kin: a new version, the old
row kept, an audit record with the reason) and refusals sent the officer to them
(「请先更正该案件的证据记录」), but the step only listed the records: a mistyped title or date
could not be put right. Now each list has 更正(&G)… opening a dialog with the record's
correctable fields, a required 更正理由, a confirmation and the service's refusal inline.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import StatementKind
from app.domain.lifecycle import Stage
from app.services.base import SYSTEM
from app.storage.models import AuditRecord, ConductFinding, Evidence, Statement
from app.ui.common import to_qdate
from app.ui.wizard import open_wizard
from app.ui.wizard.record_correction import KINDS, CaseRecordCorrectionDialog
from tests.helpers.builders import advance
from tests.ui.test_disposition_correction_dialog import _answer_yes, _settle  # noqa: F401
from tests.ui.test_read_only_roles import LEADER
from tests.unit.test_rev57a_record_words import _lead, _opened
from tests.unit.test_review52b_case_words import site  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support")

MODELS = {"evidence": Evidence, "statement": Statement, "conduct": ConductFinding}
LISTS = {"evidence": "evidenceList", "statement": "statementList", "conduct": "conductList"}
ACT = "更正记录"


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Answers 是 to the confirmation; what it asked (title, text) is listed."""
    return _answer_yes(monkeypatch)


def _records(svc, cid: int) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The case's evidence, statement and conduct ids (one each, recorded here)."""
    sub = svc.queries.get_case(cid).subjects[0].id
    eid = svc.cases.add_evidence(
        cid, "询问笔录", description="对王某的询问", collected_on=date(2026, 3, 10)
    )
    sid = svc.cases.record_statement(
        cid, sub, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
    )
    fid = svc.cases.record_conduct(
        cid, sub, cooperative=True, description="主动说明情况", found_on=date(2026, 3, 21)
    )
    return eid, sid, fid


def _dialog(qtbot, svc, cid: int, kind: str):  # type: ignore[no-untyped-def]
    """第3步 of the case, its ``kind`` list's first row selected and 更正… clicked."""
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.page_for(3)
    assert wiz.current() is page
    button = page.corrections.buttons[kind]
    assert not button.isEnabled()  # no row selected yet
    page.w(LISTS[kind]).setCurrentRow(0)
    assert button.isEnabled() and button.text() == "更正(&G)…"
    button.click()
    [dlg] = [w for w in page.findChildren(CaseRecordCorrectionDialog) if w.isVisible()]
    return page, dlg


def _written(svc, kind: str, old_id: int) -> tuple[int | None, list[dict]]:  # type: ignore[no-untyped-def]
    """What superseded ``old_id``, and the audit records of corrections of its kind."""
    with svc.db.read() as s:
        new = s.get(MODELS[kind], old_id).superseded_by_id
        audits = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == ACT, AuditRecord.entity == kind)
        ).all()
    return new, list(audits)


@pytest.mark.parametrize(
    ("kind", "edit", "expect"),
    [
        ("evidence", {"title": "询问笔录（一）", "collected_on": date(2026, 3, 11)},
         lambda c: (c.evidence[0].title, c.evidence[0].collected_on)),
        ("statement", {"made_on": date(2026, 3, 19), "content": "对事实无异议"},
         lambda c: (c.statements[0].made_on, c.statements[0].content)),
        ("conduct", {"cooperative": False, "description": "拒绝提供账簿"},
         lambda c: (c.conduct[0].cooperative, c.conduct[0].description)),
    ],
)  # fmt: skip
def test_a_record_corrected_through_the_dialog(
    qtbot, svc, world, asked, kind, edit, expect
) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    ids = dict(zip(("evidence", "statement", "conduct"), _records(svc, cid), strict=True))
    page, dlg = _dialog(qtbot, svc, cid, kind)
    # Filled with what the record holds: nothing yet to correct.
    assert not dlg.changes() and dlg.typed()["description" if kind != "statement" else "content"]
    assert not dlg.save_button.isEnabled() and dlg.error.text() == ""  # no greeting in red
    for field, value in edit.items():
        editor = dlg.editors[field]
        if isinstance(value, date):
            editor.setDate(to_qdate(value))
        elif isinstance(value, bool):
            editor.setChecked(value)
        else:
            editor.setText(value) if hasattr(editor, "setText") else editor.setPlainText(value)
    assert dlg.changes() == edit
    assert not dlg.save_button.isEnabled()  # no reason yet: nothing is asked or sent
    assert dlg.save_button.toolTip() == "请修改要更正的内容，并填写更正理由"
    dlg.why.setText("录入错误")
    assert dlg.save_button.isEnabled()
    dlg.save_button.click()
    assert not dlg.isVisible(), dlg.error.text()
    what = dlg.what
    assert asked == [
        (f"确认更正{what}", f"更正后，原{what}作为历史版本保留，以更正后的内容为准，"
         "并记入审计日志。是否更正？")
    ]  # fmt: skip
    new, audits = _written(svc, kind, ids[kind])
    assert new is not None and new != ids[kind]  # the old row kept, pointing at its successor
    assert [a["reason"] for a in audits] == ["录入错误"]
    assert {k: audits[0][k] for k in edit} == {
        k: v.isoformat() if isinstance(v, date) else v for k, v in edit.items()
    }
    case = svc.queries.get_case(cid)
    assert expect(case) == tuple(edit.values())
    assert [r.id for r in getattr(case, kind if kind != "statement" else "statements")] == [new]
    assert page.status_label.text() == "更正已保存（新版本，原记录保留并可追溯）"
    assert page.w(LISTS[kind]).count() == 1


def test_a_refused_correction_is_shown_in_the_dialog_and_writes_nothing(
    qtbot, svc, world, asked
) -> None:  # type: ignore[no-untyped-def]
    """An evidence date after today (the app's clock: 2026-11-25): refused with its basis,
    the dialog stays open with what was typed, and nothing is written."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    eid, _sid, _fid = _records(svc, cid)
    _page, dlg = _dialog(qtbot, svc, cid, "evidence")
    dlg.editors["title"].setText("询问笔录（一）")
    dlg.editors["collected_on"].setDate(to_qdate(date(2026, 12, 1)))
    dlg.why.setText("日期录错")
    dlg.save_button.click()
    assert asked  # confirmed, then refused by the service
    assert dlg.isVisible()
    assert "依据第九条" in dlg.error.text() and "证据取得日期" in dlg.error.text()
    assert dlg.editors["title"].text() == "询问笔录（一）" and dlg.why.text() == "日期录错"
    assert _written(svc, "evidence", eid) == (None, [])
    assert [e.title for e in svc.queries.get_case(cid).evidence] == ["询问笔录"]


@pytest.mark.parametrize(
    ("kind", "field"), [("evidence", "title"), ("statement", "content"), ("conduct", "description")]
)
def test_words_naming_the_reporter_are_refused_in_the_dialog(
    qtbot,
    site,  # noqa: F811
    asked,
    kind,
    field,
) -> None:  # type: ignore[no-untyped-def]
    """第十条: the refusal names the article and not the reporter; nothing is written."""
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    ids = dict(zip(("evidence", "statement", "conduct"), _records(admin, cid), strict=True))
    _page, dlg = _dialog(qtbot, admin, cid, kind)
    editor = dlg.editors[field]
    said = "甄秘密来信所述"
    editor.setText(said) if hasattr(editor, "setText") else editor.setPlainText(said)
    dlg.why.setText("补正")
    dlg.save_button.click()
    assert dlg.isVisible()
    text = dlg.error.text()
    assert "依据第十条" in text and "甄秘密" not in text, text
    assert _written(admin, kind, ids[kind]) == (None, [])


def test_a_read_only_role_sees_the_buttons_disabled(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    _records(svc, cid)
    svc.ctx.actor = LEADER
    try:
        wiz = open_wizard(svc, cid)
        qtbot.addWidget(wiz)
        page = wiz.page_for(3)
        for kind, button in page.corrections.buttons.items():
            page.w(LISTS[kind]).setCurrentRow(0)
            assert not button.isEnabled(), kind
            assert "只能查阅" in button.toolTip() or "领导" in button.toolTip()
    finally:
        svc.ctx.actor = SYSTEM


def test_a_recorded_step_still_corrects_its_records(qtbot, svc, world, asked) -> None:  # type: ignore[no-untyped-def]
    """The report submitted, 第3步 is shown read-only: its lists still select a row to
    correct (a statement heard before the report, its date mistyped)."""
    cid = advance(svc, world, Stage.REPORTED)
    [first, *_] = svc.queries.get_case(cid).statements
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.page_for(3)
    assert page.finished
    listing, button = page.w("statementList"), page.corrections.buttons["statement"]
    assert listing.isEnabled() and not button.isEnabled()
    listing.setCurrentRow(0)
    assert button.isEnabled()
    button.click()
    [dlg] = [w for w in page.findChildren(CaseRecordCorrectionDialog) if w.isVisible()]
    dlg.editors["content"].setPlainText(first.content + "（补记）")
    dlg.why.setText("漏记")
    dlg.save_button.click()
    assert not dlg.isVisible(), dlg.error.text()
    new, _audits = _written(svc, "statement", first.id)
    [now] = [s for s in svc.queries.get_case(cid).statements if s.id == new]
    assert now.content == first.content + "（补记）" and now.subject_id == first.subject_id


def test_a_voided_case_offers_no_correction(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """作废: the service refuses every act on the case; the buttons say nothing is offered."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    _records(svc, cid)
    svc.cases.void_case(cid, "重复立案")
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.page_for(3)
    assert page.w("evidenceList").count() == 1  # listed still
    for kind in KINDS:
        page.w(kind.list_name).setCurrentRow(0)
        assert page.corrections.selected(kind) is not None, kind.key
        assert not page.corrections.buttons[kind.key].isEnabled(), kind.key
