"""A demo shows every form of 第十一条 on any day it is made.

The CI run of 2026-12-08 made `wenze demo --cases 500` with no 责令辞职 decided: the draw gives
one to few heads, and a head proposed again later keeps his post (demo_bureau.kept_in_post),
so on some days none was left. The plans are cheap to draw; the backend does not matter.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain import enums, signing
from app.services.demo import Decide, Propose, demo_plans


def _decided(svc, n: int) -> list[tuple[object, object]]:  # type: ignore[no-untyped-def]
    """(subject, sanction) of every decision the first ``n`` plans make."""
    out = []
    for plan in demo_plans(svc, n):
        subjects = next(a for a in plan.acts if isinstance(a, Propose)).spec.subjects
        out += [
            (subjects[a.spec.subject_id], a.spec.sanction)
            for a in plan.acts
            if isinstance(a, Decide)
        ]
    return out


@pytest.mark.parametrize("today", [date(2026, 12, 8), date(2026, 12, 9), date(2027, 3, 1)])
def test_a_small_demo_decides_every_form_of_article_11(svc, clock, db, today) -> None:
    if not db.is_sqlite:
        pytest.skip("plans only: the backend does not matter")
    clock.now = datetime.combine(today, datetime.min.time()).replace(hour=17)
    decided = _decided(svc, 60)
    forms = {f for _sub, spec in decided for f in spec.forms}
    assert forms == set(enums.AccountabilityForm), today
    resigned = [
        sub for sub, spec in decided if signing.spec_takes_post(spec) and not spec.sanction_kind
    ]
    # 责令辞职 is for one who leads (《公务员法》第八十七条), and the demo orders one at most
    # beyond what it draws.
    assert resigned and all(sub.is_leader for sub in resigned)
