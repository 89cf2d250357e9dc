"""第十二条: the sanctioned person (or another subject of the case) does not confirm the
release of a sanction of that case — the strongest interest of all, as the recusal rule
(and ``ServiceContext.hidden_from``) reads a subject."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.release import ReleaseSpec
from app.domain.rules import RuleViolation
from app.services.releases import ReleaseService
from tests.helpers.beyond_data import Sub, insert_case, unit_and_people


@pytest.fixture
def sanctions(svc):  # type: ignore[no-untyped-def]
    """甲 (降级) and 乙 (警告) sanctioned together in one case on 2024-01-10: both ended."""
    from sqlalchemy import select

    from app.storage.models import Decision

    with svc.db.session() as s:
        unit, (a, b) = unit_and_people(s, ["甲某某", "乙某某"])
        _, (sa, sb) = insert_case(
            s, unit, date(2024, 1, 10),
            [Sub("甲某某", a, forms=["行政处分"], sanction_kind="降级"),
             Sub("乙某某", b, forms=["行政处分"], sanction_kind="警告")],
        )  # fmt: skip
    with svc.db.read() as s:
        return [s.scalar(select(Decision.id).where(Decision.subject_id == x)) for x in (sa, sb)]


def _spec(who: str) -> ReleaseSpec:
    return ReleaseSpec(date(2026, 11, 20), "受处分期间表现良好", who)


@pytest.mark.parametrize("who", ["甲某某", "纪委副书记 甲某某", "乙某某"])
def test_a_subject_of_the_case_does_not_confirm_the_release(svc, sanctions, who) -> None:  # type: ignore[no-untyped-def]
    rs = ReleaseService(svc.ctx, svc)
    with pytest.raises(RuleViolation) as exc:
        rs.release(sanctions[0], _spec(who))
    msg = str(exc.value)
    assert "第十二条" in msg and "问责对象" in msg, msg
    assert rs.due_releases(), "nothing was recorded"


def test_a_correction_does_not_name_the_subject_either(svc, sanctions) -> None:  # type: ignore[no-untyped-def]
    rs = ReleaseService(svc.ctx, svc)
    rid = rs.release(sanctions[0], _spec("纪委书记 周正"))
    with pytest.raises(RuleViolation) as exc:
        rs.correct_release(rid, "确认人登记有误", confirmed_by="甲某某")
    assert "第十二条" in str(exc.value)
    assert rs.get_release(rid).superseded_by_id is None


def test_another_confirmer_is_allowed(svc, sanctions) -> None:  # type: ignore[no-untyped-def]
    rs = ReleaseService(svc.ctx, svc)
    assert rs.release(sanctions[1], _spec("纪委书记 周正")) > 0
