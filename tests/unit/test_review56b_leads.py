"""Review 56b: lead dispositions attacked through the service (第二十一条: each disposition of
a lead rests on its own approval). Real SQLite file; refusals write no row and no audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec, LeadStatus
from app.domain.rules import RuleViolation
from app.storage.models import AuditRecord, LeadDisposition

FIRST = Approval(date(2026, 11, 2), "纪委书记 周正", "纪委会议纪要〔2026〕12号")


def _lead(svc) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


def _counts(svc) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return (
            s.scalar(select(func.count(LeadDisposition.id))) or 0,
            s.scalar(select(func.count(AuditRecord.id))) or 0,
        )


@pytest.mark.parametrize(
    ("way", "record", "outcome"),
    [
        ("初步核实", "record_verification_report", "予以了结"),
        ("谈话函询", "record_talk", "予以了结"),
    ],
)
def test_the_outcome_of_a_report_is_not_recorded_on_the_approval_of_the_open_way(
    svc, way: str, record: str, outcome: str
) -> None:
    """An 初核 approved on 纪要12号 and its report's outcome 予以了结 approved on 11-10 "on"
    纪要12号 too: a second disposition counted on the first's approval (a copied field). The
    dispose and the correction of either refuse that pair; the report's outcome took it."""
    ds = svc.dispositions
    lid = _lead(svc)
    ds.dispose(lid, DispositionSpec(way, FIRST))
    before = _counts(svc)
    same = Approval(date(2026, 11, 10), "纪委书记 周正", " 纪委会议纪要〔2026〕 12号")
    spec = CompletionSpec(date(2026, 11, 10), "经核实，反映问题不属实。", outcome, same, "不属实")
    with pytest.raises(RuleViolation) as exc:
        getattr(ds, record)(lid, spec)
    msg = str(exc.value)
    assert msg.startswith("依据") and "第二十一条" in msg and "纪委会议纪要〔2026〕" in msg, msg
    assert _counts(svc) == before
    assert ds.problems(lid, spec), "the dialog's read-only check says it too"
    # Its own approval is taken.
    fresh = Approval(date(2026, 11, 10), "纪委书记 周正", "纪委会议纪要〔2026〕13号")
    getattr(ds, record)(
        lid, CompletionSpec(date(2026, 11, 10), "经核实，不属实。", outcome, fresh, "不属实")
    )
    assert ds.summary(lid).status is LeadStatus.CLOSED


@pytest.fixture
def keyed(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """An administrator holding the reporter key, and an officer reading the lead."""
    from app.domain.enums import UserRole
    from tests.helpers.accounts import admin_and
    from tests.unit.test_trust_users import OFFICER_PW

    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    return admin, officer


def test_the_approval_fields_every_user_reads_do_not_name_the_reporter(keyed) -> None:  # type: ignore[no-untyped-def]
    """第十条: the 审批人 and 审批依据 of a disposition are listed with the lead to every user,
    as its 理由 is; a clerk who typed the letter's sender as the basis (「甄秘密来信签批单」)
    put the reporter in front of them all. Dispose, report and correction refuse it."""
    from app.services.vault import ReporterIdentity

    admin, officer = keyed
    who = ReporterIdentity(name="甄秘密", phone="13912345678")
    ds = admin.dispositions
    lid = admin.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信",
        content="反映城区一中队推诿投诉。", reporter=who,
    )  # fmt: skip
    before = _counts(admin)
    for approval in (
        Approval(date(2026, 11, 2), "纪委书记 周正", "甄秘密来信签批单"),
        Approval(date(2026, 11, 2), "甄秘密", "纪委会议纪要〔2026〕12号"),
    ):
        with pytest.raises(RuleViolation) as exc:
            ds.dispose(lid, DispositionSpec("初步核实", approval))
        msg = str(exc.value)
        assert msg.startswith("依据第十条") and "甄秘密" not in msg, msg
    assert _counts(admin) == before
    first = ds.dispose(lid, DispositionSpec("初步核实", FIRST))
    report = CompletionSpec(
        date(2026, 11, 10), "经核实，不属实。", "予以了结",
        Approval(date(2026, 11, 10), "纪委书记 周正", "签批单（举报人139 1234 5678）"), "不属实",
    )  # fmt: skip
    before = _counts(admin)
    with pytest.raises(RuleViolation, match="第十条"):
        ds.record_verification_report(lid, report)
    with pytest.raises(RuleViolation, match="第十条"):
        ds.correct_disposition(first, "纪要编号录错", approval_ref="甄秘密来信")
    assert _counts(admin) == before
    seen = [h.approver + h.approval_ref for h in officer.dispositions.summary(lid).history]
    assert not any("甄" in t or "139" in t for t in seen)


def test_a_lead_received_at_a_moment_is_refused_and_the_audit_still_verifies(svc) -> None:  # type: ignore[no-untyped-def]
    """A 收到日期 given as a moment (a script's, an import's 「2026-11-01 09:00」) was stored as
    its day while the audit record kept the moment: ``wenze audit verify`` then reported the
    lead as 「数据被绕过系统修改」, a false alarm pointing the administrator at a restore."""
    from datetime import datetime

    from app.services.replay import replay_problems

    before = _counts(svc)
    with pytest.raises(RuleViolation, match=r"第六条.*收到线索日期须为日期"):
        svc.leads.register_lead(
            received_on=datetime(2026, 11, 1, 9, 0), source="举报", channel="来信",
            content="反映某中队推诿投诉。",
        )  # fmt: skip
    assert _counts(svc) == before
    lid = _lead(svc)
    before = _counts(svc)
    with pytest.raises(RuleViolation, match="收到线索日期须为日期"):
        svc.leads.update_lead(lid, received_on=datetime(2026, 11, 2, 23, 30))
    assert _counts(svc) == before
    with svc.db.read() as s:
        assert replay_problems(s) == []
    assert svc.audit.verify().ok
