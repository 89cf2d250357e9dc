"""类案参考: every case the scorer gives MIN_SCORE points reaches the list (review 54c).

The SQL prefilter kept only cases sharing a clause or the same sub-type; a case sharing the
fault and the responsibility (2 + 2 = 4), or the behaviour type and the fault, scored 4 by
``score`` and was never shown. The fixture's P5 (5 points) was one of them.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.services.precedents import MIN_SCORE, Features, PrecedentService, score
from tests.helpers.beyond_data import Sub, insert_case, unit_and_people
from tests.unit.test_beyond_precedents import cases, order  # noqa: F401  (fixture)


@pytest.fixture
def ps(svc):  # type: ignore[no-untyped-def]
    return PrecedentService(svc.ctx, svc)


def test_the_case_sharing_fault_consequence_and_responsibility_is_listed(ps, cases) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    result = ps.similar(cases["T"], cases["T_sub"])
    p5 = next((p for p in result.precedents if p.case_id == cases["P5"]), None)
    assert p5 is not None, order(result, cases)
    assert p5.score == 2 + 1 + 2 and p5.reasons == (
        "同属过失",
        "后果相同：贻误工作",
        "同负直接责任",
    )


# (behaviour, fault, consequences, responsibility) of a past case with no shared clause, and
# the points the scorer gives it against the target below.
TARGET = dict(
    grounds=((7, 5),),
    behaviour=("不履行", "推诿"),
    fault="过失",
    consequences=("贻误工作", "造成工作损失"),
)
PAST = [
    ("type+fault", ("不履行", "拒绝"), "过失", (), "重要领导责任", 4),
    ("fault+resp", ("不正确履行", "无合法依据"), "过失", (), "直接责任", 4),
    ("type+resp", ("不履行", "拒绝"), "故意", (), "直接责任", 4),
    (
        "fault+2cons",
        ("不正确履行", "无合法依据"),
        "过失",
        ("贻误工作", "造成工作损失"),
        "重要领导责任",
        4,
    ),
    ("fault+1cons", ("不正确履行", "无合法依据"), "过失", ("贻误工作",), "重要领导责任", 3),
    ("resp only", ("不正确履行", "无合法依据"), "故意", (), "直接责任", 2),
]


@pytest.mark.parametrize(("key", "behaviour", "fault", "cons", "resp", "points"), PAST)
def test_listed_exactly_when_the_scorer_gives_min_score(
    svc, ps, key, behaviour, fault, cons, resp, points
) -> None:  # type: ignore[no-untyped-def]
    with svc.db.session() as s:
        unit, (t, x) = unit_and_people(s, ["目标人", "张三"])
        target = Sub("目标人", t)
        target.responsibility = "直接责任"
        tid, (tsub,) = insert_case(s, unit, date(2026, 11, 20), [target], **TARGET)
        past = Sub("张三", x)
        past.responsibility = resp
        past.forms, past.sanction_kind, past.status = ["行政处分"], "警告", "有效"
        pid, _ = insert_case(
            s, unit, date(2026, 3, 1), [past], grounds=((7, 1),), behaviour=behaviour,
            fault=fault, consequences=cons,
        )  # fmt: skip
    mine = Features(
        frozenset({(7, 5)}), "不履行", "推诿", "过失", frozenset(TARGET["consequences"]), "直接责任"
    )
    theirs = Features(frozenset({(7, 1)}), *behaviour, fault, frozenset(cons), resp)
    assert score(mine, theirs)[0] == points, key
    listed = [p.case_id for p in ps.similar(tid, tsub).precedents]
    assert (pid in listed) == (points >= MIN_SCORE), key


def test_consequences_stored_with_escapes_still_count(svc, ps) -> None:  # type: ignore[no-untyped-def]
    """Side door of the filter reading the stored JSON text: a row written before 2026-12-01
    keeps 「\\u8d3b…」 escapes (README); its shared consequences count the same."""
    import json

    from sqlalchemy import text

    with svc.db.session() as s:
        unit, (t, x) = unit_and_people(s, ["目标人", "张三"])
        target = Sub("目标人", t)
        target.responsibility = "直接责任"
        tid, (tsub,) = insert_case(s, unit, date(2026, 11, 20), [target], **TARGET)
        past = Sub("张三", x)
        past.responsibility = "重要领导责任"
        past.forms, past.sanction_kind, past.status = ["行政处分"], "警告", "有效"
        pid, _ = insert_case(
            s, unit, date(2026, 3, 1), [past], grounds=((7, 1),),
            behaviour=("不正确履行", "无合法依据"), fault="过失", consequences=TARGET["consequences"],
        )  # fmt: skip
    escaped = json.dumps(list(TARGET["consequences"]))
    assert "\\u" in escaped
    with svc.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE cases SET consequences = :c WHERE id = :id"), {"c": escaped, "id": pid}
        )
    listed = {p.case_id: p.score for p in ps.similar(tid, tsub).precedents}
    assert listed.get(pid) == 2 + 1 + 1


def test_the_sql_points_are_the_scorers(svc, ps, cases) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The ranking and the cut are the database's (points_sql): for every decision of the
    fixture they must be what :func:`score` gives, or the list would differ from the scores."""
    from sqlalchemy import select

    from app.services.precedents import points_sql
    from app.storage.models import Case, CaseSubject, Decision

    with svc.db.read() as s:
        t = s.get(Case, cases["T"])
        target = Features(
            frozenset(ps._grounds(s, [t.id])[t.id]), t.behaviour_type, t.behaviour_subtype,
            t.fault, frozenset(t.consequences), ps._responsibilities(s, [cases["T_sub"]])[cases["T_sub"]],
        )  # fmt: skip
        rows = s.execute(
            select(Decision, CaseSubject, Case, points_sql(target))
            .join(CaseSubject, CaseSubject.id == Decision.subject_id)
            .join(Case, Case.id == Decision.case_id)
        ).all()
        grounds = ps._grounds(s, [c.id for _d, _sb, c, _p in rows])
        resp = ps._responsibilities(s, [sb.id for _d, sb, _c, _p in rows])
        assert len(rows) >= 12
        for _d, sb, c, pts in rows:
            other = Features(
                frozenset(grounds.get(c.id, set())), c.behaviour_type, c.behaviour_subtype,
                c.fault, frozenset(c.consequences), resp.get(sb.id, ""),
            )  # fmt: skip
            assert pts == score(target, other)[0], c.number
