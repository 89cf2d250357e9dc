"""The wizard's check boxes and radio buttons by keyboard (review 60b's walk: 匿名, 启动问责 /
不予启动, 「该人员已声明…」 and the 问责方式 had no Alt letter; a clerk working by keyboard
tabbed to them). They take the letters the fields and buttons leave, unique on the page."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QRadioButton

from app.domain.lifecycle import STEP_TITLES
from tests.ui.test_rev57d_field_alt_letters import _letter
from tests.ui.test_rev58c_wizard_alt_letters import _open, _shown, _views

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


@pytest.mark.parametrize("step", list(STEP_TITLES))
def test_every_choice_on_the_page_has_a_letter(qtbot, svc, world, clock, step) -> None:  # type: ignore[no-untyped-def]
    wiz = _open(qtbot, svc, world, clock, step)
    page = wiz.current()
    missing = set()
    for view in _views(page):
        if view is not None:
            view[0].setCurrentIndex(view[1])
        for box in [*page.findChildren(QCheckBox), *page.findChildren(QRadioButton)]:
            if _shown(box, page) and box.text() and _letter(box.text()) is None:
                missing.add(box.text())
    assert not missing, sorted(missing)
