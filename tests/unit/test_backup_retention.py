"""Backup retention loses no backup it should keep (session 32, h32).

1. Two PCs (two databases) sharing one second backup folder (a network share, a USB disk)
   thinned each other's backups there: retention counted every wenze backup in the folder as
   its own. Each manifest now names its database; retention counts and removes only its own,
   and a manifest that names none (written before) only in the data directory's own folder.
2. A damaged newest backup of a day (same size, other bytes) was "kept" for that day while
   the day's intact backups were removed: keepers are now chosen among intact backups only.
3. A backup named with a time after now (a wrong PC clock, since corrected) was taken as the
   newest day: today's backups were thinned as if old. Retention now counts from the clock.

Real SQLite databases, real backups made by BackupService, real files in tmp_path.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.services import build_services
from app.services.auditkey import BACKUP_SEAL_SCHEME, key_id
from app.services.backup import (
    OTHER_DATABASE,
    BackupError,
    check_backup,
    manifest_path,
    read_manifest,
)
from app.services.backup_retention import database_id_in, retention_keep
from app.services.vault import StaticKeyProvider
from tests.conftest import FIXED_NOW, Clock, make_db
from tests.helpers.disks import beside
from tests.unit.test_trust_backup import fake_backup

TODAY = FIXED_NOW  # 2026-11-25 10:00, the clock of every test
#: What a manifest's seal covered before manifests named their database (written out here, so
#: that a change to auditkey.BACKUP_SEALED_FIELDS cannot move both sides of the comparison).
SEALED_BEFORE = ("file", "created_at", "kind", "sha256", "size", "chain_seq", "chain_head",
                 "sealed_seq", "sealed_mac", "schema_revision")  # fmt: skip


def _site(root: Path, name: str, clock: Clock, usb: Path | None = None):  # type: ignore[no-untyped-def]
    """One installation: its data directory, a migrated SQLite database, its services; with
    ``usb`` the second backup folder of its settings (its first audit record)."""
    data = root / name
    data.mkdir()
    db = make_db("sqlite", data)
    svc = build_services(db, data_dir=data, clock=clock, keys=StaticKeyProvider(b"k" * 32))
    usb = usb or beside(data, "usb")  # outside the data folder, as the settings require
    usb.mkdir(parents=True, exist_ok=True)
    svc.masterdata.update_settings(backup_dir=str(usb))
    return svc


@pytest.fixture
def two_pcs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """PC A and PC B, set up a minute apart, both copying their backups to one share."""
    share = tmp_path / "share"
    a_clock, b_clock = Clock(TODAY), Clock(TODAY - timedelta(minutes=1))
    a = _site(tmp_path, "a", a_clock, share)
    b = _site(tmp_path, "b", b_clock, share)
    yield a, b, a_clock, b_clock, share
    a.db.dispose()
    b.db.dispose()


def _backup_at(svc, clock: Clock, at: datetime, kind: str = "每日"):  # type: ignore[no-untyped-def]
    clock.now = at
    return svc.backups.backup_now(kind)


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("wenze-*.db")}


# ----------------------------------------------------------------------------- 1 shared folder
def test_each_manifest_names_its_database(two_pcs) -> None:  # type: ignore[no-untyped-def]
    a, b, a_clock, b_clock, share = two_pcs
    ia = _backup_at(a, a_clock, TODAY)
    ib = _backup_at(b, b_clock, TODAY + timedelta(seconds=1))
    ma, mb = read_manifest(ia.path), read_manifest(ib.path)
    assert ma["database_id"] == database_id_in(a.db) and mb["database_id"] == database_id_in(b.db)
    assert ma["database_id"] != mb["database_id"]
    # The copies in the share carry the same manifests; the seals verify with each key.
    assert read_manifest(share / ia.path.name) == ma
    assert ia.sealed and check_backup(ia.path, a.backups._audit_key()).ok


def test_a_pc_does_not_thin_another_pcs_backups_in_the_shared_folder(two_pcs) -> None:  # type: ignore[no-untyped-def]
    """PC B backed up on 25 days (Oct 11 – Nov 4) into the share, PC A on the last 10: A's
    retention saw 35 days of "its" backups there and removed B's oldest five."""
    a, b, a_clock, b_clock, share = two_pcs
    b_made = [_backup_at(b, b_clock, TODAY - timedelta(days=45 - d)).path.name for d in range(25)]
    assert _names(share) == set(b_made)  # B keeps all of its 25 days
    a_made = [_backup_at(a, a_clock, TODAY - timedelta(days=9 - d)).path.name for d in range(10)]
    assert _names(share) == {*b_made, *a_made}
    # Nor does A's prune by hand touch them.
    assert a.backups.prune(share) == []
    assert _names(share) == {*b_made, *a_made}


