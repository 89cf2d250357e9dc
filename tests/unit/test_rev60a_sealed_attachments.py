"""Review 60a: evidence attachments are sealed at rest and an officer can export one back.

A scanned report letter names its writer (第十条): the stored copy was the plain file, read by
anyone holding the data folder, and the program had no way to give a stored file back. Now
it is sealed (AES-GCM, 1 MiB chunks bound to their place) under a key derived from the audit
key; the export opens it, checks the SHA-256 registered with it and is audited; verify opens
it too, and says plainly when it holds no key to do so.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.attachment_seal import (
    CHUNK,
    HEADER_BYTES,
    MAGIC,
    RECORD_BYTES,
    AttachmentAltered,
    key_for,
    plain_sha256,
)
from app.services.auditkey import keyring
from app.services.base import Actor, NotFound, ServiceError
from app.services.keys import SessionKeyProvider
from app.storage.models import AuditRecord, Evidence
from tests.helpers.builders import advance, recuse_yan

#: What must never be readable in the data folder: the writer of a report letter.
MARK = "举报人：张三，联系电话13900000000".encode()


def scan(folder: Path, name: str = "举报信扫描件.pdf", size: int = 2 * CHUNK + 300_000) -> Path:
    """A multi-chunk file with the marker in its first and third chunks."""
    folder.mkdir(parents=True, exist_ok=True)
    body = bytearray(os.urandom(size))
    body[100 : 100 + len(MARK)] = MARK
    body[2 * CHUNK + 10 : 2 * CHUNK + 10 + len(MARK)] = MARK
    path = folder / name
    path.write_bytes(b"%PDF-1.4\n" + bytes(body))
    return path


def exports(svc: Any, action: str = "导出证据附件") -> list[AuditRecord]:
    with svc.db.read() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action)))


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def stored(svc, world, tmp_path: Path) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    src = scan(tmp_path / "src")
    eid = svc.cases.add_evidence(
        cid, "举报信扫描件", attachment=src, collected_on=date(2026, 3, 10)
    )
    with svc.db.read() as s:
        row = s.get(Evidence, eid)
        s.expunge(row)
    path = svc.ctx.data_dir / row.attachment_path
    return SimpleNamespace(cid=cid, eid=eid, src=src, row=row, path=path, out=tmp_path / "out")


def test_the_stored_copy_is_sealed_and_exports_back_exactly(svc, stored) -> None:  # type: ignore[no-untyped-def]
    raw = stored.path.read_bytes()
    assert raw.startswith(MAGIC) and MARK not in raw
    plain = stored.src.read_bytes()
    assert stored.row.sha256 == hashlib.sha256(plain).hexdigest()  # the plain file's, as listed
    assert stored.path.name.startswith(stored.row.sha256)
    dest = stored.out / "导出的扫描件.pdf"
    assert svc.attachments.export(stored.eid, dest) == dest
    assert dest.read_bytes() == plain
    assert files(stored.out) == [dest]  # no temporary name left beside it
    (record,) = exports(svc)
    assert record.entity_id == stored.eid and record.case_id == stored.cid
    assert "导出的扫描件" not in str(record.after)  # the name the officer typed is not kept
    report = svc.audit.verify()
    assert report.ok, report.problems  # the export's record replays as a read


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[HEADER_BYTES + RECORD_BYTES + 5000] ^= 0x01  # inside the second chunk
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    """Cut off the last chunk whole: what is left ends on a chunk boundary."""
    data = path.read_bytes()
    path.write_bytes(data[: HEADER_BYTES + 2 * RECORD_BYTES])


def _drop(path: Path) -> None:
    """Take out the middle chunk: every chunk left is intact."""
    data = path.read_bytes()
    path.write_bytes(data[: HEADER_BYTES + RECORD_BYTES] + data[HEADER_BYTES + 2 * RECORD_BYTES :])


@pytest.mark.parametrize("tamper", [_flip, _truncate, _drop], ids=["flip", "truncate", "drop"])
def test_a_tampered_copy_is_refused_on_export_and_named_by_verify(svc, stored, tamper) -> None:  # type: ignore[no-untyped-def]
    tamper(stored.path)
    # The chunks themselves refuse it (their place is bound), before any hash is compared.
    with pytest.raises(AttachmentAltered):
        plain_sha256(stored.path, key_for(svc.db, svc.ctx.data_dir))
    dest = stored.out / "扫描件.pdf"
    with pytest.raises(AttachmentAltered, match="可能被改动"):
        svc.attachments.export(stored.eid, dest)
    assert files(stored.out) == [] and exports(svc) == []
    # verify checks the files of a SQLite data folder (on PostgreSQL each PC keeps its own)
    if svc.db.is_sqlite:
        report = svc.audit.verify()
        assert not report.ok
        assert [p for p in report.problems if "举报信扫描件" in p and "已被改动" in p], (
            report.problems
        )


def test_without_the_key_verify_says_the_files_were_not_checked(svc, stored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A run holding no key (a CLI without --user) does not call a sealed file altered — it
    cannot tell — and says so; nor does it export one."""
    _flip(stored.path)
    key_file = keyring(svc.db).key_file
    key_file.rename(tmp_path / "audit.key.elsewhere")
    keyring(svc.db).set_key(None)
    report = svc.audit.verify()
    assert not [p for p in report.problems if "附件" in p], report.problems
    # verify checks the files of a SQLite data folder (on PostgreSQL each PC keeps its own)
    if svc.db.is_sqlite:
        assert [n for n in report.notes if "1个证据附件" in n and "未能核对其内容" in n], (
            report.notes
        )
    with pytest.raises(ServiceError, match="未能解开审计密钥"):
        svc.attachments.export(stored.eid, stored.out / "扫描件.pdf")
    assert files(stored.out) == []


