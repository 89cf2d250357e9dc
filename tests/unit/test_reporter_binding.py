"""A reporter blob opens only on the lead it was sealed for (Art. 10, issue: blob moved).

Whoever holds only the database file can copy lead X's blob onto lead Y with ``sqlite3``;
the AES-GCM associated data names the lead, so the reveal on Y is refused (and audited)
instead of showing X's reporter as Y's. Blobs of earlier versions (no lead in the associated
data) still open, and are re-sealed bound the first time a key holder opens them.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import random
import sqlite3
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.domain.enums import LeadChannel, LeadSource
from app.services import build_services
from app.services.bulk import BatchDemo
from app.services.demo import Scenario, run_plan, seed_master_data
from app.services.vault import (
    LEGACY_AAD,
    MISMATCH,
    NONCE_BYTES,
    LeadBinding,
    ReporterIdentity,
    ReporterMismatch,
    StaticKeyProvider,
    is_bound,
)
from tests.conftest import Clock, make_db

KEY = b"r" * 32
X = ReporterIdentity(name="欧阳举报甲", phone="13912345678", address="荣成市成山大道九十九号")
Y = ReporterIdentity(name="诸葛举报乙", phone="13700001111")
SECRETS = ("欧阳举报甲", "13912345678", "成山大道", "诸葛举报乙", "13700001111")


def _services(db: Any, tmp: Path, clock: Clock) -> Any:
    return build_services(db, data_dir=tmp, clock=clock, keys=StaticKeyProvider(KEY))


def _lead(svc: Any, content: str, reporter: ReporterIdentity | None) -> int:
    return svc.leads.register_lead(
        received_on=date(2026, 3, 1),
        source=LeadSource.REPORT,
        channel=LeadChannel.LETTER,
        content=content,
        reporter=reporter,
    )


def _sql(tmp: Path) -> sqlite3.Connection:
    """The file as its holder sees it: plain sqlite3, no key, nothing of the application."""
    return sqlite3.connect(tmp / "wenze.db", isolation_level=None)


def _blob(tmp: Path, lead_id: int) -> bytes | None:
    with _sql(tmp) as con:
        row = con.execute("SELECT reporter_blob FROM leads WHERE id = ?", (lead_id,)).fetchone()
    return row[0]


def _put_blob(tmp: Path, lead_id: int, blob: bytes) -> None:
    con = _sql(tmp)
    con.execute("UPDATE leads SET reporter_blob = ?, anonymous = 0 WHERE id = ?", (blob, lead_id))
    con.close()


def _as_before_review9(tmp: Path, lead_id: int) -> None:
    """The lead's audit records as versions before review 9 wrote them: no blob digest
    (app.domain.reporter), so a legacy blob put on it stands for an old database's."""
    con = _sql(tmp)
    con.execute(
        "UPDATE audit_records SET after = json_remove(after, '$.reporter_sha256')"
        " WHERE entity = 'lead' AND entity_id = ?",
        (lead_id,),
    )
    con.close()


def _audit(tmp: Path) -> list[tuple[str, str, str]]:
    con = _sql(tmp)
    rows = con.execute("SELECT action, before, after FROM audit_records ORDER BY seq").fetchall()
    con.close()
    return rows


def _legacy_blob(identity: ReporterIdentity) -> bytes:
    """A blob exactly as the versions before the lead binding wrote it."""
    nonce = os.urandom(NONCE_BYTES)
    plain = json.dumps(asdict(identity), ensure_ascii=False).encode("utf-8")
    return nonce + AESGCM(KEY).encrypt(nonce, plain, LEGACY_AAD)


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


