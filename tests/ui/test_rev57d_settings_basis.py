"""系统设置 refuses an empty 单位名称 on its basis (review 57d).

The view's own check said a bare 「单位名称不能为空」 before the rulebook's (第十三条: every
document names the bureau) was asked; it now says the rulebook's words, and nothing is saved.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.settings_view import SettingsView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_an_empty_bureau_name_is_refused_on_its_basis(qtbot, svc) -> None:  # type: ignore[no-untyped-def]
    svc.masterdata.update_settings(bureau_name="荣成市综合行政执法局")
    view = SettingsView(svc)
    qtbot.addWidget(view)
    view.edits["bureau_name"].setText("  ")
    assert view.save() is False
    boxes = [b for b in view.findChildren(QMessageBox) if b.objectName() == "errorBox"]
    assert boxes, "no refusal shown"
    text = boxes[-1].text()
    assert text.startswith("依据第十三条，") and "单位名称" in text and "不能为空" in text, text
    assert svc.masterdata.settings().bureau_name == "荣成市综合行政执法局"