def test_a_manifest_naming_no_database_is_thinned_only_in_the_own_folder(two_pcs) -> None:  # type: ignore[no-untyped-def]
    """Backups made before manifests named their database: in <data dir>/backups they are
    this installation's and thinned as before; in the shared folder they may be another
    PC's and are left alone."""
    a, _b, a_clock, _b_clock, share = two_pcs
    own = a.backups.backup_dir
    own.mkdir()
    share.mkdir(exist_ok=True)  # made with the settings
    old = TODAY - timedelta(days=120)
    legacy_home = [fake_backup(own, old + timedelta(days=d)) for d in range(75)]
    legacy_shared = [fake_backup(share, old + timedelta(days=d)) for d in range(75)]
    made = _backup_at(a, a_clock, TODAY)
    assert all(p.exists() for p in legacy_shared)
    gone = [p for p in legacy_home if not p.exists()]
    # The 75 legacy days end 45 days ago: 29 of them and today fill the 30 days; the
    # months before add theirs; the rest go.
    assert len(gone) > 30 and made.path.exists()


def test_an_old_manifest_without_database_id_still_verifies(two_pcs) -> None:  # type: ignore[no-untyped-def]
    """The seal over a manifest that names no database is the one older versions wrote;
    taking the name out of a new manifest (or putting one in) breaks its seal."""
    a, _b, a_clock, _b_clock, _share = two_pcs
    info = _backup_at(a, a_clock, TODAY)
    key = a.backups._audit_key()
    m = read_manifest(info.path)
    # What the version before wrote: the same facts without database_id, sealed as it sealed.
    old = {k: v for k, v in m.items() if k not in ("database_id", "seal")}
    body = json.dumps([old.get(n) for n in SEALED_BEFORE], ensure_ascii=False,
                      separators=(",", ":"))  # fmt: skip
    mac = hmac.new(key, f"{BACKUP_SEAL_SCHEME}|{body}".encode(), hashlib.sha256).hexdigest()
    old["seal"] = {"scheme": BACKUP_SEAL_SCHEME, "key_id": key_id(key), "mac": mac}
    info.manifest_path.write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    assert check_backup(info.path, key).ok
    assert "警告" not in a.backups.restore_warning(info.path)  # the seal proves it unchanged
    # The new manifest with its database name removed (the old seal kept) is refused.
    stripped = {k: v for k, v in m.items() if k != "database_id"}
    info.manifest_path.write_text(json.dumps(stripped, ensure_ascii=False), "utf-8")
    with pytest.raises(BackupError, match="备份清单的密钥签名不符"):
        a.backups.restore_warning(info.path)
    # And a name put into an old sealed manifest.
    info.manifest_path.write_text(
        json.dumps({**old, "database_id": "0" * 64}, ensure_ascii=False), "utf-8"
    )
    assert not check_backup(info.path, key).ok


# ----------------------------------------------------------------------------- 2 damaged newest
def _damage(path: Path) -> None:
    """Other bytes, same size (bit rot, a half-overwritten sector): only SHA-256 sees it."""
    data = bytearray(path.read_bytes())
    data[-100:] = bytes(b ^ 0xFF for b in data[-100:])
    path.write_bytes(bytes(data))


def test_a_damaged_newest_backup_of_a_day_does_not_cost_the_intact_ones(two_pcs) -> None:  # type: ignore[no-untyped-def]
    a, _b, a_clock, _b_clock, _share = two_pcs
    day = TODAY - timedelta(days=3)
    morning = _backup_at(a, a_clock, day.replace(hour=9), "手动").path
    evening = _backup_at(a, a_clock, day.replace(hour=18), "退出").path
    _damage(evening)
    assert not check_backup(evening).ok
    _backup_at(a, a_clock, TODAY)
    # The intact morning backup is the day's keeper; the damaged one is left for inspection.
    assert morning.exists() and evening.exists()
    assert a.backups.prune() == []
    assert morning.exists() and evening.exists()