@pytest.fixture
def svc(sqlite_db, clock: Clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    return _services(sqlite_db, tmp_path, clock)


# ----------------------------------------------------------------------------- moved blobs


def test_blob_moved_to_another_lead_is_refused_and_audited_without_the_identity(
    svc, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    x = _lead(svc, "反映城区一中队推诿塞责", X)
    y = _lead(svc, "反映城区二中队吃拿卡要", Y)
    z = _lead(svc, "匿名反映城区三中队乱罚款", None)
    assert svc.leads.reveal_reporter(y) == Y
    blob_x = _blob(tmp_path, x)
    assert blob_x is not None and is_bound(blob_x)

    for victim in (y, z):  # over another reporter, and onto an anonymous lead
        _put_blob(tmp_path, victim, blob_x)
        assert svc.leads.get_lead(victim).has_reporter
        caplog.clear()
        with caplog.at_level(logging.DEBUG), pytest.raises(ReporterMismatch) as refused:
            svc.leads.reveal_reporter(victim)
        assert str(refused.value) == MISMATCH
        assert _leaks(str(refused.value) + repr(refused.value)) == []
        assert _leaks(caplog.text) == []
        number = svc.leads.get_lead(victim).number
        assert number in caplog.text  # the refusal is logged, naming the lead only
        action, _before, after = _audit(tmp_path)[-1]
        assert action == "查看举报人信息"
        assert json.loads(after) == {"revealed": False, "refused": "举报人信息与该线索不符"}
        assert _blob(tmp_path, victim) == blob_x  # evidence left as found, nothing re-sealed

    assert all(_leaks(f"{b}{a}") == [] for _act, b, a in _audit(tmp_path))
    # The same blob still opens on the lead it was sealed for.
    assert svc.leads.reveal_reporter(x) == X


def test_blob_moved_back_to_its_own_lead_opens_again(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    x = _lead(svc, "反映城区一中队推诿塞责", X)
    y = _lead(svc, "反映城区二中队吃拿卡要", Y)
    blob_x, blob_y = _blob(tmp_path, x), _blob(tmp_path, y)
    assert blob_x is not None and blob_y is not None
    _put_blob(tmp_path, x, blob_y)  # swapped
    _put_blob(tmp_path, y, blob_x)
    for lead in (x, y):
        with pytest.raises(ReporterMismatch):
            svc.leads.reveal_reporter(lead)
    _put_blob(tmp_path, x, blob_x)  # put back
    _put_blob(tmp_path, y, blob_y)
    assert svc.leads.reveal_reporter(x) == X
    assert svc.leads.reveal_reporter(y) == Y


def test_damaged_blob_is_refused_with_the_same_message(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    x = _lead(svc, "反映城区一中队推诿塞责", X)
    blob = _blob(tmp_path, x)
    assert blob is not None
    for bad in (blob[:-1] + bytes([blob[-1] ^ 1]), blob[:10], b""):
        _put_blob(tmp_path, x, bad)
        with pytest.raises(ReporterMismatch, match="举报人信息与该线索不符"):
            svc.leads.reveal_reporter(x)


# The offscreen platform warns that it cannot propagateSizeHints(); not ours.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_gui_shows_the_refusal_and_keeps_the_reporter_masked(qtbot, svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from app.ui.leads_view import MASK, LeadsView

    x = _lead(svc, "反映城区一中队推诿塞责", X)
    y = _lead(svc, "反映城区二中队吃拿卡要", Y)
    blob_x = _blob(tmp_path, x)
    assert blob_x is not None
    _put_blob(tmp_path, y, blob_x)
    view = LeadsView(svc)
    qtbot.addWidget(view)
    dlg = view.dialog(y)
    dlg.show()
    dlg.reveal()  # no exception reaches Qt
    boxes = [b for b in dlg.findChildren(QMessageBox) if b.isVisible()]
    assert [b.text() for b in boxes] == [MISMATCH]
    assert all(e.text() == MASK for e in dlg.reporter.values())
    assert not dlg.revealed
    assert dlg.identity() is None  # saving now leaves the stored blob as it is
    boxes[0].close()


# ----------------------------------------------------------------------------- legacy blobs


def test_legacy_blob_still_opens_and_is_rebound_on_first_reveal(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    x = _lead(svc, "反映城区一中队推诿塞责", None)
    y = _lead(svc, "反映城区二中队吃拿卡要", None)
    legacy = _legacy_blob(X)
    _put_blob(tmp_path, x, legacy)
    _as_before_review9(tmp_path, x)
    assert not is_bound(legacy)

    assert svc.leads.reveal_reporter(x) == X
    rebound = _blob(tmp_path, x)
    assert rebound is not None and rebound != legacy and is_bound(rebound)
    action, before, after = _audit(tmp_path)[-1]
    assert action == "查看举报人信息" and json.loads(before) is None  # no unbound copy kept
    assert json.loads(after)["rebound"] and json.loads(after)["revealed"] is True
    assert _leaks(after) == []
    assert svc.leads.reveal_reporter(x) == X  # opens again, now bound
    assert json.loads(_audit(tmp_path)[-1][2]) == {"revealed": True}

    _put_blob(tmp_path, y, rebound)  # once bound, it no longer opens elsewhere
    with pytest.raises(ReporterMismatch):
        svc.leads.reveal_reporter(y)


def test_replacing_a_legacy_reporter_keeps_a_bound_copy_in_the_audit(svc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    x = _lead(svc, "反映城区一中队推诿塞责", None)
    _put_blob(tmp_path, x, _legacy_blob(X))
    svc.leads.update_lead(x, reporter=Y)
    assert is_bound(_blob(tmp_path, x) or b"")
    assert svc.leads.reveal_reporter(x) == Y
    _action, before, _after = next(r for r in reversed(_audit(tmp_path)) if r[0] == "修改线索")
    kept = base64.b64decode(json.loads(before)["reporter_sealed"])
    assert is_bound(kept)  # no unbound copy left in the audit trail to plant elsewhere
    number = svc.leads.get_lead(x).number
    assert svc.vault.open(kept, LeadBinding(x, number)) == X
    with pytest.raises(ReporterMismatch):
        svc.vault.open(kept, LeadBinding(x + 1, number))


def test_vault_opens_legacy_blobs_on_any_lead_but_bound_blobs_only_on_theirs(svc) -> None:  # type: ignore[no-untyped-def]
    """The vault itself: the legacy format carries no lead (the stated limit until re-sealed);
    a bound blob opens for its own id and number only, and never as a legacy blob."""
    legacy = _legacy_blob(X)
    assert svc.vault.unseal(legacy, LeadBinding(7, "XS2026-0007")) == (X, False)
    assert svc.vault.unseal(legacy, LeadBinding(8, "XS2026-0008")) == (X, False)
    bound = svc.vault.seal(X, LeadBinding(7, "XS2026-0007"))
    assert svc.vault.unseal(bound, LeadBinding(7, "XS2026-0007")) == (X, True)
    for other in (LeadBinding(8, "XS2026-0007"), LeadBinding(7, "XS2026-0008")):
        with pytest.raises(ReporterMismatch):
            svc.vault.open(bound, other)
    with pytest.raises(ReporterMismatch):  # marker stripped: not a legacy blob either
        svc.vault.open(bound[4:], LeadBinding(7, "XS2026-0007"))


# ----------------------------------------------------------------------------- the demo paths


def _demo_plans(svc: Any, n: int) -> list:
    rng = random.Random(4242)
    seed_master_data(svc, rng)
    return list(Scenario.of(svc, rng).plans(n))


def _assert_all_bound(svc: Any, tmp: Path) -> int:
    with _sql(tmp) as con:
        rows = con.execute(
            "SELECT id, number, reporter_blob FROM leads WHERE reporter_blob IS NOT NULL"
        ).fetchall()
    vault = svc.vault
    for lead_id, number, blob in rows:
        assert is_bound(blob)
        identity, bound = vault.unseal(blob, LeadBinding(lead_id, number))
        assert bound and identity.name
        with pytest.raises(ReporterMismatch):
            vault.open(blob, LeadBinding(lead_id + 1, number))
    return len(rows)


@pytest.mark.parametrize("path", ["services", "batch"])
def test_demo_paths_write_bound_blobs(path: str, tmp_path: Path) -> None:
    clock = Clock()
    svc = _services(make_db("sqlite", tmp_path), tmp_path, clock)
    plans = _demo_plans(svc, 12)
    assert any(p.leads and p.leads[0].reporter for p in plans)
    if path == "services":
        for plan in plans:
            run_plan(svc, plan)
    else:
        BatchDemo(svc.ctx, svc).write(plans, chunk=5)
    assert _assert_all_bound(svc, tmp_path) > 0
