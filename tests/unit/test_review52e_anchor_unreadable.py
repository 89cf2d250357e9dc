"""An anchor file a power cut left unreadable (review 52e).

The anchor file is written after every commit as a temporary file renamed over the old one,
without fsync: a power cut right after the rename can leave it empty (NTFS keeps the rename,
not the data). From then on every commit found it unreadable, took that for 「the chain no
longer contains the anchor」 and left it as it was — for good. The only anchor of the work
done since the last backup protected nothing: a later truncation of the chain passed
``wenze audit verify`` with a mere note. An unreadable anchor file (one a reader cannot even
parse, unlike one naming a position the chain no longer holds, which stays as the evidence)
is now kept aside under its own name and a fresh anchor written at the next commit.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.services.auditkey import anchor_path_for, keyring
from app.storage.engine import Database
from tests.unit.test_sec_audit import ADMIN_PW, attack, login, site, verify  # noqa: F401


def test_an_anchor_file_left_empty_by_a_power_cut_anchors_again(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    anchor = anchor_path_for(site)
    assert anchor is not None and json.loads(anchor.read_text("utf-8"))["seq"] > 0
    anchor.write_bytes(b"")  # the power cut
    db = Database(f"sqlite:///{site / 'wenze.db'}", site)
    admin = login(db, site, "admin", ADMIN_PW)
    for i in range(3):
        admin.masterdata.create_unit(f"断电后单位{i}", "科室")
    db.dispose()
    keyring(db).set_key(None)
    kept = [p for p in anchor.parent.iterdir() if p.name.startswith(anchor.name + ".unreadable")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"", kept  # kept aside, as found
    now = json.loads(anchor.read_text("utf-8"))
    code, out = verify(site, capsys, user=False)
    assert code == 0 and "锚点文件无法读取" not in out, out

    def truncate(con):  # type: ignore[no-untyped-def]  # the work since the power cut
        con.execute("DELETE FROM audit_records WHERE seq > ?", (now["seq"] - 3,))
        seq, h, mac = con.execute(
            "SELECT seq, hash, mac FROM audit_records ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        con.execute(
            "UPDATE audit_head SET seq = ?, hash = ?, sealed_seq = ?, sealed_mac = ?",
            (seq, h, seq, mac),
        )

    attack(site, truncate)
    code, out = verify(site, capsys, user=False)
    assert code == 2 and "末尾被截断" in out and f"记录到第{now['seq']}条" in out, out


def test_an_anchor_naming_a_position_the_chain_lost_is_still_left_alone(site: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """What is kept as the evidence of a rewrite is not an unreadable file."""
    anchor = anchor_path_for(site)
    assert anchor is not None
    data = json.loads(anchor.read_text("utf-8"))
    data["seq"] += 100
    anchor.write_text(json.dumps(data), "utf-8")
    db = Database(f"sqlite:///{site / 'wenze.db'}", site)
    admin = login(db, site, "admin", ADMIN_PW)
    admin.masterdata.create_unit("之后的单位", "科室")
    db.dispose()
    keyring(db).set_key(None)
    assert json.loads(anchor.read_text("utf-8")) == data
    assert not [p for p in anchor.parent.iterdir() if ".unreadable" in p.name]
