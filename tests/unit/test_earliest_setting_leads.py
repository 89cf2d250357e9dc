"""Item 6 of issue 11: the bureau's earliest plausible date is a setting, and every act
weighs it — the lead's dispositions and the sanction's release as the case's acts do, not a
constant 2000-01-01 of their own (which refused a bureau's older records wrongly)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.dating import Clock
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionSpec
from app.domain.release import ReleaseSpec, SanctionFacts, check_release
from app.domain.rules import RuleViolation
from app.services.dispositions import DispositionService


@pytest.fixture
def ds(svc):  # type: ignore[no-untyped-def]
    return DispositionService(svc.ctx, svc)


def _lead(svc, received: date) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=received, source="举报", channel="来信", content="反映某中队推诿投诉。"
    )


def test_an_older_bureau_disposes_of_its_old_leads(svc, ds) -> None:  # type: ignore[no-untyped-def]
    svc.masterdata.update_settings(earliest_date="1995-01-01")
    lid = _lead(svc, date(1998, 3, 2))
    ds.dispose(
        lid, DispositionSpec("初步核实", Approval(date(1998, 3, 9), "周正", "纪要1号"), "须核实")
    )
    ds.record_verification_report(
        lid,
        CompletionSpec(
            date(1998, 4, 1), "经初步核实，反映问题不属实。", "予以了结",
            Approval(date(1998, 4, 2), "周正", "纪要2号"), "不属实",
        ),
    )  # fmt: skip
    assert ds.summary(lid).current.decided_on == date(1998, 4, 2)


def test_a_later_setting_bounds_the_approval(svc, ds) -> None:  # type: ignore[no-untyped-def]
    lid = _lead(svc, date(2026, 11, 1))
    # The setting moves only to a day no record precedes; the lead came on its day.
    svc.masterdata.update_settings(earliest_date="2026-11-01")
    bad = DispositionSpec("谈话函询", Approval(date(2026, 10, 31), "周正", "纪要1号"))
    with pytest.raises(RuleViolation) as exc:
        ds.dispose(lid, bad)
    assert "最早日期（2026-11-01）" in str(exc.value)
    assert "第二十一条" in str(exc.value)
    assert ds.summary(lid).current is None


def _facts() -> SanctionFacts:
    return SanctionFacts(
        "予以问责", "警告", date(1997, 1, 6), date(1997, 7, 5), served_on=date(1997, 1, 8)
    )


def test_a_release_is_dated_within_the_bureau_s_setting() -> None:
    spec = ReleaseSpec(date(1998, 1, 5), "期间表现良好，无新的违纪违法行为。", "周正")
    assert check_release(_facts(), spec, Clock(date(2026, 11, 25), date(1995, 1, 1))) == []
    [v] = check_release(_facts(), spec, Clock(date(2026, 11, 25), date(2000, 1, 1)))
    assert "最早日期（2000-01-01）" in v.message and "第六十五条" in v.message
