"""A PostgreSQL upgrade is one transaction (session 56, after review 56a).

``migrate`` runs several Alembic upgrades (the schema-only steps first, then the heads), and
each committed on its own: a step failing in the last left the first ones applied — a schema
the version before could no longer open — and the user read a generic fault. PostgreSQL's
DDL is transactional, so the whole upgrade now runs in one transaction: a failing step
leaves the schema, the version table and every row as they were, and the message says so.
Real server; the failing step is a copy of the migration scripts with one step raising.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import app.migration_heads as heads
import app.storage.engine as engine_module
from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.storage.engine import Database
from app.storage.upgrade import PG_UNCHANGED, UpgradeFailed
from tests.conftest import PG_URL, _reset_pg
from tests.unit.test_review55b_upgrade_rollback import _failing_scripts

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL not configured")

MIGRATIONS = Path(engine_module.MIGRATIONS_DIR)
# Two schema-only steps the version before lacked; 0018 runs in a first upgrade, 0029 after.
STEPPED_BACK = {
    "0018_voided_index": ("ix_cases_voided", "ix_doc_numbers_year_case", "ix_case_subjects_unit_case"),
    "0029_scale_indexes": ("ix_report_items_subject_id", "ix_audit_records_case_entity"),
}  # fmt: skip


def _state() -> tuple[list[str], list[str], dict[str, int]]:
    """Indexes, versions and rows per table, read with SQL of its own."""
    eng = create_engine(PG_URL)
    try:
        with eng.connect() as c:
            indexes = sorted(
                c.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname='public'"))
                .scalars()
                .all()
            )
            versions = sorted(c.execute(text("SELECT version_num FROM alembic_version")).scalars())
            tables = c.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            ).scalars()
            counts = {t: c.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
    finally:
        eng.dispose()
    return indexes, versions, counts


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """A server database with data, as the version before left it (two steps not applied)."""
    _reset_pg(PG_URL)
    db = Database(PG_URL, tmp_path)
    db.migrate()
    services = build_services(db, data_dir=tmp_path, keys=SessionKeyProvider())
    services.users.create_first_admin("admin", "管理员甲", "Adm1n-密码-2026")
    db.dispose()
    eng = create_engine(PG_URL)
    with eng.begin() as c:
        for index in (i for group in STEPPED_BACK.values() for i in group):
            c.execute(text(f"DROP INDEX {index}"))
        c.execute(
            text("DELETE FROM alembic_version WHERE version_num = ANY(:v)"),
            {"v": list(STEPPED_BACK)},
        )
    eng.dispose()
    return tmp_path


def test_a_failed_step_leaves_the_whole_schema_as_it_was(older: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = _state()
    scripts = _failing_scripts(older)
    monkeypatch.setattr(engine_module, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(heads, "MIGRATIONS_DIR", scripts)
    db = Database(PG_URL, older)
    with pytest.raises(UpgradeFailed) as failed:
        db.migrate()
    db.dispose()
    assert str(failed.value) == PG_UNCHANGED
    assert "未作任何更改" in str(failed.value)
    after = _state()
    # 0018 ran in the first upgrade call: committed on its own before, rolled back now.
    assert "ix_cases_voided" not in after[0]
    assert after == before


def test_the_same_upgrade_then_completes_with_every_row(older: Path) -> None:
    before = _state()
    db = Database(PG_URL, older)
    db.migrate()
    db.dispose()
    indexes, versions, counts = _state()
    assert set(STEPPED_BACK) <= set(versions)
    assert {i for group in STEPPED_BACK.values() for i in group} <= set(indexes)
    rows = {t: n for t, n in before[2].items() if t != "alembic_version"}
    assert {t: n for t, n in counts.items() if t != "alembic_version"} == rows
