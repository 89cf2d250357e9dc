"""A kept draft the next login cannot seal waits for a login that can (review 57r).

Text an administrator's change cut short is kept in memory and written as the account's drafts
at its next login (review 55a). Since drafts are sealed (57a), a login holding no audit key keeps
no draft: ``DraftService.save`` says False. ``restore_kept_drafts`` counted it written and
dropped it, so the text was lost; it now waits, as a draft the database refused does (55e).
"""

from __future__ import annotations

from app.domain.lifecycle import Stage
from app.services.auditkey import keyring
from app.ui import session_end
from tests.helpers.builders import advance
from tests.unit.test_review52b_case_words import site  # noqa: F401


def test_a_kept_draft_no_key_can_seal_waits_for_the_next_login(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = advance(admin, world, Stage.INVESTIGATING)
    user = admin.ctx.actor.username
    kept = (str(cid), 3, {"evidenceTitle": "询问笔录（第二次）"})
    key = keyring(admin.db).key
    session_end._KEPT[user] = [kept]
    try:
        keyring(admin.db).set_key(None)  # this login holds no audit key
        assert session_end.restore_kept_drafts(admin, user) == 0
        assert session_end._KEPT[user] == [kept]  # not lost: kept for a login that can seal it
        keyring(admin.db).set_key(key)
        assert session_end.restore_kept_drafts(admin, user) == 1
        assert user not in session_end._KEPT
        assert admin.drafts.load(str(cid), 3) == kept[2]
    finally:
        session_end._KEPT.pop(user, None)
