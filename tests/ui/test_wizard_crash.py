"""Kill the application with SIGKILL in the middle of a step; after restart the draft is there."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.services import build_services
from app.storage import open_database
from app.ui.wizard import open_wizard
db = open_database(sys.argv[1])
services = build_services(db, data_dir=db.data_dir)
wizard = open_wizard(services, None)
page = wizard.current()
if sys.argv[2] == "type":
    def type_like_an_input_method():
        for name, text in (("proposerName", "分管副局长"), ("summary", "城区一中队推诿塞责")):
            widget = page.w(name)
            widget.setFocus()
            event = QInputMethodEvent("", [])
            event.setCommitString(text)
            QApplication.sendEvent(widget, event)
        print("TYPED", flush=True)
    QTimer.singleShot(0, type_like_an_input_method)
    app.exec()
else:
    print(json.dumps({
        "proposer": page.w("proposerName").text(),
        "summary": page.w("summary").toPlainText(),
        "status": page.status_label.text(),
    }), flush=True)
"""


def _draft(db_path: Path) -> dict | None:
    """The draft as the file holds it, opened with the key file (no account yet): drafts are
    sealed at rest (review 57a)."""
    from app.services.draft_seal import DraftPlace, open_draft

    key_file = db_path.parent / "keys" / "audit.key"
    if not db_path.exists() or not key_file.exists():
        return None
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        row = con.execute(
            "SELECT username, payload FROM drafts WHERE case_key='new' AND step=1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    if not row:
        return None
    return open_draft(key_file.read_bytes(), DraftPlace(row[0], "new", 1), json.loads(row[1]))


@pytest.mark.slow
def test_sigkill_mid_step_keeps_the_draft(tmp_path: Path) -> None:
    from app.config import ENV_DATABASE_URL

    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop(ENV_DATABASE_URL, None)  # the child must use the SQLite file in its data dir
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), "type"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "TYPED", proc.stderr.read() if proc.stderr else ""
        deadline = time.monotonic() + 30
        draft = None
        while time.monotonic() < deadline:
            draft = _draft(data / "wenze.db")
            if draft and draft.get("summary") == "城区一中队推诿塞责":
                break
            time.sleep(0.1)
        assert draft and draft.get("summary") == "城区一中队推诿塞责", draft
        assert proc.poll() is None  # still running, mid-step
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()

    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    restored = json.loads(out.stdout.strip().splitlines()[-1])
    assert restored["proposer"] == "分管副局长"
    assert restored["summary"] == "城区一中队推诿塞责"
    assert "草稿" in restored["status"]
