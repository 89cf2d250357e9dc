"""One storage facade with an injectable engine: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import resolve_data_dir, resolve_database_url
from app.jsontext import compact
from app.migration_heads import first_targets, script_heads
from app.resources import resource_path
from app.storage.collation import register_sqlite

if TYPE_CHECKING:
    from app.storage.upgrade import Recovery

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy drive transactions; we emit BEGIN IMMEDIATE ourselves so two
        # writers never deadlock on a lock upgrade.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()
        register_sqlite(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # Readers take a deferred snapshot (WAL lets them run beside the writer).
        readonly = conn.get_execution_options().get("wenze_read")
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def store_json(value: object) -> str:
    """The text a JSON column stores for ``value``: characters as they are (UTF-8: three
    bytes a Chinese character, not a six-byte ``\\uXXXX`` escape) and no padding after
    separators. A frozen document is mostly Chinese text, so it takes half the space of
    ``json.dumps``' default; a 100,000-case database shrinks by gigabytes. Only the stored
    text changes: every reader parses it, and no hash covers it (content and audit hashes
    have their own canonical form)."""
    return compact(value)


class Database:
    """Owns the engine and hands out one session per operation."""

    def __init__(self, url: str, data_dir: Path | None = None, *, echo: bool = False) -> None:
        self.url = url
        self.data_dir = data_dir
        self.engine = create_engine(url, echo=echo, future=True, json_serializer=store_json)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        #: Set by :meth:`migrate` when it undid an interrupted upgrade (its message is for
        #: the user: the start-up window and the command line show it).
        self.upgrade_recovery: Recovery | None = None
        if self.is_sqlite:
            _sqlite_pragmas(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # A read is one snapshot, as SQLite's deferred BEGIN gives: on PostgreSQL each statement
        # of a READ COMMITTED read saw what was committed before it, so `audit verify` read a
        # colleague's row without the record committed with it, and reported tampering.
        snapshot = {} if self.is_sqlite else {"isolation_level": "REPEATABLE READ"}
        self._readers = sessionmaker(
            self.engine.execution_options(wenze_read=True, **snapshot), expire_on_commit=False
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: commits on success, rolls back on any error."""
        with self._sessions() as s, s.begin():
            yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; closing ends its transaction and keeps loaded objects usable."""
        with self._readers() as s:
            yield s

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (the app and tests never create_all).

        A database that already has a schema is copied first (``app.storage.upgrade``); a
        failed upgrade restores it and raises UpgradeFailed, whose message is for the user.

        A database already at every head is left alone without loading Alembic and each
        migration script (a third of a second of every start-up).
        """
        file = sqlite_file(self)
        if file is not None and upgrade_pending(file):
            # An upgrade killed part way (a power cut): undone from its copy before anything
            # reads the half-migrated file, then run again (app.storage.upgrade).
            from app.storage.upgrade import resume_interrupted

            self.upgrade_recovery = resume_interrupted(
                file, self.data_dir, self._upgrade, self.engine.dispose
            )
            if self.upgrade_recovery is not None:
                return
        heads = script_heads()
        current = "+".join(sorted(heads))
        before = self.schema_revision()
        if heads and before == current:
            return
        if before is None or file is None or not file.exists():
            self._upgrade()  # a new database (or PostgreSQL): nothing to lose
            return
        # A database with data: a copy first, written back if any step fails (no database is
        # left half migrated: some steps applied, the rest not).
        from app.storage.upgrade import guarded_upgrade, upgrade_lock

        with upgrade_lock(file):
            if self.schema_revision() != current:  # not upgraded meanwhile by another process
                guarded_upgrade(file, self.data_dir, self._upgrade, self.engine.dispose)

    def _upgrade(self) -> None:
        from alembic import command

        config = alembic_config(self.url, self.engine)
        if self.is_sqlite:  # a step a transaction; app.storage.upgrade's copy undoes a failure
            for target in _targets(self.schema_revision()):
                command.upgrade(config, target)
            return
        # PostgreSQL's DDL is transactional: every step of every target in one transaction,
        # so a failed step or a PC switched off mid-way leaves the schema as it was (each
        # target committed on its own before: the version before could no longer open it).
        # Two PCs starting the new version at once upgrade one after the other.
        try:
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
                config.attributes["connection"] = conn
                for target in _targets(_revision(conn)):
                    command.upgrade(config, target)
        except Exception as exc:
            if self.schema_revision() is not None:  # a database with data, left as it was
                from app.storage.upgrade import PG_UNCHANGED, UpgradeFailed

                log.exception("schema upgrade failed and was rolled back")
                raise UpgradeFailed(PG_UNCHANGED) from exc
            raise

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            try:
                return _revision(conn)
            except Exception:
                return None

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str, engine: Engine | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


