"""Opening the data folder, for the UI and the CLI: the one door from them to storage.

Widgets never import app.storage; start-up and login come through here like everything else.
"""

from __future__ import annotations

from pathlib import Path

from app.storage.engine import Database, open_database, quick_check


def open_data(data_dir: str | Path | None, url: str | None = None) -> Database:
    """The database of a data folder (SQLite inside it, or PostgreSQL by URL), migrated.

    An upgrade killed part way and undone at this start (``db.upgrade_recovery``, whose
    message the caller shows) goes into the audit trail as a 恢复数据库 record; a record
    that cannot be written is logged, never a lost start (the data dir's log has it too)."""
    db = open_database(data_dir, url)
    if db.upgrade_recovery is not None:
        from app.faults import log_fault
        from app.services.restore import record_upgrade_recovery

        try:
            record_upgrade_recovery(db)
        except Exception as exc:
            log_fault(exc, db.data_dir, where="audit record of an interrupted upgrade undone")
    return db


def open_data_file(data_dir: str | Path) -> Database:
    """The SQLite file of a data folder as it is (no migration): for recording a restore."""
    folder = Path(data_dir)
    return Database(f"sqlite:///{folder / 'wenze.db'}", folder)


def check_data_file(path: str | Path) -> tuple[bool, str]:
    """SQLite's quick_check of a database file, before anything opens it."""
    return quick_check(path)


__all__ = ["Database", "check_data_file", "open_data", "open_data_file"]
