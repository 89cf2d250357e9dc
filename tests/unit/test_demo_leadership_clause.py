"""第七条第（十）项 (「负有领导责任的」) in the demo: a case grounded on it has a leader among
its subjects, through the services one by one and through the batch alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.bulk import make_bulk_demo
from app.services.demo import make_demo
from app.storage.models import Case, CaseGround, CaseSubject
from tests.conftest import Clock, make_db

LEADERSHIP = (7, 10)


def _services(tmp: Path, clock: Clock):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    tmp.mkdir()
    db = make_db("sqlite", tmp)
    return build_services(db, data_dir=tmp, clock=clock, keys=StaticKeyProvider(b"k" * 32))


def _leaderless(svc) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """(cases grounded on 第七条第（十）项, the numbers of those with no leader subject)."""
    with svc.db.read() as s:
        grounded = set(
            s.scalars(
                select(CaseGround.case_id).where(
                    CaseGround.article == LEADERSHIP[0], CaseGround.clause == LEADERSHIP[1]
                )
            )
        )
        led = set(s.scalars(select(CaseSubject.case_id).where(CaseSubject.is_leader.is_(True))))
        numbers = dict(s.execute(select(Case.id, Case.number)).all())
    return len(grounded), sorted(numbers[c] for c in grounded - led)


@pytest.mark.parametrize(("path", "n"), [("services", 200), ("batch", 600)])
def test_no_demo_case_cites_the_leadership_clause_without_a_leader(
    tmp_path: Path, path: str, n: int
) -> None:
    """The demo drew 第七条第（十）项 for a case whose only person is an ordinary officer
    (is_leader False), and its report then stated his 直接责任 under a clause for leaders."""
    svc = _services(tmp_path / path, Clock())
    if path == "services":
        make_demo(svc, n)
    else:
        make_bulk_demo(svc, n, chunk=200)
    grounded, leaderless = _leaderless(svc)
    assert grounded >= 1  # the clause is drawn (the first plans cover every clause)
    assert not leaderless, f"{len(leaderless)}/{grounded}: {leaderless[:10]}"
