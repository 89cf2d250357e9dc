"""Attachments: streamed with flat memory, a size limit, and a start-up quarantine sweep."""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from app.services import attachments
from app.services.attachment_seal import plain_chunks, plain_sha256
from app.services.base import ServiceError
from app.storage.models import Setting

KEY = b"\x01" * 32  # the attachment key of these module-level copies


def test_large_file_is_streamed_and_hashed(tmp_path: Path) -> None:
    src = tmp_path / "监控录像.mp4"
    with open(src, "wb") as fh:
        for i in range(40):  # 40 MiB of varied bytes
            fh.write(bytes([i]) * (1 << 20))
    expected = hashlib.sha256(src.read_bytes()).hexdigest()
    tracemalloc.start()
    stored = attachments.store(tmp_path / "data", src, KEY, max_bytes=100 << 20)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 << 20, f"peak Python allocation {peak >> 20} MiB for a 40 MiB file"
    assert stored.sha256 == expected and stored.size == 40 << 20
    assert stored.path == f"attachments/{expected[:2]}/{expected}.mp4"
    assert plain_sha256(tmp_path / "data" / stored.path, KEY) == expected  # sealed, whole
    assert not list((tmp_path / "data" / "attachments").glob(".*"))


def test_size_limit_has_a_clear_message_and_leaves_nothing(tmp_path: Path) -> None:
    src = tmp_path / "大文件.zip"
    src.write_bytes(b"x" * (3 << 20))
    with pytest.raises(ServiceError, match=r"超过上限1 MB.*系统设置"):
        attachments.store(tmp_path / "data", src, KEY, max_bytes=1 << 20)
    folder = tmp_path / "data" / "attachments"
    assert not folder.exists() or not any(folder.rglob("*"))


def test_limit_comes_from_the_setting_or_environment(svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert svc.attachments.max_bytes() == attachments.DEFAULT_MAX_MB << 20
    monkeypatch.setenv(attachments.ENV_MAX_MB, "5")
    assert svc.attachments.max_bytes() == 5 << 20
    with svc.db.session() as s:
        s.add(Setting(key=attachments.SETTING_KEY, value="2"))
    assert svc.attachments.max_bytes() == 2 << 20


def test_sweep_quarantines_unreferenced_files_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.4 evidence a")
    kept = attachments.store(data, src, KEY)
    src.write_bytes(b"%PDF-1.4 orphan of a refused act")
    orphan = attachments.store(data, src, KEY)
    src.write_bytes(b"%PDF-1.4 being written by another window")
    young = attachments.store(data, src, KEY)
    old = time.time() - 2 * attachments.SWEEP_MIN_AGE_S
    for s in (kept, orphan):
        os.utime(data / s.path, (old, old))
    moved = attachments.sweep(data, {kept.path})
    assert len(moved) == 1 and b"".join(plain_chunks(moved[0], KEY)).endswith(b"of a refused act")
    assert attachments.QUARANTINE in moved[0].parts
    assert (data / kept.path).exists() and (data / young.path).exists()
    assert not (data / orphan.path).exists()


def test_path_for_stays_inside_the_attachments_folder(svc) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError):
        svc.attachments.path_for("../wenze.db")
    assert svc.attachments.path_for("attachments/ab/x.pdf").name == "x.pdf"
