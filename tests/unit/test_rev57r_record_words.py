"""Review 57r: a correction of an investigation record is refused for the words it may change.

57a refused a correction of evidence whose merged record named a reporter of the case's leads,
the attachment's file name included. That name is what the file was called when it was
registered and no correction may change it (证据 corrects 名称, 说明, 取得日期 only); an
attachment registered by one who holds no key (「甄秘密来信.pdf」, not checked: he cannot open
the reporter) made every later correction of that evidence refused, its 取得日期 too — a
refusal no correction could meet. The words a correction may change are still refused.
"""

from __future__ import annotations

from datetime import date

from tests.unit.test_rev57a_record_words import _opened
from tests.unit.test_review52b_case_words import _lead, _refused, site  # noqa: F401


def test_evidence_whose_file_name_no_one_can_correct_still_takes_a_corrected_date(  # type: ignore[no-untyped-def]
    site,  # noqa: F811
    tmp_path,
) -> None:
    admin, officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    letter = tmp_path / "甄秘密来信.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    eid = officer.cases.add_evidence(
        cid, "群众来信", collected_on=date(2026, 3, 10), attachment=letter
    )
    new = admin.cases.correct_evidence(eid, "取得日期录错", collected_on=date(2026, 3, 9))
    assert [e.collected_on for e in admin.queries.get_case(cid).evidence] == [date(2026, 3, 9)]
    # what a correction may change is still refused when it names the reporter
    _refused(lambda: admin.cases.correct_evidence(new, "补正名称", title="甄秘密来信"), "evidence")


def test_a_review_application_or_decision_naming_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """57a's records forgot the review's: the 复核请求及理由 and the 复核决定's facts and reasons
    stand in the case's detail and are stated by the 复核决定书 the subject is served
    (「申请人称…」, 「经复核查明…」) — refused as a 陈述申辩 is, at registration, at
    correction and when a lead with that reporter is linked to the case afterwards."""
    from app.domain.enums import ReviewOutcome
    from app.domain.lifecycle import Stage
    from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
    from tests.helpers.builders import advance

    admin, _officer, world = site
    cid = advance(admin, world, Stage.SERVED)
    admin.leads.link_lead(_lead(admin), cid)  # a further report on the case
    did = next(d.id for d in admin.queries.get_case(cid).decisions_in_force() if d.sanction_kind)
    told = "认为系甄秘密挟私报复举报，请求撤销处分"
    _refused(
        lambda: admin.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), told)),
        "review_application",
    )
    app_id, _late = admin.cases.apply_review(
        did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    _refused(
        lambda: admin.cases.correct_review_application(app_id, "补记", grounds=told),
        "review_application",
    )
    admin.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    said = "经复核，甄秘密反映的问题属实"
    for spec in (
        ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, said, "经复核"),
        ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "理由不能成立", said),
    ):
        _refused(lambda spec=spec: admin.cases.decide_review(app_id, spec), "review_decision")
    rd, _n = admin.cases.decide_review(
        app_id,
        ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.UPHOLD, "理由不能成立", "经复核"),
    )
    _refused(lambda: admin.cases.correct_review_decision(rd, "补记", facts=said), "review_decision")


def test_a_lead_is_not_linked_to_a_case_whose_review_names_its_reporter(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    from app.domain.lifecycle import Stage
    from app.domain.rules import ReviewApplicationSpec
    from tests.helpers.builders import advance

    admin, _officer, world = site
    cid = advance(admin, world, Stage.SERVED)  # no lead yet: nothing to keep out
    did = next(d.id for d in admin.queries.get_case(cid).decisions_in_force() if d.sanction_kind)
    told = "认为系甄秘密挟私报复举报，请求撤销处分"
    admin.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), told))
    lid = _lead(admin)
    _refused(lambda: admin.leads.link_lead(lid, cid), "review_application")
    assert admin.leads.get_lead(lid).case_id is None


def test_the_batch_demo_refuses_a_review_naming_the_reporter(svc) -> None:  # type: ignore[no-untyped-def]
    """The batch writer applies the plans through the same rules (app.services.bulk)."""
    from dataclasses import replace

    import pytest

    from app.domain.rules import RuleViolation
    from app.services.bulk import BatchDemo
    from app.services.demo import ApplyReview, demo_plans, run_plan

    plan = next(
        p for p in demo_plans(svc, 60, seed=7)
        if any(isinstance(a, ApplyReview) for a in p.acts) and any(x.reporter for x in p.leads)
    )  # fmt: skip
    name = next(x.reporter.name for x in plan.leads if x.reporter)
    acts = [
        replace(a, spec=replace(a.spec, grounds=f"认为系{name}举报报复")) if isinstance(a, ApplyReview) else a
        for a in plan.acts
    ]  # fmt: skip
    bad = replace(plan, acts=acts)
    for run in (lambda: run_plan(svc, bad), lambda: BatchDemo(svc.ctx, svc).write([bad])):
        with pytest.raises(RuleViolation) as refused:
            run()
        assert "依据第十条" in str(refused.value) and name not in str(refused.value)
        assert refused.value.field == "review_application"
