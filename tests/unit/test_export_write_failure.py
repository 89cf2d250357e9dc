"""An export the file system stops midway (the disk full, the folder gone or not writable)
left only its opening record (document_export_begun, claiming no file) and the PDFs it had
already put into the chosen folder — papers that had left the system, in no record at all,
while the command said 「本次操作未保存」. Now the files this run created are taken out again
(as the command's new folder always was), and the closing record (document_export) says that
the export stopped, why, in Chinese, and that none of its files stayed. ``audit verify`` stays
green."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, issue_missing
from tests.unit.test_export_audit_trail import _closing, _trail
from tests.unit.test_export_audit_trail import scene as scene


def test_a_folder_gone_midway_is_recorded_with_what_was_written(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    svc, _world, first, second = scene
    out, moved = tmp_path / "all", tmp_path / "moved"
    planned = len(svc.documents.list_documents(first.id)) + len(
        svc.documents.list_documents(second.id)
    )

    def progress(done: int, _total: int) -> None:
        if done == 1:  # the folder taken away (a USB stick pulled): a file in its place
            out.rename(moved)
            out.write_text("not a folder")

    with pytest.raises(OSError):
        svc.documents.export_all(out, progress=progress)
    end = _closing(svc)  # the opening record and a closing one
    # the one file written went with the folder: it cannot be taken out, and is counted
    assert len(list(moved.glob("*.pdf"))) == 1
    assert end["documents"] == 1 and end["not_exported"] == planned - 1, end
    assert "停止" in end["stopped"] and "No such" not in end["stopped"], end
    assert svc.audit.verify().ok


def _tiny_disk(path: Path, size: str) -> bool:
    path.mkdir()
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
    )
    return done.returncode == 0


def test_the_command_on_a_full_disk_records_that_it_stopped_and_kept_nothing(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """`wenze docs export -o NEW` onto a disk with room for a few PDFs: a real ENOSPC."""
    from app.cli import main
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.storage import open_database
    from tests.helpers.builders import seed_world

    disk = tmp_path / "stick"
    if not _tiny_disk(disk, "200k"):
        pytest.skip("no tmpfs to fill (needs root and mount)")
    try:
        data = tmp_path / "data"
        db = open_database(data)
        first = build_services(db, data_dir=data, keys=SessionKeyProvider())
        r = first.users.create_first_admin("admin", "管理员甲", "Adm1n-口令-2026t")
        admin = build_services(
            db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=data
        )
        world = seed_world(admin)
        for _ in range(4):
            issue_missing(admin, advance(admin, world, Stage.DECIDED))
        monkeypatch.setenv("WENZE_PASSWORD", "Adm1n-口令-2026t")
        out = disk / "new"
        code = main(["docs", "export", "-o", str(out), "--data-dir", str(data), "--user", "admin"])
        said = capsys.readouterr()
        assert code != 0, said
        assert "磁盘空间已满" in said.err + said.out, said
        files = list(out.glob("*.pdf")) if out.exists() else []
        assert files == [] and not list(disk.rglob("*.pdf")), list(disk.rglob("*"))
        trail = _trail(admin)
        assert [e for e, _a, _x in trail][-2:] == ["document_export_begun", "document_export"]
        end = trail[-1][2]
        assert end["documents"] == len(files) and end["folder"] == "new", (end, files)
        assert "磁盘空间已满" in end["stopped"] and "删除" in end["stopped"], end
        with db.read() as s:
            assert s.execute(text("SELECT count(*) FROM audit_records")).scalar()
        assert admin.audit.verify().ok
        db.dispose()
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_one_case_export_on_a_full_disk_leaves_nothing_of_its_own(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The window's 导出 (export_case) into a folder on a full stick: what it wrote is taken
    out again, an earlier export's file of the same name stays, and the record says so."""
    svc, _world, first, _second = scene
    disk = tmp_path / "stick"
    if not _tiny_disk(disk, "120k"):
        pytest.skip("no tmpfs to fill (needs root and mount)")
    try:
        with pytest.raises(OSError):
            svc.documents.export_case(first.id, disk)
        assert not list(disk.rglob("*.pdf")), list(disk.rglob("*"))
        end = _closing(svc)
        assert (
            end["documents"] == 0 and end["document_ids"] == [] and "磁盘空间已满" in end["stopped"]
        )
        assert svc.audit.verify().ok
    finally:
        subprocess.run(["umount", str(disk)], check=False)