def test_a_recused_officer_exports_nothing(svc, world, db, clock, stored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    recuse_yan(svc, world, stored.cid)
    actor = Actor("yan", "严守法", UserRole.OFFICER, 99, world.staff[3])
    yan = build_services(db, actor=actor, data_dir=tmp_path, clock=clock, keys=SessionKeyProvider())
    with pytest.raises(NotFound, match="第十二条"):
        yan.attachments.export(stored.eid, stored.out / "扫描件.pdf")
    assert files(stored.out) == [] and exports(svc) == []


def test_a_file_stored_before_sealing_exports_verifies_and_is_sealed(svc, stored) -> None:  # type: ignore[no-untyped-def]
    plain = stored.src.read_bytes()
    stored.path.write_bytes(plain)  # as登记证据 stored it before this change
    dest = stored.out / "旧.pdf"
    svc.attachments.export(stored.eid, dest)
    assert dest.read_bytes() == plain
    report = svc.audit.verify()
    assert not [p for p in report.problems if "附件" in p], report.problems
    # verify checks the files of a SQLite data folder (on PostgreSQL each PC keeps its own)
    if svc.db.is_sqlite:
        assert [n for n in report.notes if "仍以明文存放" in n], report.notes

    result = svc.attachments.seal_plain()
    assert result.sealed == [stored.row.attachment_path] and result.altered == []
    raw = stored.path.read_bytes()
    assert raw.startswith(MAGIC) and MARK not in raw
    assert files(stored.path.parent) == [stored.path]
    svc.attachments.export(stored.eid, dest)
    assert dest.read_bytes() == plain
    assert svc.attachments.seal_plain().sealed == []  # idempotent
    (record,) = exports(svc, "加密旧附件")
    assert record.entity_id == stored.eid
    report = svc.audit.verify()
    assert report.ok and not [n for n in report.notes if "明文" in n], report.problems


def test_an_altered_plain_file_is_not_sealed(svc, stored) -> None:  # type: ignore[no-untyped-def]
    """Sealing it would only hide what it was: it is left for verify to name."""
    stored.path.write_bytes(stored.src.read_bytes() + b"appended")
    result = svc.attachments.seal_plain()
    assert result.sealed == [] and result.altered == [stored.row.attachment_path]
    assert not stored.path.read_bytes().startswith(MAGIC)
    assert exports(svc, "加密旧附件") == []


def test_a_seal_interrupted_mid_way_loses_nothing(
    svc, world, stored, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    second = scan(tmp_path / "src", "谈话笔录.pdf", size=CHUNK // 2)
    eid2 = svc.cases.add_evidence(stored.cid, "谈话笔录", attachment=second)
    with svc.db.read() as s:
        path2 = svc.ctx.data_dir / s.get(Evidence, eid2).attachment_path
    for src, path in ((stored.src, stored.path), (second, path2)):
        path.write_bytes(src.read_bytes())  # both stored before sealing
    real_replace = os.replace
    calls: list[str] = []

    def cut(src: Any, dst: Any) -> None:  # the power goes at the second file's rename
        if Path(dst).parent.parent == svc.ctx.data_dir / "attachments":
            calls.append(str(dst))
            if len(calls) == 2:
                raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", cut)
    with pytest.raises(KeyboardInterrupt):
        svc.attachments.seal_plain()
    monkeypatch.setattr(os, "replace", real_replace)
    first, last = sorted([stored.path, path2])  # sealed in path order
    assert first.read_bytes().startswith(MAGIC) and not last.read_bytes().startswith(MAGIC)
    assert sorted(files(svc.ctx.data_dir / "attachments")) == sorted([stored.path, path2])
    assert len(exports(svc, "加密旧附件")) == 1  # the interrupted one left no record
    for eid, src in ((stored.eid, stored.src), (eid2, second)):
        svc.attachments.export(eid, stored.out / f"{eid}.pdf")
        assert (stored.out / f"{eid}.pdf").read_bytes() == src.read_bytes()
    assert [Path(p).name for p in svc.attachments.seal_plain().sealed] == [last.name]
    assert len(exports(svc, "加密旧附件")) == 2


def test_an_evidence_without_a_file_has_nothing_to_export(svc, stored) -> None:  # type: ignore[no-untyped-def]
    eid = svc.cases.add_evidence(stored.cid, "现场照片说明")
    with pytest.raises(ServiceError, match="没有附件"):
        svc.attachments.export(eid, stored.out / "x.pdf")


def test_the_seal_command_and_verify_on_an_installed_site(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """`wenze attachments seal --user admin` seals what an older version stored plain; verify
    without --user says it could not check the sealed files, with --user it checks them."""
    from app.cli import main
    from app.storage.engine import Database
    from tests.helpers.builders import seed_world
    from tests.unit.test_sec_audit import ADMIN_PW, login

    site = tmp_path / "data"
    site.mkdir()
    db = Database(f"sqlite:///{site / 'wenze.db'}", site)
    try:
        db.migrate()
        first = build_services(db, data_dir=site, keys=SessionKeyProvider())
        first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
        admin = login(db, site, "admin", ADMIN_PW)
        cid = advance(admin, seed_world(admin), Stage.INVESTIGATING)
        src = scan(tmp_path / "src", size=CHUNK // 4)
        eid = admin.cases.add_evidence(cid, "举报信扫描件", attachment=src)
        with db.read() as s:
            path = site / s.get(Evidence, eid).attachment_path
    finally:
        keyring(db).set_key(None)
        db.dispose()
    monkeypatch.setenv("WENZE_PASSWORD", ADMIN_PW)
    path.write_bytes(src.read_bytes())  # as an older version stored it
    assert main(["attachments", "seal", "--data-dir", str(site)]) == 1  # 审计员: refused
    assert "无权执行“加密旧附件”" in capsys.readouterr().err
    assert main(["attachments", "seal", "--data-dir", str(site), "--user", "admin"]) == 0
    assert "已加密 1 个旧附件" in capsys.readouterr().out
    raw = path.read_bytes()
    assert raw.startswith(MAGIC) and MARK not in raw
    assert main(["audit", "verify", "--data-dir", str(site)]) == 0
    assert "1个证据附件加密保存，本次运行未持有密钥，未能核对其内容" in capsys.readouterr().out
    _flip_any(path)
    assert main(["audit", "verify", "--data-dir", str(site), "--user", "admin"]) == 2
    assert "举报信扫描件" in capsys.readouterr().out


def _flip_any(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01
    path.write_bytes(bytes(data))
