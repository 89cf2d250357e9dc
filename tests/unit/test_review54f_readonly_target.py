"""Review 54f: a read-only or unusable folder the clerk chose (a write-protected USB stick, a
CD, a share without rights), a file name Windows refuses or one too long.

Every export and the backup's copy to a chosen folder that met a read-only folder said
「数据目录为只读或当前用户没有写入权限（<the data directory>）… 请把数据目录设为可写 … 或用
--data-dir 指定一个可写的文件夹」: the data directory was fine, the folder chosen was not, and
the window has no --data-dir. A name Windows refuses (EINVAL) or one longer than the file
system takes fell through to the English ``[Errno 22] Invalid argument`` in the window, or
to 「发生了意外错误」 with a log. Each now names the folder or file and what to do."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.faults import explain
from tests.helpers.disks import small_tmpfs
from tests.unit.test_sec_faults import _chinese_only

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def read_only(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A read-only file system (tmpfs remounted ro): as a write-protected USB stick."""
    with small_tmpfs(tmp_path / "usb", "1m") as mount:
        done = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield mount


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with a decided case and its papers issued."""
    from app.domain.lifecycle import Stage
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database
    from tests.helpers.builders import advance, issue_missing, seed_world

    folder = tmp_path_factory.mktemp("data")
    db = Database(f"sqlite:///{folder / 'wenze.db'}", folder)
    db.migrate()
    svc = build_services(db, data_dir=folder, keys=StaticKeyProvider(b"k" * 32))
    issue_missing(svc, advance(svc, seed_world(svc), Stage.DECIDED))
    db.dispose()
    return folder


def _cli(data: Path, *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert run.returncode != 0
    return run.stdout + run.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("report", "ledger", "-o", "{usb}/台账.xlsx"),
        ("report", "monthly", "--month", "2026-04", "-o", "{usb}/月报.xlsx"),
        ("docs", "export", "-o", "{usb}/文书"),
        ("docs", "export", "-o", "{usb}"),
        ("backup", "--to", "{usb}"),
    ],
)
def test_a_read_only_folder_chosen_is_named_not_the_data_directory(
    data: Path, read_only: Path, command: tuple[str, ...]
) -> None:
    said = _cli(data, *(a.format(usb=read_only) for a in command))
    assert str(read_only) in said, said
    assert "数据目录为只读" not in said and "--data-dir" not in said, said
    assert "只读" in said
    assert not any(read_only.iterdir())
    if command[0] != "backup":
        _chinese_only(said.replace(str(read_only), ""))


def test_the_window_names_the_folder_too(data: Path, read_only: Path) -> None:
    """The window's message box explains the fault without a data directory at hand."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    db = Database(f"sqlite:///{data / 'wenze.db'}", data)
    svc = build_services(db, data_dir=data, keys=StaticKeyProvider(b"k" * 32))
    try:
        with pytest.raises(OSError) as caught:
            svc.reports.export_ledger(read_only / "台账.xlsx")
    finally:
        db.dispose()
    for where in (None, data):
        said = explain(caught.value, where)
        assert f"“{read_only}”" in said and "数据目录" not in said, said


def test_the_data_directory_read_only_is_still_called_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fault = PermissionError(errno.EACCES, "Permission denied", str(data / "backups" / "x.db"))
    said = explain(fault, data)
    assert "数据目录为只读" in said and str(data) in said


def test_a_file_open_in_excel_is_named() -> None:
    """What Windows answers when the workbook to replace is open in Excel: the rename of the
    hidden temporary file over it is refused (it names the target second)."""
    target = r"D:\报表\月报.xlsx"
    part = r"D:\报表\.~wenze-812-k2j4.part\月报.xlsx"
    fault = PermissionError(errno.EACCES, "Access is denied", part, None, target)
    for where in (None, Path(r"C:\wenze")):
        said = explain(fault, where)
        assert f"“{target}”" in said and "打开" in said and "数据目录" not in said, said
    # The earlier file set aside first (fsutil.recorded_output): Windows refuses to move it.
    aside = PermissionError(errno.EACCES, "Access is denied", target, None, part + ".earlier")
    assert f"“{target}”" in explain(aside)


def test_a_name_windows_refuses_is_explained() -> None:
    # What Windows answers for 「台账?.xlsx」 (Linux takes every character but / and NUL).
    fault = OSError(errno.EINVAL, "Invalid argument", r"D:\导出\台账?.xlsx")
    said = explain(fault)
    _chinese_only(said.replace(r"D:\导出\台账?.xlsx", ""))
    assert "台账?.xlsx" in said and "不允许" in said


def test_a_name_too_long_is_explained(tmp_path: Path) -> None:
    target = tmp_path / ("问责决定书" * 20 + ".pdf")  # 300 bytes and more: over ext4's 255
    with pytest.raises(OSError) as caught:
        target.write_bytes(b"%PDF")
    said = explain(caught.value)
    assert "过长" in said
    _chinese_only(said.replace(str(target), ""))
