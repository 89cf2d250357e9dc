"""Review 58a: a draft row that holds no draft does not stop the step from opening.

Drafts are scratch data outside the audit chain, read back as the row holds them. A row edited
around the program or damaged on disk (its payload a list, a string or null) made
``DraftService.load`` raise (「dictionary update sequence element #0 has length 1」) every time
the wizard opened on that case's step: the officer could no longer reach the step at all.
Now such a row is no draft (logged, not restored) and the step opens from the case as recorded,
as it does for a sealed draft that does not open.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.domain.lifecycle import Stage
from app.storage.models import Draft
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.unit.test_review52b_case_words import site  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TYPED = "询问笔录（第二次）"


def typed_draft(qtbot, admin, world) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """A case at step 3 whose wizard kept a sealed draft of TYPED: (case, step, draft key)."""
    cid = advance(admin, world, Stage.INVESTIGATING)
    wiz = open_wizard(admin, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    page.w("evidenceTitle").setText(TYPED)
    page.flush_draft()
    page.save_draft()
    step, key = page.STEP, page.draft_key
    assert admin.drafts.load(key, step)  # kept, sealed
    wiz.close()
    return cid, step, key


@pytest.mark.parametrize("payload", [["x"], "x", None, {"wenze-draft-v1": "!!"}])
def test_a_damaged_draft_opens_the_step_as_recorded(qtbot, site, payload) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid, step, key = typed_draft(qtbot, admin, world)
    with admin.db.session() as s:
        s.execute(update(Draft).values(payload=payload))
    assert admin.drafts.load(key, step) is None
    again = open_wizard(admin, cid)
    qtbot.addWidget(again)
    reopened = again.current()
    assert step == reopened.STEP and reopened.w("evidenceTitle").text() != TYPED
    assert "已恢复" not in reopened.status_label.text()
