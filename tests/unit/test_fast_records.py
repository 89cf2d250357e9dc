"""The batch demo's faster record building makes exactly what the dataclasses' own make.

``base.view_of`` and ``case.replaced`` fill a frozen dataclass's fields without calling its
``__init__`` once per field (session 42): the instance must be the one ``cls(...)`` and
``dataclasses.replace`` make — equal, same fields in the same order, still frozen — and a
name that is no field must be refused as they refuse it.
"""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date

import pytest

from app import readmodels
from app.domain.case import CaseState, DecisionRec, replaced
from app.domain.enums import DecisionOrigin, DecisionOutcome, DecisionStatus, SanctionKind
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec
from app.services.base import view_of
from app.services.bulk_writer import AttrRow

VIEWS = [
    c
    for c in vars(readmodels).values()
    if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == readmodels.__name__
]


def _row(cls: type) -> AttrRow:
    return AttrRow({f.name: f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls)})


@pytest.mark.parametrize("cls", VIEWS, ids=lambda c: c.__name__)
def test_a_view_is_the_one_its_class_makes(cls: type) -> None:
    row = _row(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for given in ({}, {names[-1]: "given"}, {names[0]: 1, names[-1]: (2,)}):
        made = view_of(cls, row, **given)
        expected = cls(**{**{n: getattr(row, n) for n in names}, **given})
        assert made == expected
        assert list(vars(made).items()) == list(vars(expected).items())
        assert repr(made) == repr(expected)
        assert pickle.loads(pickle.dumps(made)) == expected
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, names[0], "changed")


def test_a_view_given_a_name_that_is_no_field_is_refused() -> None:
    with pytest.raises(TypeError):
        view_of(readmodels.SubjectView, _row(readmodels.SubjectView), no_such_field=1)


def test_an_orm_like_row_without_a_field_fails_as_before() -> None:
    with pytest.raises(AttributeError):
        view_of(readmodels.SubjectView, AttrRow({}))


def _decision() -> DecisionRec:
    return DecisionRec(
        id=1,
        subject_id=2,
        status=DecisionStatus.IN_FORCE,
        origin=DecisionOrigin.PARTY_GROUP,
        decided_on=date(2026, 1, 5),
        effective_on=date(2026, 1, 5),
        sanction=SanctionSpec(DecisionOutcome.ACCOUNTABLE, sanction_kind=SanctionKind.WARNING),
        sanction_end=date(2026, 7, 4),
    )


def test_replaced_is_dataclasses_replace() -> None:
    d = _decision()
    for changes in ({}, {"run_end": date(2026, 9, 1)}, {"run_end": None, "version": 2}):
        made, expected = replaced(d, **changes), dataclasses.replace(d, **changes)
        assert made == expected and made is not d
        assert list(vars(made).items()) == list(vars(expected).items())
    assert d.with_run(None).run_without_end and not d.with_run(date(2026, 9, 1)).run_without_end
    state = CaseState(id=1, number="x", stage=Stage.PROPOSED, proposed_on=date(2026, 1, 2))
    assert state.with_(stage=Stage.CLOSED) == dataclasses.replace(state, stage=Stage.CLOSED)
    assert state.stage is Stage.PROPOSED  # the record itself is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        replaced(d).run_end = None  # type: ignore[misc]


def test_replaced_refuses_a_name_that_is_no_field() -> None:
    with pytest.raises(TypeError):
        replaced(_decision(), no_such_field=1)
