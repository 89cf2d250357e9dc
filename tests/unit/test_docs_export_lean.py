"""`wenze docs export --case N` on SQLite reads the frozen documents without the ORM
(app.cli.issued_export): the same files, byte for byte, and the same refusals as the
services' path (app.cli.docs._export_case)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind, UserRole
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, grant_recusal, issue_missing, seed_world

ROOT = Path(__file__).resolve().parents[2]
# What re-rendering a frozen document needs none of: the ORM, the services, the composers
# (and the regulation they cite), the fault reporter.
UNWANTED = (
    "sqlalchemy",
    "app.services",
    "app.storage",
    "app.documents.compose.decisions",
    "app.documents.compose.wording",
    "app.domain.regulation",
    "app.faults",
)


@pytest.fixture
def scene(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two cases with every document they allow; 严守法 (staff[3]) recused from the first,
    whose decision was then re-issued (the first version superseded). The second is closed,
    with its 卷宗."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    hidden = advance(svc, world, Stage.DECIDED)
    grant_recusal(svc, hidden, world.staff[3])
    first = svc.queries.get_case(hidden).decisions[0].id
    svc.documents.issue_document(hidden, DocumentKind.DECISION, first)
    svc.documents.issue_document(hidden, DocumentKind.DECISION, first)  # version 2
    issue_missing(svc, hidden)
    closed = advance(svc, world, Stage.SERVED)
    svc.cases.close_case(closed, closed_on=date(2026, 6, 1))
    issue_missing(svc, closed, dossier=True)
    return svc, world, svc.queries.get_case(hidden), svc.queries.get_case(closed)


def _export(data: Path, out: Path, case: str, kind: str | None = None) -> int:
    from app.cli import main

    args = ["docs", "export", "-o", str(out), "--case", case, "--data-dir", str(data)]
    return main([*args, "--kind", kind] if kind else args)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def _normal_path(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.cli.issued_export as lean

    monkeypatch.setattr(lean, "try_export", lambda args: None)


def _lean_only(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Fail if the command falls back to the services."""
    import app.cli.docs as docs

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("the lean path fell back to the services")

    monkeypatch.setattr(docs, "_export_case", refuse)


@pytest.mark.parametrize(
    ("which", "kind"),
    [
        ("hidden", None),
        ("hidden", "问责决定书"),
        ("closed", "问责决定书"),
        ("closed", "送达回证"),
        ("closed", "调查报告"),
    ],
)
def test_same_files_same_bytes_as_the_services(scene, tmp_path, monkeypatch, which, kind) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, hidden, closed = scene
    case = hidden if which == "hidden" else closed
    with monkeypatch.context() as m:
        _normal_path(m)
        assert _export(tmp_path, tmp_path / "normal", case.number, kind) == 0
    with monkeypatch.context() as m:
        _lean_only(m)
        assert _export(tmp_path, tmp_path / "lean", case.number, kind) == 0
    normal, lean = _files(tmp_path / "normal"), _files(tmp_path / "lean")
    assert normal, "nothing exported"
    assert list(lean) == list(normal)
    for name in normal:
        assert lean[name] == normal[name], name
    if which == "hidden":  # the re-issued decision: only its current version
        assert any("第2版" in name for name in lean)


