"""Faults reach the user in Chinese with the fix, never as an English traceback."""

from __future__ import annotations

import errno
import re
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.faults import explain, log_fault
from app.fsutil import atomic_output
from app.services import build_services
from app.services.base import ServiceError
from app.services.vault import StaticKeyProvider
from app.storage.engine import Database
from tests.helpers.builders import seed_world

ENGLISH = re.compile(r"Traceback|Error:|sqlalchemy|sqlite3|[A-Za-z]{6,} [a-z]{3,} [a-z]{3,}")


def _chinese_only(text: str) -> None:
    assert text.strip(), "no message at all"
    assert not ENGLISH.search(text), text


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    db = Database(f"sqlite:///{d / 'wenze.db'}", d)
    db.migrate()
    seed_world(build_services(db, data_dir=d, keys=StaticKeyProvider(None)))
    db.dispose()
    return d


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    return code, "".join(capsys.readouterr())


def test_read_only_database_in_the_cli(data: Path, capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///file:{data / 'wenze.db'}?mode=ro&uri=true"
    monkeypatch.setenv("WENZE_DATABASE_URL", url)
    code, out = run(
        capsys, "report", "ledger", "-o", str(tmp_path / "l.xlsx"), "--data-dir", str(data)
    )
    assert code == 1
    assert "只读" in out and "可写" in out, out
    _chinese_only(out.replace(str(data), "").replace(str(tmp_path), ""))
    log = (data / "logs" / "wenze.log").read_text("utf-8")
    assert "OperationalError" in log and "readonly" in log  # the detail goes to the log
    # The URI form names the same file: no key or folder appears under a "file:" path.
    assert not Path("file:").exists()


def test_corrupt_database_in_the_cli(data: Path, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (data / "wenze.db").write_bytes(b"this is not a database file at all" * 200)
    for p in data.glob("wenze.db-*"):
        p.unlink()
    code, out = run(
        capsys, "report", "ledger", "-o", str(tmp_path / "l.xlsx"), "--data-dir", str(data)
    )
    assert code == 1
    assert "数据库文件已损坏" in out and "恢复" in out, out
    _chinese_only(out.replace(str(data), ""))


def test_restore_while_the_app_has_the_database_open(data: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "backup", "--data-dir", str(data))[0] == 0
    backup = next((data / "backups").glob("*.db"))
    app = Database(f"sqlite:///{data / 'wenze.db'}", data)  # the running app's connection
    with app.read() as s:
        from sqlalchemy import text

        s.execute(text("SELECT count(*) FROM audit_records")).scalar()
        code, out = run(capsys, "restore", str(backup), "--data-dir", str(data))
    app.dispose()
    assert code == 1
    assert "请先关闭程序窗口" in out, out
    assert not list(data.glob("*.restoring*")), "a stray .restoring file was left"
    _chinese_only(out)


def test_disk_full_leaves_the_old_file_and_speaks_chinese(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"yesterday's complete ledger")
    with pytest.raises(OSError) as exc, atomic_output(target) as tmp:
        tmp.write_bytes(b"PK\x03\x04 half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"yesterday's complete ledger"
    msg = explain(exc.value, tmp_path)
    assert "磁盘空间已满" in msg and "删除" in msg
    full = sqlite3.OperationalError("database or disk is full")
    assert "磁盘空间已满" in explain(full)


def test_sqlite_disk_full_through_the_services(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wenze.db'}", tmp_path)
    db.migrate()
    svc = build_services(db, data_dir=tmp_path, keys=StaticKeyProvider(None))
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _tiny(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        count = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {count}")

    db.engine.dispose()
    with pytest.raises(Exception) as exc:
        for i in range(200):
            svc.masterdata.create_unit("单位" * 30 + str(i), "科室")
    msg = explain(exc.value, tmp_path)
    assert "磁盘空间已满" in msg, (type(exc.value), str(exc.value)[:200])
    db.dispose()


@pytest.mark.parametrize("bad", ["\ud800", "科室\udfff名", "\udc80"])
def test_lone_surrogates_are_refused_as_invalid_characters(svc, bad: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="无效字符"):
        svc.masterdata.create_unit(f"某{bad}科", "科室")
    assert "无效字符" in explain(UnicodeEncodeError("utf-8", bad, 0, 1, "surrogates not allowed"))


def test_logs_keep_detail_without_sql_parameters(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    exc = OperationalError(
        "INSERT INTO leads (content) VALUES (?)", ("举报人：欧阳秘密 13800000000",), Exception("x")
    )
    path = log_fault(exc, tmp_path, where="test")
    text = path.read_text("utf-8")
    assert "OperationalError" in text
    assert "欧阳秘密" not in text and "13800000000" not in text


def test_unknown_faults_name_the_log_not_the_exception(tmp_path: Path) -> None:
    msg = explain(ZeroDivisionError("division by zero"), tmp_path)
    assert "日志" in msg and "division" not in msg


def test_gui_error_text_speaks_chinese_for_storage_faults() -> None:
    from app.ui.common import error_text

    assert "磁盘空间已满" in error_text(sqlite3.OperationalError("database or disk is full"))
    assert "数据库文件已损坏" in error_text(sqlite3.DatabaseError("file is not a database"))
    assert "请先关闭" in error_text(sqlite3.OperationalError("database is locked"))
    assert error_text(ServiceError("案件不存在")) == "案件不存在"
