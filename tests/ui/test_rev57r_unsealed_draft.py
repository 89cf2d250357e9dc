"""Review 57r: a draft that could not be sealed is not said to be saved.

Since 57a a wizard draft is sealed under the audit key; a session without that key in memory
(an account that holds no wrapped copy of it — one from before the keyed chain, or whose copy
did not unwrap) keeps no draft at all, nothing being written in clear (第十条). The step still
said 「草稿已自动保存」 under what was typed: the officer left the step trusting a draft that a
crash or a closed window would then not give back. Now it says the draft was not saved.
"""

from __future__ import annotations

import pytest

from app.domain.lifecycle import Stage
from app.services.auditkey import keyring
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.unit.test_review52b_case_words import site  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_draft_kept_nowhere_is_not_said_saved(qtbot, site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = advance(admin, world, Stage.INVESTIGATING)
    keyring(admin.db).set_key(None)  # this session holds no audit key
    wiz = open_wizard(admin, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    page.w("evidenceTitle").setText("询问笔录（第二次）")
    page.flush_draft()
    page.save_draft()
    assert page.draft_state() is not None  # something was typed
    assert admin.drafts.load(wiz.current().draft_key, page.STEP) is None  # and kept nowhere
    status = page.status_label.text()
    assert "草稿已自动保存" not in status and "未" in status and "保存" in status, status
