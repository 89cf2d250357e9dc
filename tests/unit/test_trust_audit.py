"""Tampering with the audit trail by raw SQL is detected by `wenze audit verify`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.vault import StaticKeyProvider
from tests.helpers.builders import advance, seed_world


@pytest.fixture
def trail(sqlite_db, clock, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A database with a case driven to 送达 (a few dozen chained audit records)."""
    svc = build_services(sqlite_db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(None))
    advance(svc, seed_world(svc), Stage.SERVED)
    assert svc.audit.count() >= 20
    svc.db.dispose()
    return tmp_path


def _sql(data_dir: Path, *statements: str) -> None:
    con = sqlite3.connect(data_dir / "wenze.db")
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _verify(data_dir: Path, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["audit", "verify", "--data-dir", str(data_dir)])
    return code, capsys.readouterr().out


def test_untouched_trail_verifies(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = _verify(trail, capsys)
    assert code == 0, out
    assert "审计链校验通过" in out


def test_editing_a_record_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _sql(trail, "UPDATE audit_records SET actor = 'intruder' WHERE seq = 7")
    code, out = _verify(trail, capsys)
    assert code != 0
    assert "第7条审计记录的内容被改动" in out
    assert "第一条被破坏的记录：第7条" in out and "intruder" in out


def test_editing_the_payload_json_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _sql(trail, "UPDATE audit_records SET after = json_set(after, '$.x', 1) WHERE seq = 12")
    code, out = _verify(trail, capsys)
    assert code != 0 and "第12条" in out


def test_deleting_a_record_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _sql(trail, "DELETE FROM audit_records WHERE seq = 5")
    code, out = _verify(trail, capsys)
    assert code != 0
    assert "应为第5条，实为第6条" in out


def test_deleting_the_last_record_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _sql(trail, "DELETE FROM audit_records WHERE seq = (SELECT max(seq) FROM audit_records)")
    code, out = _verify(trail, capsys)
    assert code != 0
    assert "链头不符" in out


def test_deleting_and_renumbering_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A careful intruder closes the gap in seq; the hash link still breaks."""
    _sql(
        trail,
        "DELETE FROM audit_records WHERE seq = 5",
        "UPDATE audit_records SET seq = seq - 1 WHERE seq > 5",
    )
    code, out = _verify(trail, capsys)
    assert code != 0
    assert "第5条" in out


def test_reordering_records_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Swap two records' contents (keeping ids and seq in order)."""
    cols = "at, actor, action, entity, entity_id, case_id, before, after, prev_hash, hash"
    _sql(
        trail,
        f"CREATE TEMP TABLE a AS SELECT {cols} FROM audit_records WHERE seq = 8",
        f"CREATE TEMP TABLE b AS SELECT {cols} FROM audit_records WHERE seq = 9",
        "UPDATE audit_records SET (" + cols + ") = (SELECT * FROM b) WHERE seq = 8",
        "UPDATE audit_records SET (" + cols + ") = (SELECT * FROM a) WHERE seq = 9",
    )
    code, out = _verify(trail, capsys)
    assert code != 0
    assert "第8条" in out


def test_swapping_seq_numbers_is_detected(trail: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _sql(
        trail,
        "UPDATE audit_records SET seq = -1 WHERE seq = 3",
        "UPDATE audit_records SET seq = 3 WHERE seq = 4",
        "UPDATE audit_records SET seq = 4 WHERE seq = -1",
    )
    code, out = _verify(trail, capsys)
    assert code != 0
    assert "第3条" in out or "第4条" in out
