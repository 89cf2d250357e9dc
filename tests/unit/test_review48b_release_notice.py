"""The 解除处分通知书 as a legal instrument (review 48b).

《行政机关公务员处分条例》第四十五条第二款: a 解除处分决定 contains, besides the original
sanction's kind, the basis of the release and the person's conduct during the period, the
items (一) the person's basic facts, (二) 经查证的违法违纪事实 and (五) the deciding body and
its date. The notice stated the decision's number but never the facts it was given for.
"""

from __future__ import annotations

from datetime import date, datetime

from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.services.releases import ReleaseService
from tests.helpers.builders import advance


def test_a_release_notice_states_the_facts_the_sanction_was_given_for(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    rs = ReleaseService(svc.ctx, svc)
    [row] = rs.sanctions(case_id=cid)
    decision = next(d for d in svc.queries.get_case(cid).decisions if d.id == row.decision_id)
    facts = decision.facts.strip().removeprefix("经查，").rstrip("。")
    assert facts, "the scenario's decision records its facts"
    clock.now = datetime(2027, 4, 6, 9, 0)
    rid = rs.release(row.decision_id, ReleaseSpec(date(2027, 4, 2), "表现良好", "周正"))
    blocks = rs.notice_content(rid)["blocks"]
    text = "".join(b.get("text", "") for b in blocks)
    assert facts in text, text
    # stated as what the decision found, before the period and the release
    first = next(b["text"] for b in blocks if "决定给予你" in b.get("text", ""))
    assert facts in first and first.index("决定给予你") < first.index(facts), first
    assert text.index(facts) < text.index("一、受处分期间的表现"), text
