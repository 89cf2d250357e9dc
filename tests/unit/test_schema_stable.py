"""The migrated schema stays what it was, and the models agree with it.

A database migrated today must be indistinguishable from one migrated by earlier code: the
SQLite schema (every CREATE statement SQLite keeps, with its constraint names, indexes and
triggers) is compared with a committed snapshot. After an intended schema change (a new
revision), rewrite the snapshot with WENZE_UPDATE_SCHEMA_SNAPSHOT=1 and review its diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

SNAPSHOT = Path(__file__).with_name("schema_sqlite.snapshot.txt")

# Made by raw SQL in the revisions, so not in the models: FTS5 tables (SQLite), trigram and
# gram indexes (PostgreSQL), partial and composite indexes for the case list.
RAW_SQL_TABLES = ("cases_fts", "cases_chars", "cases_grams")
RAW_SQL_INDEXES = {
    "ix_cases_live_number",
    "ix_cases_live_deadline",
    "ix_cases_live_stage",
    "ix_cases_live_proposed",
    "ix_cases_next_deadline_kind",
    "ix_cases_search_trgm",
    "ix_cases_search_grams",
    "ix_cases_voided",
    "uq_sanction_releases_current",
}


def sqlite_schema(db) -> str:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master")).all()
        versions = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    parts = [f"-- alembic heads: {', '.join(versions)}"]
    for kind, name, table, sql in sorted(rows, key=lambda r: (r[0], r[1])):
        parts.append(f"-- {kind} {name} on {table}\n{sql};")
    return "\n\n".join(parts) + "\n"


def test_sqlite_schema_matches_snapshot(sqlite_db) -> None:
    schema = sqlite_schema(sqlite_db)
    if os.environ.get("WENZE_UPDATE_SCHEMA_SNAPSHOT") == "1":
        SNAPSHOT.write_text(schema, encoding="utf-8")
    assert schema == SNAPSHOT.read_text(encoding="utf-8")


def _raw_sql_object(diff: tuple) -> bool:
    kind, obj = diff[0], diff[1]
    if kind == "remove_table":
        return obj.name.startswith(RAW_SQL_TABLES)
    if kind == "remove_index":
        return obj.name in RAW_SQL_INDEXES
    return False


def test_models_agree_with_migrations(db) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.storage.models import Base

    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # Column-level changes come as lists of tuples; table/index changes as tuples.
    flat = [d for group in diffs for d in (group if isinstance(group, list) else [group])]
    assert [d for d in flat if not _raw_sql_object(d)] == []
