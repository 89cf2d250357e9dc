"""The batch demo's shortcuts compute exactly what the slow path computes.

* :func:`app.services.bulk_writer.search_grams` = migration 0015's SQL ``grams()`` (the
  bulk writer fills ``cases_grams`` itself while the insert trigger is set aside);
* :func:`app.services.batch_case.envelope` = :func:`app.services.documents._envelope`;
* a bulk load leaves the insert triggers of ``cases`` as they were, and the search indexes
  hold what the triggers would have put in them.
"""

from __future__ import annotations

import importlib
import random
import sqlite3
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind
from app.services import documents as docsvc
from app.services.batch_case import envelope
from app.services.bulk_writer import _case_insert_triggers, search_grams

GRAMS = importlib.import_module("app.storage.migrations.versions.0015_search_grams").grams


def test_search_grams_is_the_migration_sql() -> None:
    con = sqlite3.connect(":memory:")
    alphabet = "ab 中文\u3000\xa0\t\n\r😀é\u0301，。x\x1f\x7f\x85\u2028"
    rng = random.Random(1)
    texts: list[str | None] = [None, "", " ", "a", "ab", "a b", "中", "  中文  ", "😀x"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(2000)]
    texts += ["a\x00b c"]  # SQLite measures text up to a NUL: left to SQLite
    for t in texts:
        want = con.execute(f"SELECT {GRAMS('?1')}", (t,)).fetchone()[0]
        got = search_grams(t, _Conn(con))
        assert got == want, repr(t)


class _Conn:
    """exec_driver_sql over a plain sqlite3 connection (what search_grams asks of one)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def exec_driver_sql(self, sql: str, params: dict) -> _Conn:
        self.row = self.con.execute(sql, params).fetchone()
        return self

    def scalar(self) -> object:
        return self.row[0]


def test_envelope_is_the_document_service_envelope() -> None:
    content = {"title": "处理决定书", "blocks": [{"type": "p", "text": 'a"b\n'}], "n": None}
    for kind in DocumentKind:
        for ref in (None, 7):
            want = docsvc._envelope(3, kind, ref, 2, content, (99, "ab" * 32))
            got = envelope(docsvc.canonical_json(content), 3, kind, ref, 2, (99, "ab" * 32))
            assert got == want


def test_the_code_from_the_envelopes_parts_is_the_document_services_code() -> None:
    """The batch hashes the envelope's canonical bytes part by part (the content's made where
    it was drawn): the same code as the whole envelope's, whatever the content holds —
    combining marks at either end of its texts, line ends, full-width and ASCII alike."""
    from app.documents.verify import canonical_bytes, verification_code, verification_code_of_parts
    from app.services.batch_case import envelope_around

    texts = ["\u0301开头", "结尾e\u0301", "e\u0301\u0323", "a\r\nb\rc", "Å", "\uac00\u11a8", ""]
    for i, kind in enumerate(DocumentKind):
        content = {"title": texts[i % len(texts)], "blocks": texts, "n": i}
        anchor = (10 + i, "cd" * 32)
        want = verification_code(docsvc._envelope(5, kind, i or None, 1, content, anchor))
        before, after = envelope_around(5, kind, i or None, 1, anchor)
        cb = canonical_bytes(docsvc.canonical_json(content))
        got = verification_code_of_parts(canonical_bytes(before), cb, canonical_bytes(after))
        assert got == want


@pytest.mark.parametrize("backend", ["sqlite"])
def test_bulk_load_keeps_the_triggers_and_fills_the_search_indexes(
    tmp_path: Path, backend: str
) -> None:
    from app.services import build_services
    from app.services.bulk import make_bulk_demo
    from app.services.vault import StaticKeyProvider
    from tests.conftest import Clock, make_db

    db = make_db(backend, tmp_path)
    svc = build_services(db, data_dir=tmp_path, clock=Clock(), keys=StaticKeyProvider(b"k" * 32))
    make_bulk_demo(svc, 40, seed=3, chunk=15)
    with db.read() as s:
        conn = s.connection()
        triggers = dict(
            conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'"
                " AND name IN ('cases_fts_ai', 'cases_grams_ai')"
            ).all()
        )
        assert triggers == _case_insert_triggers()
        want = conn.exec_driver_sql(
            f"SELECT id, {GRAMS('search_text')} FROM cases ORDER BY id"
        ).all()
        # The grams index holds, for every case, exactly the tokens of its grams: a
        # 'delete' with them (what the update trigger does) leaves the index empty.
        for cid, grams in want:
            conn.exec_driver_sql(
                "INSERT INTO cases_grams(cases_grams, rowid, grams) VALUES ('delete', ?, ?)",
                (cid, grams),
            )
        conn.exec_driver_sql("INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')")
        conn.exec_driver_sql("INSERT INTO cases_grams(cases_grams) VALUES ('integrity-check')")
        left = conn.exec_driver_sql(
            "SELECT count(*) FROM cases_grams WHERE cases_grams MATCH '\"案\"'"
        ).scalar()
        assert left == 0
        s.rollback()
    assert svc.audit.verify_chain().ok
    db.dispose()


def test_the_batch_reads_the_reporter_key_once_a_run(tmp_path: Path) -> None:
    """Each lead with a reporter read the key file twice (its check and its seal): thousands
    of file reads in a large demo. The key is read once for the run; the reporters still open
    with the vault's own key."""
    from sqlalchemy import select

    from app.services import build_services
    from app.services.bulk import make_bulk_demo
    from app.services.vault import FileKeyProvider, LeadBinding
    from app.storage.models import Lead
    from tests.conftest import Clock, make_db

    class Counting(FileKeyProvider):
        reads = 0

        def data_key(self) -> bytes:
            Counting.reads += 1
            return super().data_key()

    db = make_db("sqlite", tmp_path)
    svc = build_services(db, data_dir=tmp_path, clock=Clock(), keys=Counting(tmp_path / "k.key"))
    make_bulk_demo(svc, 60, seed=5, chunk=25)
    with db.read() as s:
        leads = s.scalars(select(Lead).where(Lead.reporter_blob.is_not(None))).all()
    assert len(leads) > 3
    reads = Counting.reads
    for lead in leads:
        svc.vault.unseal(lead.reporter_blob, LeadBinding(lead.id, lead.number))
    assert reads <= 2, reads  # the demo's master data may read it too; never once a lead
