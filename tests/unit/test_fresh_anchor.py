"""A data directory deleted and made again starts a new audit chain (review 12).

The anchor file lives beside the data directory, so deleting the directory (to drop demo data
and start real work, say) left the former chain's anchor behind: every record of the new
database then read as rewritten, `wenze audit verify` failed for ever and no record was sealed.
A database file that is *created* now sets the former anchor aside, renamed, and keeps it; a
file put in place of the database by someone holding the directory is still compared with it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.services import build_services
from app.storage import open_database
from app.storage.engine import anchor_path_for


def fill(data: Path, units: int) -> None:
    """A data directory with some audited work, made the way the first run makes it."""
    db = open_database(data)
    try:
        svc = build_services(db, data_dir=db.data_dir)
        for i in range(units):
            svc.masterdata.create_unit(f"测试单位{i}", "科室")
    finally:
        db.dispose()


def verify(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["audit", "verify", "--data-dir", str(data)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_data_directory_made_again_verifies_and_keeps_the_former_anchor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    fill(data, 8)
    anchor = anchor_path_for(data)
    assert anchor is not None and anchor.exists()
    former = json.loads(anchor.read_text(encoding="utf-8"))
    shutil.rmtree(data)  # the officer drops the demo data to start afresh

    fill(data, 2)
    code, out = verify(data, capsys)
    assert code == 0, out
    kept = sorted(tmp_path.glob("data.audit-anchor.*.superseded.json"))
    assert len(kept) == 1, "the former anchor is kept, not deleted"
    assert json.loads(kept[0].read_text(encoding="utf-8")) == former
    assert json.loads(anchor.read_text(encoding="utf-8"))["seq"] < former["seq"]


def test_a_database_file_put_in_place_is_still_compared_with_the_anchor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    fill(data, 8)
    other = tmp_path / "other"
    fill(other, 2)  # a new, shorter chain made elsewhere
    (data / "wenze.db").unlink()
    for suffix in ("-wal", "-shm"):
        (data / f"wenze.db{suffix}").unlink(missing_ok=True)
    shutil.copy2(other / "wenze.db", data / "wenze.db")

    code, out = verify(data, capsys)
    assert code == 2, out
    assert "不符" in out
    assert not list(tmp_path.glob("data.audit-anchor.*.superseded.json"))