def test_a_damaged_backup_is_not_counted_as_one_of_the_30_days(two_pcs) -> None:  # type: ignore[no-untyped-def]
    """30 days of daily backups, the newest but one damaged: tomorrow the oldest stays, so
    that 30 intact days remain."""
    a, _b, a_clock, _b_clock, _share = two_pcs
    made = [_backup_at(a, a_clock, TODAY - timedelta(days=d)).path for d in range(29, -1, -1)]
    assert all(p.exists() for p in made)  # 30 days: Oct 27 – Nov 25
    _damage(made[-2])
    a_clock.now = TODAY + timedelta(days=1)
    a.backups.backup_now()
    # Tomorrow, Nov 24 not counting, the 30 newest intact days still reach back to Oct 27
    # (not October's keeper: that is Oct 31); the damaged backup is left for inspection.
    assert all(p.exists() for p in made)


# ----------------------------------------------------------------------------- 3 future-dated
def test_a_future_dated_backup_does_not_make_todays_look_old(two_pcs) -> None:  # type: ignore[no-untyped-def]
    """A backup made while the PC's clock said next March; the clock is corrected. Today's
    manual backup (before a risky change) must survive today's exit backup."""
    a, _b, a_clock, _b_clock, _share = two_pcs
    future = _backup_at(a, a_clock, datetime(2027, 3, 1, 9, 0)).path
    manual = _backup_at(a, a_clock, TODAY - timedelta(hours=1), "手动").path
    exit_ = _backup_at(a, a_clock, TODAY, "退出").path
    assert future.exists() and manual.exists() and exit_.exists()
    assert a.backups.prune() == []
    assert future.exists() and manual.exists()


def test_a_future_dated_backup_takes_none_of_the_30_days() -> None:
    now = datetime(2026, 11, 25, 10, 0)
    days = [now - timedelta(days=d) for d in range(30)]
    future = datetime(2027, 3, 1, 9, 0)
    keep = retention_keep([*days, future], now=now)
    assert set(days) <= keep and future in keep
    # Without the clock, the future day took one of the 30 (the old behaviour).
    assert min(days) not in retention_keep([*days, future])


def test_restoring_another_databases_backup_is_warned_of(two_pcs) -> None:  # type: ignore[no-untyped-def]
    """A shared folder shows PC A's backups to PC B too. Restoring one of them on B (an
    unsealed one: a sealed one is refused by its seal) would replace all of B's records, so
    the confirmation says so instead of counting B's records "after" A's backup."""
    a, b, a_clock, b_clock, share = two_pcs
    ia = _backup_at(a, a_clock, TODAY)
    theirs = share / ia.path.name
    manifest = read_manifest(theirs)
    del manifest["seal"]
    manifest_path(theirs).write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    # Its chain is sealed under A's audit key, which B cannot check: since review rev-crash
    # refused before the confirmation (the restore itself always failed at record 1's seal).
    with pytest.raises(BackupError, match="另一个数据库"):
        b.backups.restore_warning(theirs)
    ib = _backup_at(b, b_clock, TODAY + timedelta(minutes=5))
    assert OTHER_DATABASE not in b.backups.restore_warning(ib.path)


def test_a_backup_removed_by_another_pc_while_it_is_hashed_costs_no_backup(
    two_pcs, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Two PCs thinning one shared folder at once: a backup the other PC removes between
    this PC's listing and its hashing is simply not one of its keepers. Before, reading it
    raised, and the backup just made was reported as failed with no 备份数据库 record."""
    from sqlalchemy import func, select

    from app.services import backup_files
    from app.storage.models import AuditRecord

    a, _b, a_clock, _b_clock, share = two_pcs
    day = TODAY - timedelta(days=3)
    for hour in (9, 18):  # two of one day: the day's keeper is chosen by hashing them
        _backup_at(a, a_clock, day.replace(hour=hour))
    hashed, removed = backup_files.sha256_file, []

    def removed_meanwhile(path):  # type: ignore[no-untyped-def]
        old = Path(path).parent == share and TODAY.strftime("%Y%m%d") not in Path(path).name
        if old and not removed:
            Path(path).unlink()  # the other PC's thinning, at this very moment
            removed.append(path)
        return hashed(path)

    def recorded() -> int:
        with a.db.read() as s:
            return s.scalar(select(func.count()).where(AuditRecord.action == "备份数据库"))

    before = recorded()
    monkeypatch.setattr(backup_files, "sha256_file", removed_meanwhile)
    info = _backup_at(a, a_clock, TODAY)
    assert removed, "no backup of the shared folder was hashed"
    assert info.path.exists()
    assert recorded() == before + 1
