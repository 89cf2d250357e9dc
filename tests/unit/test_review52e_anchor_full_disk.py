"""The anchor file on a full disk (review 52e).

The anchor is rewritten after every commit through a temporary file beside it. On a full
disk the write failed (the commit itself stands; the failure is logged) and the temporary
file was left behind — one per process and thread, in the folder *above* the data folder,
never swept. It is now removed when the write fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.auditkey import read_anchor, write_anchor
from tests.helpers.disks import small_tmpfs

INFO = {"seq": 7, "head": "ab" * 32, "sealed_seq": 7, "sealed_mac": "cd" * 32}


def test_a_failed_anchor_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk", "64k") as disk:
        anchor = disk / "data.audit-anchor.json"
        write_anchor(anchor, INFO)
        filler = disk / "filler"
        with open(filler, "wb", buffering=0) as fh:  # the disk fills up
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        with pytest.raises(OSError):
            write_anchor(anchor, {**INFO, "seq": 8})
        assert sorted(p.name for p in disk.iterdir()) == ["data.audit-anchor.json", "filler"]
        assert read_anchor(anchor)["seq"] == 7  # type: ignore[index]  # the last one written
