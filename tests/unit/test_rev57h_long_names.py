"""A subject's unit named at its stored maximum (100 characters) in an exported document:
the decision's title is laid out at once (every 4-line cut of a 112-character title was
tried, and `wenze docs export` ran for an hour), and the PDF's file name, built from that
name, fits every file system (it was over 255 bytes: the whole export stopped with
「文件名或路径过长…请改用较短的文件名」, a name the officer never chose)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, issue_missing
from tests.unit.test_hostile_access import _pdf_text

LONG_UNIT = "城区" + "执法" * 48 + "中队"  # 100 characters, all the column holds


class Overran(BaseException):
    """Not an Exception: the code under test catches those (a font's fallback) and goes on."""


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail, instead of hanging the suite, when the block runs longer than ``seconds``."""

    def stop(_signum, _frame):  # type: ignore[no-untyped-def]
        raise Overran(f"ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="SIGALRM (POSIX) needed")


@pytest.fixture
def long_named(svc, world):  # type: ignore[no-untyped-def]
    """A decided case on the squad renamed to LONG_UNIT, its documents issued."""
    svc.masterdata.update_unit(world.squad_id, name=LONG_UNIT)
    cid = advance(svc, world, Stage.DECIDED)
    issue_missing(svc, cid)
    return svc, cid


def test_a_long_unit_name_is_laid_out_and_named(long_named, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svc, cid = long_named
    with within(
        20
    ):  # the 调查报告's title names every subject: 「关于城区执法…中队、王喆问责案件…」
        paths = svc.documents.export_case(cid, tmp_path / "out")
    number = svc.queries.get_case(cid).number
    assert len(paths) == 4
    for path in paths:
        assert len(path.name.encode()) <= 255 and len(path.name) <= 90, path.name
        assert path.name.startswith(number)
    report = next(p for p in paths if DocumentKind.INVESTIGATION_REPORT in p.name)
    assert f"关于{LONG_UNIT}、王喆问责案件的调查报告" in _pdf_text(report).replace("\n", "")
    squad = next(p for p in paths if "城区执法" in p.name)  # its decision, the name cut
    assert squad.name.startswith(f"{number}_{DocumentKind.DECISION}_城区执法执法")
    assert squad.name.endswith(f"…_{squad.stem.rsplit('_', 1)[1]}.pdf")
    assert LONG_UNIT in _pdf_text(squad).replace("\n", "")  # the decision names it whole


def test_every_document_of_every_case_by_the_command(
    long_named, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main
    from app.config import ENV_DATABASE_URL

    svc, _cid = long_named
    monkeypatch.setenv(ENV_DATABASE_URL, svc.db.url)  # the fixture's database, PostgreSQL too
    out = tmp_path / "all"
    with within(20):
        assert main(["docs", "export", "-o", str(out), "--data-dir", str(tmp_path)]) == 0
    names = [p.name for p in out.iterdir()]
    assert len(names) == 4 and all(len(n.encode()) <= 255 for n in names), names
