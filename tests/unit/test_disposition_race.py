"""Two officers dispose of one lead at the same moment (two PCs on the LAN database).

第二十一条: a lead is disposed of once in one of the ways; a second disposition waits for an
open 初核 or 函询 to report, and a final one (拟立案, 了结) ends it. On PostgreSQL, without the
lead's row locked before the checks, the second act read the lead as undisposed while the
first had checked and not committed: both committed, and the lead had two current
dispositions. SQLite's write lock serialises the two already; the test runs on both."""

from __future__ import annotations

from datetime import date

from app.domain.leads_disposition import Approval, DispositionSpec
from app.domain.rules import RuleViolation
from app.services import build_services, dispositions
from app.services.dispositions import DispositionService
from app.services.vault import StaticKeyProvider
from tests.helpers.race import PausedRace

OK = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")


def test_two_dispositions_of_one_lead_at_once(svc, clock, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lid = svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映推诿投诉。"
    )
    pc2 = build_services(db, data_dir=tmp_path, clock=clock, keys=StaticKeyProvider(b"k" * 32))
    ds1, ds2 = DispositionService(svc.ctx, svc), DispositionService(pc2.ctx, pc2)
    race = PausedRace()
    check = race.pausing_after(dispositions.check_disposition)
    monkeypatch.setattr(dispositions, "check_disposition", check)
    outcome = race.run(
        lambda: ds1.dispose(lid, DispositionSpec("予以了结", OK, "反映问题不属实")),
        lambda: ds2.dispose(lid, DispositionSpec("初步核实", OK)),
        (RuleViolation,),
    )
    assert outcome["first"] == "done", outcome
    assert outcome["second"].startswith("依据") and "处置已完毕" in outcome["second"], outcome
    assert [d.kind for d in ds1.summary(lid).history] == ["予以了结"]
