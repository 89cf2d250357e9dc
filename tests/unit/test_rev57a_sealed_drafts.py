"""Review 57a: a wizard draft is sealed at rest (第十条).

What an officer types in a wizard step is kept as a draft for his next login — a summary, an
evidence title, facts, before the check at save refuses a reporter's name in them. The
drafts table held it as plain JSON: whoever copied the database file read 「甄秘密来信反映…」
in it. Now a draft is sealed under a key derived from the audit key, which every account
holds wrapped and the file never does, and bound to its account, case and step; it still
comes back at the next login for the user who wrote it, and for no one else."""

from __future__ import annotations

import sqlite3

import pytest

from app.domain.enums import UserRole
from app.services.draft_seal import SEALED
from app.storage.engine import sqlite_file
from tests.helpers.accounts import admin_and, login
from tests.unit.test_trust_users import OFFICER_PW

TYPED = {"summary": "甄秘密（13912345678）来信反映城区一中队推诿。", "title": "甄秘密举报信"}


@pytest.fixture
def pair(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """(管理员甲, 张干事 logged in, and how to log 张干事 in again)."""
    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    return admin, officer, lambda: login(db, tmp_path, clock, "zhang", OFFICER_PW)


def _file_bytes(db) -> bytes:  # type: ignore[no-untyped-def]
    path = sqlite_file(db)
    db.dispose()  # everything written out of the WAL into the file
    data = path.read_bytes()
    for side in ("-wal", "-shm"):
        extra = path.with_name(path.name + side)
        data += extra.read_bytes() if extra.exists() else b""
    return data


def test_a_draft_is_not_in_the_database_file_in_clear(pair) -> None:  # type: ignore[no-untyped-def]
    admin, officer, _again = pair
    if not admin.db.is_sqlite:
        pytest.skip("the database file is SQLite's")
    officer.drafts.save("new", 1, TYPED)
    path = sqlite_file(admin.db)
    with sqlite3.connect(path) as raw:  # the copied file, read without the application
        (payload,) = raw.execute("SELECT payload FROM drafts").fetchone()
    assert "甄秘密" not in payload and "13912345678" not in payload and SEALED in payload
    data = _file_bytes(admin.db)
    for word in ("甄秘密", "13912345678", "城区一中队推诿"):
        for form in (word.encode(), word.encode("unicode_escape")):
            assert form not in data, word


def test_the_draft_comes_back_at_the_next_login_for_its_writer_only(pair) -> None:  # type: ignore[no-untyped-def]
    admin, officer, again = pair
    officer.drafts.save("new", 1, TYPED)
    officer.users.logout()
    assert again().drafts.load("new", 1) == TYPED
    assert admin.drafts.load("new", 1) is None  # another account's draft is not his


def test_a_sealed_draft_moved_to_another_place_does_not_open(pair) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select, update

    from app.storage.models import Draft

    admin, officer, _again = pair
    officer.drafts.save("7", 3, TYPED)
    admin.drafts.save("7", 3, {"summary": "管理员的草稿"})
    with admin.db.session() as s:  # the officer's sealed payload put on the admin's row
        stolen = s.scalar(select(Draft.payload).where(Draft.username == "zhang"))
        s.execute(update(Draft).where(Draft.username == "admin").values(payload=stolen))
    assert admin.drafts.load("7", 3) is None
    assert officer.drafts.load("7", 3) == TYPED


def test_a_draft_written_before_sealing_is_read_when_asked_and_sealed_at_its_next_save(
    pair,
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select, update

    from app.storage.models import Draft

    admin, officer, _again = pair
    officer.drafts.save("new", 1, {"summary": "x"})
    with admin.db.session() as s:  # as an earlier version stored it
        s.execute(update(Draft).values(payload=TYPED))
    # Plain, it is no longer vouched for (59: it may be planted): opened only when asked.
    assert officer.drafts.is_unsealed("new", 1)
    assert officer.drafts.load("new", 1) is None
    assert officer.drafts.load("new", 1, unsealed=True) == TYPED
    officer.drafts.save("new", 1, TYPED)
    assert not officer.drafts.is_unsealed("new", 1)
    with admin.db.read() as s:
        assert set(s.scalar(select(Draft.payload))) == {SEALED}
    assert officer.drafts.load("new", 1) == TYPED
