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

from tests.helpers.exporting import during_render, two_decided_cases


@pytest.fixture
def scene(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    svc, _world, (first, second) = two_decided_cases(sqlite_db, tmp_path)
    return svc, svc.queries.get_case(first), svc.queries.get_case(second)


def _voiding_after_first_render(svc, case_id: int, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The other window voids ``case_id`` once the export's first file is written."""
    return during_render(monkeypatch, lambda: svc.cases.void_case(case_id, "重复立案"))


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
    assert first.number in rendered[0].name  # one of its papers was written before the voiding
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
