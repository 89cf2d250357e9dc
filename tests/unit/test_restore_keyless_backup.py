"""A backup made before the first administrator existed holds no user and no wrap of the
keys: restored over a database that has users, nobody could log in, and its seals (made with
the key file the first administrator then wrapped and destroyed) could no longer be checked —
every start said 「审计链头的密钥签名不符」. Refused before anything is switched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from app.cli import main
from app.services import build_services
from app.services.backup import list_backup_files
from app.services.keys import SessionKeyProvider
from tests.unit.test_restore_seal import ADMIN_PW, _open, logout, restore_cli, state


def test_a_backup_from_before_the_first_administrator_is_refused(
    tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    for argv in (["demo", "--cases", "3"], ["backup"]):  # in their own process, as a clerk
        cli = [sys.executable, "-m", "app.cli", *argv, "--data-dir", str(data)]
        subprocess.run(cli, check=True, capture_output=True)
    early = list_backup_files(data / "backups")[0]
    capsys.readouterr()
    db = _open(data)
    first = build_services(db, data_dir=data, keys=SessionKeyProvider())
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    logout(first)
    monkeypatch.setenv("WENZE_PASSWORD", ADMIN_PW)
    before = state(data)
    code, out = restore_cli(SimpleNamespace(data=data, backup=early), capsys, "--unsigned",
                            "--reason", "回到演示数据")  # fmt: skip
    assert code == 1 and "创建首位管理员之前" in out and "新的数据文件夹" in out, out
    after = state(data)  # the login and the refusal are recorded; nothing else moved
    assert after["decisions"] == before["decisions"]
    assert after["records"][: len(before["records"])] == before["records"]
    assert not any(f.startswith("wenze.db.before-restore") for f in after["files"])
    assert main(["audit", "verify", "--data-dir", str(data)]) == 0