def test_case_by_id_and_the_messages_of_the_services(scene, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, case, _closed = scene
    runs = [
        (str(case.id), None),
        ("WZ1999-9999", None),
        ("999999", None),
        (case.number, "复核决定书"),
        (case.number, None),
    ]
    seen = []
    for path in ("normal", "lean"):
        with monkeypatch.context() as m:
            (_normal_path if path == "normal" else _lean_only)(m)
            outcome = []
            for i, (which, kind) in enumerate(runs):
                code = _export(tmp_path, tmp_path / f"{path}{i}", which, kind)
                out, err = capsys.readouterr()
                outcome.append((code, out.replace(path, "X"), err))
            seen.append(outcome)
    assert seen[0] == seen[1]
    codes = [c for c, _o, _e in seen[1]]
    assert codes == [0, 1, 1, 1, 0]
    assert "案件不存在" in seen[1][2][2]  # an id that names no case


def test_a_recused_actor_is_refused_with_article_12(scene, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The services' path for the same actor (app.cli.docs._export_case with his services):
    by number the case is not found, by id it is refused citing 第十二条 — and so here."""
    import argparse

    from app.cli.docs import _export_case
    from app.cli.issued_export import Refused, export_case
    from app.services import build_services
    from app.services.base import Actor, NotFound
    from app.services.keys import SessionKeyProvider

    svc, world, case, closed = scene
    recused = build_services(
        svc.ctx.db,
        actor=Actor("yan", "严守法", UserRole.OFFICER, 99, world.staff[3]),
        data_dir=tmp_path,
        keys=SessionKeyProvider(),
    )
    db_file = tmp_path / "wenze.db"

    def args(which: str) -> argparse.Namespace:
        return argparse.Namespace(case=which, kind=None, output=str(tmp_path / "out"))

    assert _export_case(recused, args(case.number)) == 1
    normal_out = capsys.readouterr().out
    assert export_case(db_file, case.number, None, tmp_path / "out", person_id=world.staff[3]) == 1
    assert capsys.readouterr().out == normal_out
    assert normal_out.startswith(f"找不到案件：{case.number}")

    with pytest.raises(NotFound) as normal:
        _export_case(recused, args(str(case.id)))
    with pytest.raises(Refused) as lean:
        export_case(db_file, str(case.id), None, tmp_path / "out", person_id=world.staff[3])
    assert str(lean.value) == str(normal.value)
    assert "第十二条" in str(lean.value)
    assert not (tmp_path / "out").exists()
    # he still exports a case he is not recused from; another officer the hidden one
    mine = export_case(
        db_file, closed.number, "问责决定书", tmp_path / "ok", person_id=world.staff[3]
    )
    assert mine == 0
    assert export_case(db_file, case.number, None, tmp_path / "ok2", person_id=world.staff[0]) == 0


def test_a_case_subject_is_refused_his_own_case(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.cli.issued_export import CASE_HIDDEN, Refused, export_case

    _svc, world, case, _closed = scene
    with pytest.raises(Refused, match="第十二条") as lean:
        export_case(
            tmp_path / "wenze.db", str(case.id), None, tmp_path / "o", person_id=world.leader_id
        )
    assert str(lean.value) == CASE_HIDDEN


def test_a_dossier_goes_through_the_services(scene, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, _case, closed = scene
    called = []
    import app.cli.docs as docs

    real = docs._export_case
    monkeypatch.setattr(docs, "_export_case", lambda *a: called.append(1) or real(*a))
    assert _export(tmp_path, tmp_path / "d", closed.number, "卷宗") == 0
    assert called == [1] and any("卷宗" in p.name for p in (tmp_path / "d").glob("*.pdf"))


def test_a_schema_behind_the_scripts_goes_through_the_services(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from app.cli.issued_export import Fallback, export_case

    _svc, _world, case, _closed = scene
    con = sqlite3.connect(tmp_path / "wenze.db")
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0001_old' WHERE rowid = 1")
    con.close()
    with pytest.raises(Fallback):
        export_case(tmp_path / "wenze.db", case.number, None, tmp_path / "o")


def test_the_cli_actors_may_read(scene) -> None:  # type: ignore[no-untyped-def]
    """The lean path performs no role check: the CLI acts as the system or as 审计员, and
    every method it stands in for is a 查阅 every role may make."""
    from app.cli.common import _cli_actor
    from app.services.base import SYSTEM
    from app.services.permissions import METHOD_ACTIONS, ServiceAction, is_allowed

    methods = (
        "ListingService.find_case_id",
        "CaseQueryService.get_case",
        "DocumentService.list_documents",
        "DocumentService.file_name",
        "DocumentService.render",
    )
    for actor in (SYSTEM, _cli_actor()):
        assert actor.person_id is None
        for method in methods:
            assert METHOD_ACTIONS[method] == ServiceAction.READ
            assert is_allowed(actor.role, METHOD_ACTIONS[method])


def test_a_fresh_process_does_not_import_the_orm(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, case, _closed = scene
    code = (
        f"import sys; from app.cli import main; UNWANTED = {UNWANTED!r}; "
        f"rc = main(['docs', 'export', '-o', {str(tmp_path / 'p')!r}, '--case', {case.number!r}, "
        f"'--kind', '问责决定书', '--data-dir', {str(tmp_path)!r}]); "
        "print('RC', rc, sorted(m for m in sys.modules if m.startswith(UNWANTED)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.splitlines()[-1] == "RC 0 []"
    assert len(list((tmp_path / "p").glob("*.pdf"))) == 2  # one per subject


def test_only_a_plain_sqlite_file_is_read_directly(tmp_path: Path) -> None:
    from app.cli.issued_export import sqlite_path

    assert sqlite_path(f"sqlite:///{tmp_path / 'wenze.db'}") == tmp_path / "wenze.db"
    assert sqlite_path("sqlite:///wenze.db") == Path("wenze.db")
    for url in (
        "postgresql+psycopg://wenze@db/wenze",
        "sqlite://",
        "sqlite:///:memory:",
        f"sqlite:///file:{tmp_path / 'w.db'}?mode=ro&uri=true",
        f"sqlite:///{tmp_path / 'w.db'}?timeout=5",
    ):
        assert sqlite_path(url) is None, url


def test_a_postgresql_url_goes_through_the_services(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import argparse

    from app.cli.issued_export import try_export

    monkeypatch.setenv("WENZE_DATABASE_URL", "postgresql+psycopg://wenze@localhost/none")
    args = argparse.Namespace(case="WZ2026-0001", kind=None, output=str(tmp_path / "o"))
    args.data_dir = str(tmp_path)
    assert try_export(args) is None
    assert not (tmp_path / "o").exists()
