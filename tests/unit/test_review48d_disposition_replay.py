"""第二十一条 (《中国共产党纪律检查机关监督执纪工作规则》): a lead's approved dispositions are
what the monthly report counts (处置件次, 线索清零) and what the due list reads (a lead not
disposed of within 30 days, an 初核's deadline, a 暂存's revisit date). Rewritten in the file
with ``sqlite3`` — an overdue lead's approval moved inside the 30 days, a 了结 made a 初核,
its row deleted — the replay check and ``wenze audit verify`` must name it, as they name a
lead's own columns."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec
from app.services.dispositions import DispositionService
from app.services.replay import replay_problems

OK = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
LATER = Approval(date(2026, 11, 20), "纪委书记 周正", "纪委会议纪要〔2026〕14号")


def _lead(svc, received: date) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


@pytest.fixture
def built(svc):  # type: ignore[no-untyped-def]
    ds = DispositionService(svc.ctx, svc)
    closed = _lead(svc, date(2026, 9, 1))
    ds.dispose(closed, DispositionSpec("予以了结", OK, reason="反映问题已另案处理"))
    verified = _lead(svc, date(2026, 10, 20))
    ds.dispose(verified, DispositionSpec("初步核实", OK))
    report = CompletionSpec(
        date(2026, 11, 18), "经初核，反映问题基本属实。", "暂存待查", LATER,
        reason="待有关部门认定", revisit_on=date(2027, 2, 1),
    )  # fmt: skip
    ds.record_verification_report(verified, report)
    numbers = {lid: svc.leads.get_lead(lid).number for lid in (closed, verified)}
    return {"closed": closed, "verified": verified, "numbers": numbers}


def test_the_dispositions_as_written_replay_clean(svc, built) -> None:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        assert replay_problems(s) == []
    assert svc.audit.verify().ok


EDITS = [
    ("an approval moved inside the 30 days",
     "UPDATE lead_dispositions SET decided_on = '2026-09-20' WHERE lead_id = :closed",
     "closed", "decided_on"),
    ("a 了结 made a 初核", "UPDATE lead_dispositions SET kind = '初步核实' WHERE lead_id = :closed",
     "closed", "kind"),
    ("the reason of a 了结",
     "UPDATE lead_dispositions SET reason = '无' WHERE lead_id = :closed", "closed", "reason"),
    ("a disposition deleted (the lead listed as never disposed of)",
     "DELETE FROM lead_dispositions WHERE lead_id = :closed", "closed", "删除"),
    ("the 初核's report",
     "UPDATE lead_dispositions SET report_text = '无' WHERE lead_id = :verified"
     " AND kind = '初步核实'", "verified", "report_text"),
    ("the outcome an 初核 led to (its revisit date moved away)",
     "UPDATE lead_dispositions SET revisit_on = '2027-11-01' WHERE lead_id = :verified"
     " AND kind = '暂存待查'", "verified", "revisit_on"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "sql", "who", "named"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_of_a_disposition_with_sql_is_named(svc, db, built, what, sql, who, named) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:  # someone holding the file, without any key
        conn.execute(text(sql), {"closed": built["closed"], "verified": built["verified"]})
    with svc.db.read() as s:
        problems = replay_problems(s)
    number = built["numbers"][built[who]]
    assert any(f"线索{number}" in p and named in p for p in problems), (what, problems)
    assert not svc.audit.verify().ok
