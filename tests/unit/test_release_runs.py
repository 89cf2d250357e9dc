"""《行政机关公务员处分条例》第十条: sanctioned again within a period, the period becomes what
was left of it plus the new one (48 months at most), and each sanction of that run is
released only when the run ends. The rule alone, then through the real services: the list of
sanctions due for release, the refusal, the release at the run's end and its stored period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from app.documents.text import format_cn_date
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.release import (
    LaterSanction,
    ReleaseSpec,
    SanctionFacts,
    SanctionState,
    later_sanction_problems,
    period_end,
    prior_run,
)
from tests.helpers.builders import advance, reviewed, served_leader
from tests.unit.test_rulebook import audit_count, refused

DEMERIT = SanctionFacts("予以问责", "记过", date(2026, 4, 1), date(2027, 4, 1))


def test_a_sanction_alone_or_after_the_period_keeps_its_own_end() -> None:
    assert period_end(DEMERIT, []) == date(2027, 4, 1)
    after = LaterSanction("荣综执纪〔2027〕3号", "警告", date(2027, 4, 2), date(2027, 10, 2))
    assert period_end(DEMERIT, [after]) == date(2027, 4, 1)
    before = LaterSanction("荣综执纪〔2025〕3号", "警告", date(2025, 1, 2), date(2025, 7, 2))
    assert period_end(DEMERIT, [before]) == date(2027, 4, 1)
    assert later_sanction_problems(DEMERIT, [after, before]) == []


def test_a_sanction_within_the_period_runs_both_on_to_the_sum() -> None:
    warning = LaterSanction("荣综执纪〔2026〕9号", "警告", date(2026, 10, 1), date(2027, 4, 1))
    left = date(2027, 4, 1) - date(2026, 10, 1)  # what was left of the first period
    end = date(2027, 4, 1) + left
    assert end == date(2027, 9, 30)
    assert period_end(DEMERIT, [warning]) == end
    # The later sanction is served to the same end (its own six months end earlier).
    as_facts = SanctionFacts("予以问责", "警告", date(2026, 10, 1), date(2027, 4, 1))
    first = LaterSanction("荣综执纪〔2026〕2号", "记过", date(2026, 4, 1), date(2027, 4, 1))
    assert period_end(as_facts, [first]) == end
    # Refused up to the run's end, naming it; allowed from the day after.
    (v,) = later_sanction_problems(DEMERIT, [warning], end)
    assert "第十条" in str(v) and "2027-09-30" in str(v) and "2027-10-01" in str(v), v
    assert later_sanction_problems(DEMERIT, [warning], end + timedelta(days=1)) == []
    assert later_sanction_problems(as_facts, [first], end + timedelta(days=1)) == []


def test_the_run_is_at_most_48_months_and_expulsion_ends_it() -> None:
    removal = SanctionFacts("予以问责", "撤职", date(2026, 1, 1), date(2028, 1, 1))
    again = LaterSanction("〔2027〕5号", "撤职", date(2027, 12, 1), date(2029, 12, 1))
    more = LaterSanction("〔2029〕5号", "记大过", date(2029, 6, 1), date(2030, 12, 1))
    assert period_end(removal, [again]) == date(2030, 1, 1)  # 2029-12-01 + 31 days
    # the 记大过 runs it on from its own end (2030-12-01) by what was left (214 days)
    assert period_end(removal, [again, more]) == date(2031, 7, 3)
    fourth = LaterSanction("〔2029〕7号", "撤职", date(2029, 7, 1), date(2031, 7, 1))
    # 2031-07-01 + 732 days left would pass 48 months from the new sanction: capped there
    assert period_end(removal, [again, more, fourth]) == date(2033, 7, 1)
    expelled = LaterSanction("〔2026〕8号", "开除", date(2026, 6, 1))
    assert period_end(removal, [expelled]) is None
    (v,) = later_sanction_problems(removal, [expelled], date(2030, 1, 2))
    assert "开除" in str(v) and "不能解除" in str(v)


def test_the_services_list_release_and_store_the_run(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)  # 王喆 again, within the first period
    d1, d2 = (
        next(d for d in svc.queries.get_case(c).decisions_in_force() if d.sanction_kind)
        for c in (first, second)
    )
    rows = {r.decision_id: r for r in svc.releases.sanctions()}
    end = rows[d1.id].sanction_end
    assert rows[d2.id].sanction_end == end  # one run: both listed with its end
    own_end = max(d1.sanction_end, d2.sanction_end)
    assert end > own_end
    # After each sanction's own period, before the run's end: in force, not due, refused.
    clock.now = datetime.combine(own_end + timedelta(days=2), datetime.min.time())
    assert {r.decision_id for r in svc.releases.due_releases()}.isdisjoint({d1.id, d2.id})
    assert svc.releases.sanctions()[0].state is SanctionState.IN_FORCE
    spec = ReleaseSpec(own_end + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚")
    before = audit_count(svc)
    refused(svc.releases.release, d1.id, spec, article="第十条", text=end.isoformat())
    assert audit_count(svc) == before
    # After the run: both due, and released from the day after its end.
    clock.now = datetime.combine(end + timedelta(days=3), datetime.min.time())
    assert {d1.id, d2.id} <= {r.decision_id for r in svc.releases.due_releases()}
    release_id = svc.releases.release(d1.id, replace(spec, released_on=end + timedelta(days=1)))
    assert svc.releases.get_release(release_id).period_end == end
    # The notice states both: the decision's own period and the run that 第十条 made of it.
    view = svc.documents.issue_document(first, DocumentKind.RELEASE_NOTICE, release_id)
    text = "".join(b.get("text", "") for b in svc.documents.get_document(view.id)[1]["blocks"])
    assert f"至{format_cn_date(d1.sanction_end)}止；你在受处分期间又受到处分" in text, text
    assert (
        f"条例》第十条的规定，处分期为尚未执行的期限与新处分期限之和，至{format_cn_date(end)}止"
        in text
    )
    assert f"处分自{format_cn_date(end + timedelta(days=1))}起解除" in text
    svc.releases.release(d2.id, replace(spec, released_on=end + timedelta(days=1)))
    assert not {d1.id, d2.id} & {r.decision_id for r in svc.releases.due_releases()}


def test_the_run_a_sanction_joined_is_what_its_decision_states() -> None:
    first = LaterSanction("〔2026〕2号", "记过", date(2026, 4, 1), date(2027, 4, 1))
    warning = LaterSanction("〔2026〕9号", "警告", date(2026, 10, 1), date(2027, 4, 1))
    assert prior_run(first, []) is None
    ended = replace(first, effective_on=date(2025, 1, 1), sanction_end=date(2026, 1, 1))
    assert prior_run(warning, [ended]) is None
    run = prior_run(warning, [first])
    assert run is not None and run.run == (first,) and not run.capped
    assert run.before == date(2027, 4, 1)
    assert run.end == period_end(SanctionFacts("予以问责", "警告", warning.effective_on,
                                               warning.sanction_end), [first])  # fmt: skip
    # one that came later is not part of what this one joined (its own decision says it)
    later = LaterSanction("〔2027〕1号", "记过", date(2027, 1, 1), date(2028, 1, 1))
    assert prior_run(warning, [first, later]) == run
    assert prior_run(first, [warning, later]) is None
    removal = LaterSanction("〔2026〕1号", "撤职", date(2026, 1, 1), date(2028, 1, 1))
    again = LaterSanction("〔2027〕5号", "撤职", date(2027, 12, 1), date(2029, 12, 1))
    more = LaterSanction("〔2029〕5号", "记大过", date(2029, 6, 1), date(2030, 12, 1))
    fourth = LaterSanction("〔2029〕7号", "撤职", date(2029, 7, 1), date(2031, 7, 1))
    capped = prior_run(fourth, [removal, again, more])
    assert capped is not None and capped.capped and capped.end == date(2033, 7, 1)
    assert capped.run == (removal, again, more)
    expelled = LaterSanction("〔2026〕8号", "开除", date(2026, 6, 1))
    assert prior_run(warning, [expelled]) is None


def test_a_decision_within_another_period_states_the_run(svc, world) -> None:  # type: ignore[no-untyped-def]
    """处分条例第十条: the second 决定书 states the period the law gives it, which is the end the
    system counts — not its own months alone; the first keeps its own."""
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)  # 王喆 again, within the first period
    d1, d2 = (
        next(d for d in svc.queries.get_case(c).decisions_in_force() if d.sanction_kind)
        for c in (first, second)
    )
    end = {r.decision_id: r for r in svc.releases.sanctions()}[d2.id].sanction_end

    def stated(case_id: int, decision_id: int) -> str:
        doc = next(
            x for x in svc.documents.list_documents(case_id)
            if x.kind == DocumentKind.DECISION and x.ref_id == decision_id
        )  # fmt: skip
        return "".join(b.get("text", "") for b in svc.documents.get_document(doc.id)[1]["blocks"])

    text = stated(second, d2.id)
    assert f"鉴于你在受{d1.sanction_kind}处分期间（{d1.doc_number}，" in text, text
    assert "《行政机关公务员处分条例》第十条的规定，处分期为原处分期尚未执行的期限" in text
    assert f"至{format_cn_date(end)}止" in text and end != d2.sanction_end
    assert f"起至{format_cn_date(d2.sanction_end)}止" not in text
    own = stated(first, d1.id)
    assert "第十条" not in own and f"至{format_cn_date(d1.sanction_end)}止" in own


def test_a_review_decision_states_the_run_of_the_sanction_it_gives(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十四条 and 处分条例第十条: a review that changes the sanction of a person who was in
    another period states the run of the changed one (counted from the original's effect)."""
    first = advance(svc, world, Stage.SERVED)
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    cid, did, _other, _unit = served_leader(svc, world)
    rd_id = reviewed(svc, world, cid, did, date(2026, 4, 20))
    case = svc.queries.get_case(cid)
    new = next(d for d in case.decisions_in_force() if d.replaces_id == did)
    end = {r.decision_id: r for r in svc.releases.sanctions()}[new.id].sanction_end
    view = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    text = "".join(b.get("text", "") for b in svc.documents.get_document(view.id)[1]["blocks"])
    assert f"鉴于申请人在受{d1.sanction_kind}处分期间（{d1.doc_number}，" in text, text
    assert f"起至{format_cn_date(end)}止" in text and end != new.sanction_end, text


def test_a_long_run_is_counted_not_listed() -> None:
    """A person sanctioned again and again (the 100,000-case demo's few people): the sentence
    names the latest three decisions of the run and counts the rest, so it stays a sentence."""
    from types import SimpleNamespace

    from app.documents.compose.wording import _period_text
    from app.domain.release import PriorRun

    run = tuple(
        LaterSanction(f"荣综执纪〔2026〕{n}号", "警告", date(2026, 1, n), date(2026, 7, n))
        for n in range(1, 9)
    )
    prior = PriorRun(run, date(2027, 1, 1), date(2027, 7, 1), False)
    d = SimpleNamespace(
        sanction_kind="记过", effective_on=date(2026, 1, 20), sanction_end=date(2027, 1, 20),
        prior_run=prior,
    )  # fmt: skip
    text = _period_text(d)
    assert "荣综执纪〔2026〕6号、荣综执纪〔2026〕7号、荣综执纪〔2026〕8号等8份决定" in text, text
    assert "〔2026〕5号" not in text
    assert "至2027年7月1日止" in text
