"""The installed Qt binding must not corrupt ``None`` (app.ui.qt_binding).

PySide6 6.12.0 on Python 3.11 lost one reference to ``None`` per call of a method returning
nothing; the real app aborted after about 200 openings of the case wizard.
"""

from __future__ import annotations

import ctypes
import sys

import pytest

from app.ui.qt_binding import PROBE_CALLS, binding_problem, none_refs_lost


def test_the_installed_binding_keeps_none_alive() -> None:
    """Fails on PySide6 6.12.0 with Python 3.11 (pyproject.toml keeps it out)."""
    import PySide6

    assert binding_problem() is None, PySide6.__version__


def test_widget_calls_of_a_wizard_page_lose_no_reference(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel, QLineEdit

    label, edit = QLabel(), QLineEdit()

    def page_work() -> None:
        label.setText("问责对象")
        label.setToolTip("依据第十二条")
        edit.setPlaceholderText("姓名")
        edit.setEnabled(True)
        label.update()

    assert none_refs_lost(page_work) <= 1


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_the_probe_sees_a_binding_that_gives_none_back() -> None:
    decref, incref = ctypes.pythonapi.Py_DecRef, ctypes.pythonapi.Py_IncRef
    decref.argtypes = incref.argtypes = [ctypes.py_object]

    def faulty_call() -> None:  # what 6.12.0 did on every void call
        decref(None)

    try:
        lost = none_refs_lost(faulty_call)
    finally:
        for _ in range(PROBE_CALLS + 1):  # the probe's warm-up call too
            incref(None)
    assert lost == PROBE_CALLS
