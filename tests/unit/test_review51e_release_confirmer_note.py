"""第十二条: the sanctioned person, or an officer recused from the case, does not confirm the
release however the 确认人 is typed — a note in brackets (「甲某某（纪委副书记）」, ASCII or
full-width), a title after the name apart from it (「甲某某 纪委副书记」) or 「同志」 after it
name him as surely as 「纪委副书记 甲某某」 does (review 51e: those three were recorded, and
the 解除处分通知书 would say the sanctioned person confirmed his own release)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.release import ReleaseSpec, confirmer_problems
from app.domain.rules import RuleViolation
from app.domain.text import names_person
from app.services.releases import ReleaseService
from app.storage.models import Decision
from tests.helpers.beyond_data import Sub, insert_case, unit_and_people

TYPED = [
    "甲某某（纪委副书记）",
    "甲某某(副书记)",
    "甲某某 纪委副书记",
    "甲某某同志",
    "甲某某　同志",
]


@pytest.fixture
def decision(svc):  # type: ignore[no-untyped-def]
    """甲某某's 警告 of 2024-01-10: its period ended, it awaits its release."""
    with svc.db.session() as s:
        unit, (a,) = unit_and_people(s, ["甲某某"])
        _, (sa,) = insert_case(
            s, unit, date(2024, 1, 10), [Sub("甲某某", a, forms=["行政处分"], sanction_kind="警告")]
        )
    with svc.db.read() as s:
        return s.scalar(select(Decision.id).where(Decision.subject_id == sa))


@pytest.mark.parametrize("who", TYPED)
def test_the_sanctioned_person_typed_with_a_note_does_not_confirm(svc, decision, who) -> None:  # type: ignore[no-untyped-def]
    rs = ReleaseService(svc.ctx, svc)
    with pytest.raises(RuleViolation) as exc:
        rs.release(decision, ReleaseSpec(date(2026, 11, 20), "受处分期间表现良好", who))
    msg = str(exc.value)
    assert msg.startswith("依据第十二条") and "甲某某是本案的问责对象" in msg, msg
    assert rs.due_releases(), "nothing was recorded"


@pytest.mark.parametrize("who", TYPED)
def test_a_recused_officer_typed_with_a_note_does_not_confirm(who) -> None:
    said = who.replace("甲某某", "严守法")
    [problem] = confirmer_problems(said, ["严守法"])
    assert "严守法已回避本案" in str(problem)


def test_another_person_is_still_another() -> None:
    assert names_person("纪委副书记 严守法", "严守法")
    assert not names_person("张 李明", "李明")  # a name typed with a space: 张李明
    assert not names_person("李明华（纪委书记）", "李明")
    assert not names_person("纪委书记 周正", "严守法")
    assert confirmer_problems("纪委书记 周正（签批）", ["严守法"], ["甲某某"]) == []
