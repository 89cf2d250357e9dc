"""Review 58b: a new clerk's day at 1366×768, by keyboard and mouse — one test per defect."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.domain.lifecycle import Stage
from tests.helpers.builders import advance
from tests.ui.test_beyond_dialogs import sanctioned as sanctioned  # fixture
from tests.ui.test_login_trust import factory  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")

ALT = re.compile(r"\(&(\w)\)")


def _missing_letters(window: QWidget) -> list[str]:
    """The buttons of ``window`` reached only by Tab or the mouse (关闭 and 取消 are Esc), and any
    letter two buttons share."""
    wrong: list[str] = []
    seen: dict[str, str] = {}
    for button in window.findChildren(QAbstractButton):
        text = button.text()
        if (
            not text
            or text in ("关闭", "Close", "取消", "Cancel")
            or not button.isVisibleTo(window)
        ):
            continue
        found = ALT.search(text)
        if not found:
            wrong.append(f"no Alt letter on {text!r}")
            continue
        letter = found.group(1).upper()
        if letter in seen:
            wrong.append(f"{text!r} and {seen[letter]!r} share Alt+{letter}")
        seen[letter] = text
    return wrong


def test_the_case_window_and_what_it_opens_have_alt_letters(qtbot, svc, world) -> None:  # type: ignore[no-untyped-def]
    """案件详情: every tab of the desk has its Alt letters (session 56), but the window a case
    opens in had none — 办案向导, 案件文书, 处分与解除, 类案参考, 延长办案期限 — nor had the
    案件文书 window (印发, 打印…, 导出到文件夹…, 核验校验码…) or 处分期满与解除 (解除处分…):
    a clerk at the keyboard tabbed through the header to reach the day's next act. Each
    button now carries its own letter."""
    from app.ui.case_detail import CaseDetailDialog
    from app.ui.documents_preview import DocumentsDialog
    from app.ui.release_dialog import SanctionsDialog

    cid = advance(svc, world, Stage.SERVED)
    detail = CaseDetailDialog(svc, cid)
    qtbot.addWidget(detail)
    detail.show()
    documents = DocumentsDialog(svc, cid)
    qtbot.addWidget(documents)
    documents.show()
    sanctions = SanctionsDialog(svc, case_id=cid)
    qtbot.addWidget(sanctions)
    sanctions.show()
    assert _missing_letters(detail) == []
    assert _missing_letters(documents) == []
    assert _missing_letters(sanctions) == []
    assert detail.view.wizard_btn.text() == "办案向导(&W)"


@pytest.mark.parametrize("disposed", [False, True])
def test_the_lead_disposition_has_alt_letters(qtbot, svc, disposed: bool) -> None:  # type: ignore[no-untyped-def]
    """线索处置: the lead dialog's fields have Alt letters (review 57d), but the dialog the
    clerk opens next from 处置(D) had none — 处置方式, 审批日期, 审批人, 审批依据, 理由, 保存,
    更正…: each reached only by Tab from the top. Every shown field and button now has its
    own letter, with 处置意见 (the second act) as with 处置方式."""
    from datetime import date

    from app.domain.leads_disposition import Approval, DispositionSpec
    from app.ui.disposition_dialog import DispositionDialog
    from tests.ui.test_rev57d_field_alt_letters import _dialog_letters

    lead_id = svc.leads.register_lead(
        received_on=date(2026, 11, 2), source="举报", channel="来信", content="反映某中队推诿投诉"
    )
    if disposed:
        ok = Approval(date(2026, 11, 3), "纪委书记 周正", "签批单〔2026〕3号")
        svc.dispositions.dispose(lead_id, DispositionSpec("谈话函询", ok, reason="问题较轻"))
    dlg = DispositionDialog(svc, lead_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert _missing_letters(dlg) == []
    letters = _dialog_letters(dlg)
    assert "处置意见" in dlg.kind_label.text() if disposed else "处置方式" in dlg.kind_label.text()
    assert dlg.kind_label.text() in letters.values()
    dlg.unsaved.mark_clean()


def test_the_case_window_s_own_dialogs_have_alt_letters(qtbot, svc, world, sanctioned) -> None:  # type: ignore[no-untyped-def]
    """延长办案期限 and 解除处分, opened from the case window's header, had no Alt letter on
    a field or button (批准日期, 理由; 解除日期, 期间表现, 确认人, 备注, 解除处分, 印发…): each
    now has its own, as the lead dialog's fields have."""
    from app.ui.release_dialog import ReleaseDialog
    from app.ui.time_limit_dialog import TimeLimitDialog
    from tests.ui.test_rev57d_field_alt_letters import _dialog_letters

    cid = advance(svc, world, Stage.INVESTIGATING)
    extend = TimeLimitDialog(svc, cid)
    release = ReleaseDialog(svc, sanctioned["降级"])
    for dlg in (extend, release):
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        assert _missing_letters(dlg) == [], dlg.windowTitle()
        assert _dialog_letters(dlg)
    release.unsaved.mark_clean()


def test_a_mistyped_confirmation_says_what_to_do(factory, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """首次启动: 确认密码 typed unlike 密码 said only 「两次输入的密码不一致」 and left both
    masked fields as typed — the administrator could not see which was wrong. It now says to
    type the confirmation again, empties 确认密码 and puts the caret there."""
    from app.services.keys import SessionKeyProvider
    from app.ui.trust_dialogs import FirstRunDialog
    from tests.ui.test_login_trust import PW

    dlg = FirstRunDialog(factory(keys=SessionKeyProvider()).users)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    dlg.display_name.setText("管理员甲")
    dlg.password.setText(PW)
    dlg.confirm.setText("different-1")
    dlg.create()
    assert dlg.message.text().startswith("两次输入的密码不一致")
    assert "重新输入确认密码" in dlg.message.text()
    assert dlg.confirm.text() == "" and dlg.password.text() == PW
    qtbot.waitUntil(lambda: dlg.confirm.hasFocus(), timeout=2000)
    assert dlg.result_login is None
