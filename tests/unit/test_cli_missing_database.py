"""A command given a data directory with no database refuses, and makes nothing there.

`wenze audit verify --data-dir D:\\问责案管` with one letter wrong made an empty database in a
new folder and answered 「审计链校验通过：共0条记录」; `wenze backup` backed that up. Only
`wenze demo` and `wenze restore` (a new PC) may start a database where there is none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.storage import open_database

COMMANDS = [
    ("audit", "verify"),
    ("backup",),
    ("deadline", "due"),
    ("deadline", "review", "2026-02-03"),
    ("verify-doc", "7Q4K-9MZX"),
    ("report", "monthly", "-o", "{out}/月报.xlsx"),
    ("report", "ledger", "-o", "{out}/台账.xlsx"),
    ("docs", "export", "-o", "{out}/文书"),
    ("import", "roster", "{out}/名册.xlsx"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_mistyped_data_directory_is_refused(tmp_path: Path, capsys, argv) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "问责案管x"
    out = tmp_path / "out"
    out.mkdir()
    code = main([*(a.format(out=out) for a in argv), "--data-dir", str(data)])
    said = capsys.readouterr()
    assert code == 1, said
    assert "没有问责案管数据库" in said.err + said.out
    assert not data.exists()
    assert list(out.iterdir()) == []


def test_an_existing_database_is_opened(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "数据"
    open_database(data).dispose()
    assert main(["audit", "verify", "--data-dir", str(data)]) == 0
    assert "审计链校验通过" in capsys.readouterr().out


def test_a_restore_of_a_missing_backup_makes_no_database(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "新电脑"
    code = main(["restore", str(tmp_path / "不存在.db"), "--data-dir", str(data)])
    assert code == 1
    assert "备份文件不存在" in capsys.readouterr().err
    assert not data.exists()
