"""A restore can be undone from the program: the database it replaces is backed up first.

The replaced file used to be kept only as ``wenze.db.before-restore-<time>`` beside the
database — no manifest, so the program refused it like any file without one, and an officer
who restored the wrong backup needed a technician to put the file back. Now the restore
first makes an ordinary backup of the database it replaces (kind 「恢复前」, manifest and
seal, listed in 备份与恢复), and restoring that backup undoes the restore.

Real SQLite databases, real backups made by BackupService, real files in tmp_path.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.storage.models import AuditRecord, Unit
from tests.unit.test_backup_retention import TODAY, _backup_at
from tests.unit.test_review41_restore import site  # noqa: F401  (the fixture)


def _units(svc) -> set[str]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return set(s.scalars(select(Unit.name)))


def test_the_backup_made_before_a_restore_undoes_it(site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    svc, clock = site
    old = _backup_at(svc, clock, TODAY).path
    clock.now = TODAY + timedelta(minutes=5)
    svc.masterdata.create_unit("备份之后新建的单位", "科室")
    clock.now = TODAY + timedelta(minutes=10)
    result = svc.backups.restore(old)
    assert "备份之后新建的单位" not in _units(svc)
    assert result.before_backup is not None
    listed = {b.path: b for b in svc.backups.list_backups()}
    before = listed[result.before_backup]
    assert before.kind == "恢复前"
    assert svc.backups.check(before.path).ok
    # The restore's record names it, so the trail says where the replaced data went.
    with svc.db.read() as s:
        after = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "恢复数据库")
        ).all()[-1]
    assert after["before_backup"] == before.path.name
    # Undo: restoring it brings the unit back; the chain verifies — the backup this second
    # restore made of the first one's result (the same second: audit times are whole
    # seconds) set aside, the one it restored compared and found to be this chain's.
    clock.now = TODAY + timedelta(minutes=15)
    undone = svc.backups.restore(before.path)
    assert "备份之后新建的单位" in _units(svc)
    report = svc.audit.verify()
    assert report.ok, report.message
    assert undone.before_backup is not None
    set_aside = [n for n in report.notes if "恢复前被替换" in n]
    assert set_aside and all(undone.before_backup.name in n for n in set_aside)


def test_the_backup_before_a_restore_never_thins_away_the_one_restored(site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The backup picked may be the oldest daily one kept; a backup made today, on a day
    that had none, would have let the retention remove it before it was read."""
    svc, clock = site
    made = [_backup_at(svc, clock, TODAY - timedelta(days=d)).path for d in range(30, 0, -1)]
    oldest = made[0]
    clock.now = TODAY
    result = svc.backups.restore(oldest)
    assert result.restored_from == oldest
    assert oldest.exists()
    assert result.before_backup is not None and result.before_backup.exists()


def test_a_restore_that_could_not_back_up_first_says_so(site, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The backup folder unusable (here a file stands where it was): the restore goes on —
    a damaged database is what restores are for — and says that no 恢复前 backup was made."""
    import shutil

    from app.services.backup import manifest_path

    svc, clock = site
    made = _backup_at(svc, clock, TODAY).path
    usb = tmp_path / "U盘"
    usb.mkdir()
    for f in (made, manifest_path(made)):
        shutil.copy2(f, usb / f.name)
    folder = svc.backups.backup_dir
    folder.rename(folder.with_name("备份文件夹移走了"))
    folder.write_text("不是文件夹", "utf-8")
    clock.now = TODAY + timedelta(minutes=5)
    result = svc.backups.restore(usb / made.name)
    assert result.before_backup is None
    said = result.kept_text()
    assert "未能另做“恢复前”备份" in said and "原数据库已保留为" in said


def test_restore_undo_redo_and_restore_again_each_verify(site) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Review 42: each restore backs up what it replaces; undoing, redoing and restoring
    again goes back and forth between two chains, and after every step the chain verifies
    against every backup (those of the replaced data set aside, the others compared) and the
    units are those of the data restored; work done between the steps survives its undo."""
    svc, clock = site
    minute = [0]

    def at_next_minute() -> None:
        minute[0] += 5
        clock.now = TODAY + timedelta(minutes=minute[0])

    def verified() -> None:
        report = svc.audit.verify()
        assert report.ok, (report.problems, report.notes)

    old = _backup_at(svc, clock, TODAY).path
    at_next_minute()
    svc.masterdata.create_unit("甲单位", "科室")
    at_next_minute()
    svc.backups.backup_now("手动")  # a backup of the chain the first restore replaces
    at_next_minute()
    first = svc.backups.restore(old)
    assert "甲单位" not in _units(svc)
    verified()
    at_next_minute()
    svc.masterdata.create_unit("乙单位", "科室")  # work on the restored chain
    at_next_minute()
    assert first.before_backup is not None
    undo = svc.backups.restore(first.before_backup)
    assert {"甲单位"} <= _units(svc) and "乙单位" not in _units(svc)
    verified()
    at_next_minute()
    assert undo.before_backup is not None
    redo = svc.backups.restore(undo.before_backup)  # the restored chain back, with 乙单位
    assert "乙单位" in _units(svc) and "甲单位" not in _units(svc)
    verified()
    at_next_minute()
    assert redo.before_backup is not None
    again = svc.backups.restore(redo.before_backup)
    assert "甲单位" in _units(svc) and "乙单位" not in _units(svc)
    verified()
    at_next_minute()
    svc.masterdata.create_unit("丙单位", "科室")
    at_next_minute()
    svc.backups.backup_now("手动")
    verified()
    with svc.db.read() as s:
        records = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "恢复数据库")
        ).all()
    assert again.before_backup is not None
    assert [r["before_backup"] for r in records][-1] == again.before_backup.name


