"""`wenze docs export` while another window voids (作废) a case: the export's selection leaves
voided cases out (第十三条: their papers decide nothing and are not sent out as documents in
force; ``issuing.voided_export_problems``), and a case voided while the export runs is treated
the same way. Every case's export skips it and says so at the end; one case's export
(`--case`, the 案件文书 window's 导出) is refused, as it is when the case was voided before.
What this export wrote of that case is taken out of the folder again.

The CLI runs in this process through ``app.cli.main`` on its own engine; the other window is
the test's own services on the same SQLite file (two sessions, tests/unit/test_race_second_process.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.lifecycle import Stage
from app.services import documents
from app.services.documents import DocumentService
from tests.helpers.builders import advance, issue_missing


@pytest.fixture
def scene(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two decided cases (not served: either may still be voided), every document issued."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from tests.helpers.builders import seed_world

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    first = advance(svc, world, Stage.DECIDED)
    second = advance(svc, world, Stage.DECIDED)
    for cid in (first, second):
        assert len(issue_missing(svc, cid)) >= 2
    return svc, svc.queries.get_case(first), svc.queries.get_case(second)


def _voiding_after_first_render(svc, case_id: int, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """One document per batch; the other window voids ``case_id`` once the first is written."""
    monkeypatch.setattr(documents, "EXPORT_BATCH", 1)
    rendered: list[str] = []
    render = DocumentService._render_issued

    def rendering(self, view, content, path):  # type: ignore[no-untyped-def]
        out = render(self, view, content, path)
        rendered.append(path.name)
        if len(rendered) == 1:
            svc.cases.void_case(case_id, "重复立案")
        return out

    monkeypatch.setattr(DocumentService, "_render_issued", rendering)
    return rendered


def _cli(data: Path, out: Path, *extra: str) -> int:
    from app.cli import main

    return main(["docs", "export", "-o", str(out), "--data-dir", str(data), *extra])


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "existing-folder"])
def test_every_case_export_skips_a_case_voided_meanwhile_and_says_so(
    scene, tmp_path, monkeypatch, capsys, existing
) -> None:  # type: ignore[no-untyped-def]
    svc, first, second = scene
    out = tmp_path / "pdf"
    if existing:
        out.mkdir()
    rendered = _voiding_after_first_render(svc, first.id, monkeypatch)
    code = _cli(tmp_path, out)
    said = capsys.readouterr()
    assert code == 0, said
    assert first.number in rendered[0]  # one of its papers was written before the voiding
    names = [p.name for p in out.iterdir()]
    assert not any(first.number in n for n in names), names
    assert len([n for n in names if second.number in n]) == len(
        svc.documents.list_documents(second.id)
    )
    assert "依据第十三条" in said.out and first.number in said.out and "作废" in said.out, said


def test_one_case_export_is_refused_when_the_case_is_voided_meanwhile(
    scene, tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    svc, first, _second = scene
    out = tmp_path / "one"
    rendered = _voiding_after_first_render(svc, first.id, monkeypatch)
    code = _cli(tmp_path, out, "--case", first.number)
    said = capsys.readouterr()
    assert code != 0 and rendered, said
    assert "依据第十三条" in said.err + said.out and "作废" in said.err + said.out, said
    assert not list(out.glob("*.pdf")), list(out.iterdir())