#: The audit chain's anchor file, beside the data directory (:mod:`app.services.auditkey`).
ANCHOR_SUFFIX = ".audit-anchor.json"


def anchor_path_for(data_dir: Path | None) -> Path | None:
    if data_dir is None:
        return None
    data_dir = Path(data_dir)
    return data_dir.parent / f"{data_dir.name}{ANCHOR_SUFFIX}"


def set_aside_anchor(data_dir: Path, now: datetime | None = None) -> Path | None:
    """Keep, renamed, the anchor a former database left beside ``data_dir``.

    Called when the database file is about to be created: a new file starts a new audit chain,
    which can never contain the former chain's anchor, so every record of the new database would
    read as rewritten and stay unsealed. The former anchor is not deleted — it remains the
    record of that chain (a deleted database is an evident loss, never a silent rewrite)."""
    path = anchor_path_for(data_dir)
    if path is None or not path.exists():
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{data_dir.name}.audit-anchor.{stamp}.superseded.json")
    path.replace(kept)
    log.warning(
        "数据目录 %s 中没有数据库文件，将新建数据库；原数据库留下的审计锚点已另存为 %s",
        data_dir,
        kept,
    )
    return kept


def open_database(
    data_dir: str | Path | None = None, url: str | None = None, *, migrate: bool = True
) -> Database:
    directory = resolve_data_dir(data_dir)
    db = Database(resolve_database_url(directory, url), directory)
    file = sqlite_file(db)
    if (
        file is not None
        and directory is not None
        and not file.exists()
        and not upgrade_pending(file)
    ):
        # (a recovery killed after setting the half-migrated file aside: the copy comes back)
        set_aside_anchor(Path(directory))
    if migrate:
        db.migrate()
    return db


__all__ = [
    "ANCHOR_SUFFIX",
    "Database",
    "alembic_config",
    "anchor_path_for",
    "open_database",
    "quick_check",
    "resource_path",
    "set_aside_anchor",
    "sqlite_file",
    "sqlite_path",
]


#: The advisory lock key two PCs' upgrades of one PostgreSQL database take in turn.
UPGRADE_LOCK = 0x77656E7A65


def _targets(revision: str | None) -> list[str]:
    """The upgrades to run from ``revision``: a database with data gets every column before
    a script reads models; a new one goes straight to the heads, its tables and columns in the
    order every earlier version made them (tests/unit/test_schema_stable.py); "heads" applies
    the schema's feature branches (each from a common parent) together."""
    current = set((revision or "").split("+")) - {""}
    return [*(first_targets(current) if current else ()), "heads"]


def _revision(conn: Any) -> str | None:
    """The schema's revisions, ``+``-joined; None for a database without one. The table is
    looked up, not read blindly: a failed statement would abort PostgreSQL's transaction."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return "+".join(sorted(rows)) or None


def upgrade_pending(file: Path) -> bool:
    """An upgrade's note beside the database (one under way, or killed part way)."""
    from app.storage.upgrade import mark_path

    return mark_path(file).exists()


def sqlite_file(db: Database) -> Path | None:
    """The database file of an SQLite Database (None for PostgreSQL or in-memory)."""
    return sqlite_path(db.engine.url) if db.is_sqlite else None


def sqlite_path(url: str | URL) -> Path | None:
    """The file an SQLite database URL names (None for another database or in-memory)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    name = parsed.database
    if not name or name == ":memory:":
        return None
    if name.startswith("file:"):  # a URI filename (sqlite:///file:/path/x.db?mode=ro&uri=true)
        name = name[len("file:") :].split("?", 1)[0]
    return Path(name)


def quick_check(path: str | Path, *, full: bool = False) -> tuple[bool, str]:
    """Run PRAGMA quick_check (or integrity_check) on a file; (ok, Chinese message).

    Opens its own sqlite3 connection so it works before migrations and on a damaged file.
    """
    import sqlite3

    path = Path(path)
    if not path.exists():
        return True, "数据库文件尚未创建"
    pragma = "integrity_check" if full else "quick_check"
    try:
        con = sqlite3.connect(str(path), timeout=30)
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return False, f"数据库文件已损坏或不是有效的数据库：{exc}"
    if rows == ["ok"]:
        return True, "数据库检查通过"
    return False, "数据库文件已损坏：" + "；".join(str(r) for r in rows[:5])
