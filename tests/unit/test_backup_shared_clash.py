"""Two PCs back up into one shared second folder (备份副本另存到) in the same second: both
backups are named wenze-<date>-<time>.db, and the second copy replaced the first PC's backup
and manifest there. The first one is kept; the second PC is told why its copy is missing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.services import build_services
from app.services.backup import manifest_path, sha256_file
from tests.conftest import make_db


def test_a_backup_of_another_pc_with_the_same_name_is_not_replaced(clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shared = tmp_path / "shared"
    pcs = []
    for name in ("pc1", "pc2"):
        (tmp_path / name).mkdir()
        db = make_db("sqlite", tmp_path / name)
        pcs.append((db, build_services(db, data_dir=tmp_path / name, clock=clock)))
    (_, one), (db2, two) = pcs
    with db2.session() as s:  # the second PC's database holds something else
        s.execute(text("INSERT INTO settings (key, value) VALUES ('pc', '2')"))
    first = one.backups.backup_now(to=shared)
    (copy,) = first.copies
    kept = copy.read_bytes(), manifest_path(copy).read_bytes()
    second = two.backups.backup_now(to=shared)  # the same clock: the same second, the same name
    assert second.path.name == first.path.name
    assert second.copies == ()
    assert any("同名的另一份备份" in w and "未予覆盖" in w for w in second.warnings)
    assert (copy.read_bytes(), manifest_path(copy).read_bytes()) == kept
    assert sha256_file(copy) == first.sha256
    assert second.path.exists() and manifest_path(second.path).exists()  # its own is whole
    again = one.backups._copy_to(first, shared)  # the same backup copied again: no refusal
    assert again == copy
    for db, _ in pcs:
        db.dispose()
