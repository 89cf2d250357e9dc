"""Start-up skips Alembic for a database already at every head: the heads read from the
scripts as text must be Alembic's own, and a database behind them is still upgraded."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.storage.engine import Database, alembic_config, script_heads


def test_text_heads_are_alembics_heads() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script_heads() == frozenset(scripts.get_heads())
    assert len(script_heads()) >= 2  # feature branches from 0001


def test_a_database_behind_a_head_is_upgraded(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'w.db'}", tmp_path)
    db.migrate()
    at_heads = db.schema_revision()
    assert at_heads == "+".join(sorted(script_heads()))
    db.migrate()  # the fast path: nothing to do
    assert db.schema_revision() == at_heads
    # One branch stepped back: the next open applies it again (not a merge of two branches,
    # whose step back is ambiguous).
    head = sorted(script_heads())[0]
    from alembic import command

    command.downgrade(alembic_config(db.url, db.engine), f"{head}@-1")
    assert db.schema_revision() != at_heads
    db.migrate()
    assert db.schema_revision() == at_heads
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == len(
            script_heads()
        )
    db.dispose()
