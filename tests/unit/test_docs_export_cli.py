"""`wenze docs export --case N`: one case's current issued documents (of one kind) as PDFs,
through DocumentService.export_case (audited as 导出文书: test_docs_export_audited), with the
services' refusals — a case hidden from the actor (第十二条) and one not found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind, UserRole
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, grant_recusal, issue_missing, seed_world


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


def test_current_versions_only(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, hidden, _closed = scene
    assert _export(tmp_path, tmp_path / "out", hidden.number, "问责决定书") == 0
    names = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert len(names) == 2 and any("第2版" in n for n in names)  # the re-issued decision


def test_case_by_id_and_the_messages(scene, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, case, _closed = scene
    runs = [
        (str(case.id), None),
        ("WZ1999-9999", None),
        ("999999", None),
        (case.number, "复核决定书"),
        (case.number, None),
    ]
    outcome = []
    for i, (which, kind) in enumerate(runs):
        code = _export(tmp_path, tmp_path / f"out{i}", which, kind)
        out, err = capsys.readouterr()
        outcome.append((code, out, err))
    assert [c for c, _o, _e in outcome] == [0, 1, 1, 1, 0]
    assert outcome[1][1].startswith("找不到案件：WZ1999-9999")
    assert "案件不存在" in outcome[2][2]  # an id that names no case
    assert f"案件{case.number}没有已印发的复核决定书" in outcome[3][1]


def test_a_recused_actor_is_refused_with_article_12(scene, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """By number the case is not found, by id it is refused citing 第十二条; nothing written."""
    import argparse

    from app.cli.docs import _export_case
    from app.services import build_services
    from app.services.base import Actor, NotFound
    from app.services.keys import SessionKeyProvider

    svc, world, case, closed = scene

    def acting(person_id: int):  # type: ignore[no-untyped-def]
        return build_services(
            svc.ctx.db,
            actor=Actor("yan", "严守法", UserRole.OFFICER, 99, person_id),
            data_dir=tmp_path,
            keys=SessionKeyProvider(),
        )

    def args(which: str, out: str, kind: str | None = None) -> argparse.Namespace:
        return argparse.Namespace(case=which, kind=kind, output=str(tmp_path / out))

    recused = acting(world.staff[3])
    assert _export_case(recused, args(case.number, "out")) == 1
    assert capsys.readouterr().out.startswith(f"找不到案件：{case.number}")
    with pytest.raises(NotFound, match="第十二条"):
        _export_case(recused, args(str(case.id), "out"))
    assert not (tmp_path / "out").exists()
    # he still exports a case he is not recused from; another officer the hidden one
    assert _export_case(recused, args(closed.number, "ok", "问责决定书")) == 0
    assert _export_case(acting(world.staff[0]), args(case.number, "ok2")) == 0
    # a subject of the case is refused his own case
    with pytest.raises(NotFound, match="第十二条"):
        _export_case(acting(world.leader_id), args(str(case.id), "o"))


def test_a_dossier_is_exported(scene, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _svc, _world, _case, closed = scene
    assert _export(tmp_path, tmp_path / "d", closed.number, "卷宗") == 0
    assert any("卷宗" in p.name for p in (tmp_path / "d").glob("*.pdf"))
