"""处分条例第十条's runs for every sanction of a person at once (release.run_ends): the same
ends as walking each sanction alone, in one walk — the batch demo refreshes the runs of
persons sanctioned hundreds of times, once a chunk (a walk per sanction was quadratic and
took most of a 100,000-case demo's time)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.domain.deadlines import add_months
from app.domain.release import (
    MAX_PERIOD_MONTHS,
    LaterSanction,
    PersonRuns,
    PriorRun,
    _own_end,
    _run_of,
    prior_run,
    run_ends,
)

KINDS = ["警告", "记过", "记大过", "降级", "撤职", "开除"]


def _alone(mine: LaterSanction, others: list[LaterSanction]) -> date | None:
    """The run's end walked for one sanction, as the rule reads (an oracle for the test)."""
    start = end = None
    seen = permanent = False
    for o in sorted([*others, mine], key=lambda x: x.effective_on):
        own = _own_end(o)
        if start is None or not (permanent or (end is not None and o.effective_on <= end)):
            if seen:
                break
            start, end, permanent = o.effective_on, own, own is None
        elif own is None or permanent or end is None:
            permanent = True
        else:
            end = min(own + (end - o.effective_on), add_months(o.effective_on, MAX_PERIOD_MONTHS))
        seen = seen or o is mine
    return None if permanent else end


def _draw(rng: random.Random, n: int, *, odd: bool = False) -> dict[int, LaterSanction]:
    out = {}
    for k in range(n):
        on = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900 if n > 20 else 60))
        kind = rng.choice(KINDS[:-1] if rng.random() < 0.97 else KINDS)
        end = None
        if kind != "开除" and rng.random() < 0.5:
            end = on + timedelta(days=rng.randint(-30 if odd else 1, 400))
        out[rng.randint(1, 10**6) * 100 + k] = LaterSanction(f"第{k}号", kind, on, end)
    return out


def test_every_sanctions_run_ends_where_its_own_walk_ends() -> None:
    rng = random.Random(7)
    for trial in range(400):
        sanctions = _draw(rng, rng.randint(1, 40), odd=trial % 5 == 0)
        ends = run_ends(sanctions)
        assert list(ends) == list(sanctions)
        for key, mine in sanctions.items():
            others = [o for k, o in sanctions.items() if k != key]
            assert ends[key] == _alone(mine, others), (trial, key)


def test_the_runs_of_a_person_sanctioned_thousands_of_times_take_one_walk(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Counted, not timed (a timing threshold fails on a busy machine): one walk for all
    4,000 sanctions, where a walk per sanction would take 4,000."""
    from app.domain import release

    sanctions = _draw(random.Random(3), 4000)
    walks = {"n": 0}
    walk = release._runs

    def counted(*args, **kw):  # type: ignore[no-untyped-def]
        walks["n"] += 1
        return walk(*args, **kw)

    monkeypatch.setattr(release, "_runs", counted)
    ends = run_ends(sanctions)
    assert walks["n"] == 1
    assert len(ends) == 4000


def test_months_added_to_any_day_land_on_that_day_or_the_months_last() -> None:
    import calendar

    day = date(2023, 1, 1)
    while day < date(2029, 1, 1):
        for n in (6, 12, 18, 24, 48):
            year, month = divmod(day.year * 12 + day.month - 1 + n, 12)
            last = calendar.monthrange(year, month + 1)[1]
            assert add_months(day, n) == date(year, month + 1, min(day.day, last))
        day += timedelta(days=1)


def test_the_release_list_walks_each_persons_runs_once_and_states_the_same_ends(
    svc, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """ReleaseService.sanctions (the 解除处分 list, `wenze demo`'s releases) walked each
    person's sanctions once per sanction: after a 100,000-case demo, a quarter of a minute.
    It now takes each person's runs from one walk (run_ends); the ends are those of the
    walk per sanction (period_end), compared here on a demo whose people are sanctioned
    again within their periods."""
    from app.services import releases
    from app.services.bulk import make_bulk_demo

    make_bulk_demo(svc, 400, chunk=150)
    rows = svc.releases.sanctions()
    walks = {"n": 0}
    alone = releases.period_end

    def counted(*args, **kw):  # type: ignore[no-untyped-def]
        walks["n"] += 1
        return alone(*args, **kw)

    monkeypatch.setattr(releases, "period_end", counted)
    assert svc.releases.sanctions() == rows
    assert walks["n"] == 0  # every end came from a person's one walk
    monkeypatch.setattr(
        releases._Runs,
        "period_end",
        lambda self, f, d, sub: counted(f, releases._others(self.by_person, d, sub)),
    )
    assert svc.releases.sanctions() == rows  # the walk per sanction: the same ends
    assert walks["n"] > 50
    with db.read() as s:
        from sqlalchemy import text

        own = dict(s.execute(text("SELECT id, sanction_end FROM decisions")).all())
    # Not vacuous: some sanction is served past its own period (第十条: a run).
    assert any(
        r.sanction_end is not None and str(r.sanction_end) != str(own[r.decision_id]) for r in rows
    )


def _prior_walked_twice(mine: LaterSanction, others: list[LaterSanction]) -> PriorRun | None:
    """prior_run as it was written before it took one walk (the run with ``mine``, then the
    run's end before it walked again): the oracle for the one walk."""
    earlier = [o for o in others if o.effective_on <= mine.effective_on]
    run, end = _run_of(mine, earlier)
    if not run or end is None:
        return None
    before = _run_of(run[-1], run[:-1])[1]
    own = _own_end(mine)
    assert before is not None and own is not None
    return PriorRun(tuple(run), before, end, end < own + (before - mine.effective_on))


def test_the_run_a_sanction_joined_is_the_one_its_walk_finds() -> None:
    rng = random.Random(11)
    joined = 0
    for trial in range(400):
        sanctions = list(_draw(rng, rng.randint(1, 40), odd=trial % 5 == 0).values())
        for i, mine in enumerate(sanctions):
            others = sanctions[:i] + sanctions[i + 1 :]
            got = prior_run(mine, others)
            assert got == _prior_walked_twice(mine, others), (trial, i)
            joined += got is not None
        for end in {e for e in run_ends(dict(enumerate(sanctions))).values() if e}:
            for day in (end - timedelta(days=1), end, end + timedelta(days=1)):  # its edges
                mine = LaterSanction("本件", rng.choice(KINDS), day)
                assert prior_run(mine, sanctions) == _prior_walked_twice(mine, sanctions), day
    assert joined > 1000  # the runs were there to find, not only their absence


def test_a_persons_runs_walked_on_as_sanctions_come_find_what_a_fresh_walk_finds() -> None:
    """The batch demo keeps each person's walk (PersonRuns) and adds the sanctions of each
    case it finishes, in any order of effect, several on one day: the run a new decision
    joins is the one prior_run finds walking them all again."""
    rng = random.Random(23)
    joined = 0
    for trial in range(300):
        sanctions = list(_draw(rng, rng.randint(1, 40), odd=trial % 5 == 0).values())
        walked, added = PersonRuns(sanctions[:3]), sanctions[:3]
        for o in sanctions[3:]:
            for _ in range(2):
                day = rng.choice(added).effective_on + timedelta(days=rng.randint(-20, 400))
                mine = LaterSanction("本件", rng.choice(KINDS), day)
                got = walked.prior(mine)
                assert got == prior_run(mine, added), (trial, len(added))
                joined += got is not None
            walked.add(o)
            added = [*added, o]
    assert joined > 1000