def test_a_backup_made_in_the_restores_second_after_it_still_reveals_a_rollback(
    site,  # noqa: F811
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    """Review 42: anchors made in a restore's own second were set aside as the replaced
    data's whenever they did not match (``>=`` on the time, for the 恢复前 backup, which is of
    that second) — also a backup made *after* the restore in that second (a script running
    `wenze restore` then `wenze backup`), the very copy that reveals a rollback of the
    restored chain. Only the 恢复前 backup the restore names is set aside in its second."""
    import json
    import shutil

    from sqlalchemy import text

    from app.services import build_services
    from app.services.auditkey import keyring
    from app.services.keys import SessionKeyProvider
    from app.services.startup import open_data_file

    svc, clock = site
    old = _backup_at(svc, clock, TODAY).path
    clock.now = TODAY + timedelta(minutes=5)
    svc.masterdata.create_unit("备份之后新建的单位", "科室")
    clock.now = TODAY + timedelta(minutes=10)  # the restore, and in its second:
    svc.backups.restore(old)
    svc.masterdata.create_unit("恢复之后新建的单位", "科室")
    usb = svc.backups.backup_now("手动").path  # kept off the PC: what reveals a rollback
    with svc.db.read() as s:
        restore_seq = s.scalar(text("SELECT seq FROM audit_records WHERE action = '恢复数据库'"))
        restore_hash = s.scalar(
            text("SELECT hash FROM audit_records WHERE seq = :q"), {"q": restore_seq}
        )
    assert json.loads(usb.with_suffix(".json").read_text("utf-8"))["chain_seq"] > restore_seq
    # The attacker rolls the chain back to the restore's record, head and anchor file too,
    # and the check runs without the audit key (nobody logged in on his copy).
    ring = keyring(svc.db, svc.ctx.data_dir)
    key_file = ring.key_file
    with svc.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_records WHERE seq > :q"), {"q": restore_seq})
        conn.execute(
            text("UPDATE audit_head SET seq = :q, hash = :h, mac = NULL, sealed_seq = 0"),
            {"q": restore_seq, "h": restore_hash},
        )
    ring.anchor_path.write_text(
        json.dumps({"app": "wenze", "kind": "audit-anchor", "seq": restore_seq,
                    "head": restore_hash}), "utf-8",
    )  # fmt: skip
    assert key_file is not None and key_file.exists()
    shutil.move(key_file, tmp_path / "key-elsewhere")
    svc.db.dispose()
    db = open_data_file(svc.ctx.data_dir)  # a fresh process: no key in memory
    try:
        report = build_services(
            db, data_dir=svc.ctx.data_dir, keys=SessionKeyProvider()
        ).audit.verify()
    finally:
        db.dispose()
    assert not report.keyed
    assert not report.ok, report.notes
    assert any("末尾被截断" in p and usb.name in p for p in report.problems), report.problems
