"""类案参考: a fixture whose ranking is known by construction (the scores are in comments)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import UserRole
from app.domain.rules import SanctionSpec
from app.services.base import SYSTEM, Actor, NotFound
from app.services.precedents import PrecedentService, score, warning_for
from app.services.vault import ReporterIdentity
from app.storage.models import Lead
from tests.helpers.beyond_data import Sub, insert_case, recused, unit_and_people

T_GROUNDS = ((7, 5), (8, 2))
T_CONS = ("贻误工作", "造成工作损失")


def sanction(kind: str | None, forms: tuple[str, ...] = ("行政处分",)) -> SanctionSpec:
    return SanctionSpec.of("予以问责", forms, kind, reasons="理由")


@pytest.fixture
def cases(svc):  # type: ignore[no-untyped-def]
    """The target and eleven past cases; the expected order is P1, P2, P7, P3, P4, P5, P6."""
    got: dict[str, int] = {}
    with svc.db.session() as s:
        unit, (t, x, me) = unit_and_people(s, ["目标人", "张三", "纪检干事"])

        def add(key, decided, *, resp="直接责任", kind="记过", forms=("行政处分",), **kw):  # type: ignore[no-untyped-def]
            subject = kw.pop("subject", Sub("张三", x))
            subject.responsibility = resp
            subject.forms = list(forms)
            subject.sanction_kind = kind
            subject.status = kw.pop("status", "有效")
            cid, (sid,) = insert_case(s, unit, decided, [subject], **kw)
            got[key] = cid
            got[key + "_sub"] = sid

        same = dict(
            grounds=T_GROUNDS, behaviour=("不履行", "推诿"), fault="过失", consequences=T_CONS
        )
        add("T", date(2026, 11, 20), kind=None, forms=(), subject=Sub("目标人", t), **same)
        add("P1", date(2026, 1, 5), **same)  # 8 + 2 + 2 + 2 + 2 + 2 = 18
        add("P2", date(2026, 2, 5), resp="主要领导责任", **same)  # 16
        add(  # 4 + 2 + 2 + 2 + 1 + 2 = 13
            "P3",
            date(2026, 3, 5),
            kind="记大过",
            grounds=((7, 5),),
            behaviour=("不履行", "推诿"),
            fault="过失",
            consequences=("贻误工作",),
        )
        add(  # 4 + 2 = 6
            "P4",
            date(2026, 4, 5),
            resp="重要领导责任",
            kind=None,
            forms=("通报批评",),
            grounds=((7, 5),),
            behaviour=("不履行", "拒绝"),
            fault="故意",
            consequences=("影响行政秩序和行政效率",),
        )
        add(  # no clause, no sub-type: 2 + 1 + 2 = 5 (fault, consequence, responsibility)
            "P5",
            date(2026, 5, 5),
            grounds=((7, 1),),
            behaviour=("不正确履行", "无合法依据"),
            fault="过失",
            consequences=("贻误工作",),
        )
        add(  # 2 + 2 = 4 (same sub-type only)
            "P6",
            date(2026, 5, 6),
            resp="重要领导责任",
            grounds=((7, 9),),
            behaviour=("不履行", "推诿"),
            fault="故意",
            consequences=(),
        )
        add(  # 13 like P3 but more recent: before P3
            "P7",
            date(2026, 6, 5),
            kind="警告",
            grounds=((7, 5),),
            behaviour=("不履行", "推诿"),
            fault="过失",
            consequences=("贻误工作",),
        )
        add("P8", date(2026, 7, 5), voided=True, **same)  # voided
        add("P9", date(2026, 7, 6), **same)  # recused below
        add("P10", date(2026, 7, 7), kind=None, forms=("通报批评",), subject=Sub("中队"), **same)
        add("P11", date(2026, 7, 8), status="已变更", **same)  # superseded decision
        recused(s, got["P9"], me, "纪检干事", date(2026, 7, 1))
    svc.leads.register_lead(
        received_on=date(2026, 1, 2),
        source="举报",
        channel="来信",
        content="反映推诿",
        reporter=ReporterIdentity(name="举报人某某某", phone="13800001111"),
    )
    with svc.db.session() as s:
        s.query(Lead).update({Lead.case_id: got["P1"]})
    got["me"] = me
    return got


@pytest.fixture
def ps(svc):  # type: ignore[no-untyped-def]
    return PrecedentService(svc.ctx, svc)


def order(result, cases) -> list[str]:  # type: ignore[no-untyped-def]
    names = {v: k for k, v in cases.items() if not k.endswith("_sub") and k != "me"}
    return [names[p.case_id] for p in result.precedents]


def test_ranking_known_by_construction(svc, ps, cases) -> None:
    svc.ctx.actor = Actor("gb", "纪检干事", UserRole.OFFICER, person_id=cases["me"])
    try:
        result = ps.similar(cases["T"], cases["T_sub"])
        assert order(result, cases) == ["P1", "P2", "P7", "P3", "P4", "P5", "P6"]
        assert [p.score for p in result.precedents] == [18, 16, 13, 13, 6, 5, 4]
        top = result.precedents[0]
        assert top.reasons == (
            "同引第七条第（五）项、第八条第（二）项",
            "同为不履行（推诿）",
            "同属过失",
            "后果相同：贻误工作、造成工作损失",
            "同负直接责任",
        )
        assert top.decision_text == "行政处分（记过）"
        assert result.precedents[4].decision_text == "通报批评"
        assert result.close == 4 and result.prevailing_severity == 4  # 记过, 记过, 警告, 记大过
        assert "举报人某某某" not in repr(result) and "13800001111" not in repr(result)
        assert order(ps.similar(cases["T"], cases["T_sub"], limit=2), cases) == ["P1", "P2"]
    finally:
        svc.ctx.actor = SYSTEM
    # Without the recusal P9 (identical to P1, more recent) comes first.
    assert order(ps.similar(cases["T"], cases["T_sub"]), cases)[:2] == ["P9", "P1"]


def test_warning_for_markedly_heavier_or_lighter(svc, ps, cases) -> None:
    t, sub = cases["T"], cases["T_sub"]
    assert "明显重于" in ps.proposal_warning(t, sub, sanction("降级"))
    assert "明显轻于" in ps.proposal_warning(t, sub, sanction(None, ("通报批评",)))
    assert ps.proposal_warning(t, sub, sanction("警告")) is None
    assert ps.proposal_warning(t, sub, sanction("记大过")) is None


def test_no_warning_with_too_few_close_precedents(ps, cases) -> None:
    result = ps.similar(cases["T"], cases["T_sub"], limit=1)
    few = type(result)(result.precedents, 2, None)
    assert warning_for(few, sanction("开除")) is None


def test_recused_target_is_not_found(svc, ps, cases) -> None:
    svc.ctx.actor = Actor("gb", "纪检干事", UserRole.OFFICER, person_id=cases["me"])
    try:
        with pytest.raises(NotFound):
            ps.similar(cases["P9"], cases["P9_sub"])
    finally:
        svc.ctx.actor = SYSTEM


def test_score_is_symmetric_in_what_it_counts() -> None:
    from app.services.precedents import Features

    a = Features(frozenset({(7, 5)}), "不履行", "推诿", "过失", frozenset({"贻误工作"}), "直接责任")
    b = Features(frozenset({(7, 5), (7, 6)}), "不履行", "放弃", "故意", frozenset(), "直接责任")
    assert score(a, b)[0] == score(b, a)[0] == 4 + 2 + 2
