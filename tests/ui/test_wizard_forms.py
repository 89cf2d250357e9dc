"""The Qt Designer files in forms/ are what the wizard uses, and they stay in sync with it.

The app loads forms/*.ui at run time with QUiLoader (no generated code), so "in sync" means:
every file is valid Designer XML that pyside6-uic compiles, every file is used by the
wizard, and every widget the page code refers to exists in the file with the expected class.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from app.ui.wizard import formkit
from app.ui.wizard.editors import SANCTION_WIDGETS, SERVICE_WIDGETS
from app.ui.wizard.wizard import PAGE_CLASSES

FORMS = formkit.forms_dir()
USED = {cls.FORM: cls.WIDGETS for cls in PAGE_CLASSES} | {
    "sanction_editor.ui": SANCTION_WIDGETS,
    "service_editor.ui": SERVICE_WIDGETS,
}


def _uic() -> str:
    found = shutil.which("pyside6-uic") or str(Path(sys.executable).with_name("pyside6-uic"))
    return found


def _names(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    assert root.tag == "ui" and root.get("version") == "4.0"
    return {w.get("name"): w.get("class") for w in root.iter("widget")}


def test_every_form_file_is_used_and_every_page_has_its_file() -> None:
    on_disk = {p.name for p in FORMS.glob("*.ui")}
    assert on_disk == set(USED)


@pytest.mark.parametrize("name", sorted(USED))
def test_form_compiles_with_uic_and_has_the_widgets_the_code_uses(name: str) -> None:
    path = FORMS / name
    result = subprocess.run([_uic(), str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    names = _names(path)
    missing = [w for w in USED[name] if w not in names]
    assert not missing, f"{name} lacks {missing}"
    # uic's output builds the same objects the runtime loader does
    for widget in USED[name]:
        assert f'setObjectName(u"{widget}")' in result.stdout


@pytest.mark.parametrize("name", sorted(USED))
def test_runtime_loader_builds_the_same_widget_classes(qtbot, name: str) -> None:
    form = formkit.load_form(name)
    qtbot.addWidget(form)
    declared = _names(FORMS / name)
    for widget in USED[name]:
        built = form.findChild(QWidget, widget)
        assert built is not None, widget
        assert built.metaObject().className() == declared[widget], widget
