"""登记证据's attachment door, tried as a careless clerk: an empty file (a scan that never
finished) was stored as evidence of nothing, and a file whose name ends in a long 「extension」
(「询问笔录.第一次谈话……」) was refused with 「文件名或路径过长…请改用较短的文件名」 — the
stored copy is named by its SHA-256, the officer's name only lent it its suffix. A folder,
a link to a folder and a 2 GB sparse file are refused as before, leaving nothing (review 57h)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.domain.lifecycle import Stage
from app.services.base import ServiceError
from tests.helpers.builders import advance
from tests.helpers.sealed import plain_of


def _evidence(svc, cid: int) -> list:  # type: ignore[no-untyped-def]
    return list(svc.queries.get_case(cid).evidence)


def _left(svc) -> list[Path]:  # type: ignore[no-untyped-def]
    folder = svc.ctx.data_dir / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_empty_file_is_no_evidence(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    empty = tmp_path / "扫描件.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ServiceError, match=r"“扫描件\.pdf”是空文件（0字节）.*未登记"):
        svc.cases.add_evidence(cid, "询问笔录", attachment=empty)
    assert _evidence(svc, cid) == [] and _left(svc) == []


def test_a_long_extension_is_not_the_stored_name(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    scan = tmp_path / ("笔录." + "第一次谈话记录" * 10)  # 70 汉字 after the dot: 216 bytes
    scan.write_bytes(b"%PDF-1.4 statement")
    eid = svc.cases.add_evidence(cid, "询问笔录", attachment=scan)
    [ev] = [e for e in _evidence(svc, cid) if e.id == eid]
    assert ev.attachment_name == scan.name  # the officer's name kept as he gave it
    assert plain_of(svc, svc.ctx.data_dir / ev.attachment_path) == b"%PDF-1.4 statement"
    assert len(Path(ev.attachment_path).name) <= 80


def test_folders_links_and_sparse_giants_leave_nothing(svc, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    folder = tmp_path / "证据材料"
    folder.mkdir()
    link = tmp_path / "证据链接"
    link.symlink_to(folder, target_is_directory=True)
    giant = tmp_path / "录像.mp4"
    with open(giant, "wb") as fh:  # 2 GiB, sparse: nothing written but its last byte
        fh.seek((2 << 30) - 1)
        fh.write(b"\0")
    for source, said in [(folder, "不是文件"), (link, "不是文件"), (giant, "超过上限")]:
        with pytest.raises(ServiceError, match=said):
            svc.cases.add_evidence(cid, "录像", attachment=source)
    assert _evidence(svc, cid) == [] and _left(svc) == []
    assert os.path.getsize(giant) == 2 << 30
