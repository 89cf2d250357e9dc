"""A lead taken into a new case while another officer links it to an open case (LAN database).

第六条: a lead goes to one case. 提出问责 on the lead checked it unlinked without locking its row
(every lead act locks it: app.services.dispositions, LeadService), so on PostgreSQL the link
made by the other officer meanwhile was overwritten when the proposal committed: the audit
trail said the lead went to the open case, the lead pointed at the new one, and no one was
refused. 关联线索与案件 read the target case without locking it either: a case 结案归档 at the
same moment took a lead linked after its closing check (the rule: no lead is linked to a
closed case, where it would go unanswered). SQLite's write lock serialises both already.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services import case_writes, leads
from app.services.base import ServiceError
from app.storage.models import Lead
from tests.helpers.builders import advance, proposal
from tests.helpers.race import PausedRace, other_window


def _lead(svc, on: date) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=on, source="举报", channel="来信", content="反映城区一中队推诿投诉。"
    )


def test_a_proposal_on_a_lead_and_its_link_to_another_case_at_once(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch
) -> None:
    open_case = advance(svc, world, Stage.INVESTIGATING)
    lid = _lead(svc, date(2026, 2, 20))
    race = PausedRace()
    check = race.pausing_after(case_writes.link_problems)
    monkeypatch.setattr(case_writes, "link_problems", check)
    made: list[int] = []
    with other_window(db, tmp_path, clock) as pc2:
        outcome = race.run(
            lambda: made.append(svc.cases.propose_case(proposal(world, lead_ids=[lid]))),
            lambda: pc2.leads.link_lead(lid, open_case),
            (RuleViolation, ServiceError),
        )
    assert outcome["first"] == "done", outcome
    assert "已关联其他案件" in outcome["second"], outcome
    with svc.db.read() as s:
        assert s.scalar(select(Lead.case_id).where(Lead.id == lid)) == made[0]
    assert svc.audit.verify_chain().ok


def test_a_lead_linked_while_its_case_is_closed(  # type: ignore[no-untyped-def]
    svc, world, clock, db, tmp_path, monkeypatch
) -> None:
    cid = advance(svc, world, Stage.SERVED)
    clock.now = clock.now.replace(year=2026, month=11, day=25)
    lid = _lead(svc, date(2026, 11, 22))  # after the closing day: one of the two is refused
    race = PausedRace()
    check = race.pausing_after(leads.link_problems)
    monkeypatch.setattr(leads, "link_problems", check)
    with other_window(db, tmp_path, clock) as pc2:
        outcome = race.run(
            lambda: svc.leads.link_lead(lid, cid),
            lambda: pc2.cases.close_case(cid, closed_on=date(2026, 11, 20)),
            (RuleViolation, ServiceError),
        )
    closed = svc.queries.get_case(cid).closed_on
    with svc.db.read() as s:
        linked = s.scalar(select(Lead.case_id).where(Lead.id == lid))
    # Either order refuses the other act (第六条): never both, a closed case holding a lead
    # received after it was closed.
    assert outcome["first"] == "done", outcome
    assert outcome["second"] != "done", outcome
    assert linked == cid and closed is None, outcome
    assert svc.audit.verify_chain().ok
