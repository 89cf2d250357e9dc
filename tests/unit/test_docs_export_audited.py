"""Papers leaving the system are audited (导出文书): who, when, which case, which documents —
never a reporter's identity (第十条). `wenze docs export --case N` on an SQLite file read the
frozen documents with `sqlite3` and wrote its PDFs without any audit record, while the same
export from the window (a case's 导出) and the command with `--user` recorded one. Every
export now goes through DocumentService.export_case and records the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.storage.models import AuditRecord
from tests.helpers.builders import advance, issue_missing, seed_world

DECISION = DocumentKind.DECISION.value


@pytest.fixture
def scene(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    cid = advance(svc, world, Stage.DECIDED)
    issue_missing(svc, cid)
    return svc, cid


def _exports(svc) -> list[AuditRecord]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return list(
            s.scalars(
                select(AuditRecord)
                .where(AuditRecord.entity == "document_export")
                .order_by(AuditRecord.seq)
            )
        )


def test_the_command_records_the_export_as_the_window_does(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    svc, cid = scene
    number = svc.queries.get_case(cid).number
    decisions = sorted(d.id for d in svc.documents.list_documents(cid) if d.kind == DECISION)
    assert len(decisions) == 2
    args = ["docs", "export", "-o", str(tmp_path / "cli"), "--case", number, "--kind", DECISION]
    assert main([*args, "--data-dir", str(tmp_path)]) == 0
    assert len(list((tmp_path / "cli").glob("*.pdf"))) == 2
    records = _exports(svc)
    assert len(records) == 1, "the command wrote its PDFs without an audit record"
    (cli,) = records
    assert cli.case_id == cid and cli.action == "导出文书" and cli.actor == "system"
    assert cli.after["case"] == number and cli.after["documents"] == 2
    assert cli.after["document_ids"] == decisions  # which documents left
    # the window's 导出 of the same documents: the same record, but for the folder
    svc.documents.export_case(cid, tmp_path / "gui", DECISION)
    gui = _exports(svc)[-1]
    assert {**gui.after, "folder": "cli"} == cli.after
    assert set(cli.after) == {
        "export", "documents", "cases", "kinds", "folder", "case", "document_ids",
    }  # fmt: skip


def test_kind_without_a_case_exports_that_kind_only(scene, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`wenze docs export -o DIR --kind 问责决定书` (no --case) exported every issued document
    of every case, the filter dropped without a word: papers the clerk did not ask for left
    the system (and the 导出文书 record counted them). The kind now holds for every case; a
    kind with nothing issued says so and writes nothing."""
    from app.cli import main

    svc, _cid = scene
    base = ["docs", "export", "--data-dir", str(tmp_path)]
    assert main([*base, "-o", str(tmp_path / "out"), "--kind", DECISION]) == 0
    names = [p.name for p in (tmp_path / "out").glob("*.pdf")]
    assert names and all(DECISION in n for n in names), names
    assert _exports(svc)[-1].after["kinds"] == {DECISION: len(names)}
    capsys.readouterr()
    assert main([*base, "-o", str(tmp_path / "none"), "--kind", "复核决定书"]) == 1
    assert "没有已印发的复核决定书" in capsys.readouterr().out
    assert not list((tmp_path / "none").glob("*.pdf"))
