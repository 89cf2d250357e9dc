"""Review 57a: the investigation's records name no reporter of the case's leads (第十条).

The report's 认定事实 and the decisions' facts were refused at save when they brought a
reporter into the case search; the case's 问题摘要 and 提出人 too. An evidence title
(「甄秘密举报信」), its description, a subject's 陈述申辩 and the conduct found were not: they
stand in the case's detail and 案件办理记录, and the 调查报告 and the 问责决定书 served on the
subject state them (「证据有：…」, 「在陈述申辩中提出：…」). Now they are refused as the
summary is — at registration, at correction, and when a lead with that reporter is linked to
the case afterwards — naming nothing of the reporter; one who holds no key is not refused.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import StatementKind
from app.domain.rules import InitiationSpec, RuleViolation
from tests.helpers.builders import proposal
from tests.unit.test_review52b_case_words import REPORTER, _lead, _refused, site  # noqa: F401


def _opened(svc, world, lead_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    cid = svc.cases.propose_case(proposal(world, lead_ids=lead_ids))
    spec = InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", True, investigation_days=30)
    svc.cases.decide_initiation(cid, spec)
    return cid


def _counts(svc, cid: int) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    case = svc.queries.get_case(cid)
    return len(case.evidence), len(case.statements), len(case.conduct)


def test_evidence_naming_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    _refused(lambda: admin.cases.add_evidence(cid, "甄秘密举报信"), "evidence")
    # Written as the input method gives it: full-width digits with spaces.
    _refused(
        lambda: admin.cases.add_evidence(
            cid, "来电记录", description="来电号码１３９ １２３４ ５６７８"
        ),
        "evidence",
    )
    assert _counts(admin, cid) == (0, 0, 0)
    eid = admin.cases.add_evidence(cid, "群众来信", collected_on=date(2026, 3, 10))
    _refused(lambda: admin.cases.correct_evidence(eid, "补正名称", title="甄秘密来信"), "evidence")
    assert [e.title for e in admin.queries.get_case(cid).evidence] == ["群众来信"]


def test_an_attachment_whose_file_name_names_the_reporter_is_refused(site, tmp_path) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """Its name is listed with the evidence and kept in the audit record (the file itself is
    stored under its digest)."""
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    letter = tmp_path / "甄秘密来信.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    _refused(lambda: admin.cases.add_evidence(cid, "群众来信", attachment=letter), "evidence")
    assert _counts(admin, cid) == (0, 0, 0)
    assert not list((tmp_path / "attachments").rglob("*.pdf"))  # no copy left behind
    plain = tmp_path / "来信.pdf"
    plain.write_bytes(b"%PDF-1.4 letter")
    assert admin.cases.add_evidence(cid, "群众来信", attachment=plain)


def test_a_statement_or_conduct_naming_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    sub = admin.queries.get_case(cid).subjects[0].id
    said = "我怀疑是甄秘密挟私报复。"
    _refused(
        lambda: admin.cases.record_statement(
            cid, sub, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content=said
        ),
        "statement",
    )
    _refused(
        lambda: admin.cases.record_conduct(
            cid,
            sub,
            cooperative=False,
            description="打电话给甄秘密施压",
            found_on=date(2026, 3, 21),
        ),
        "conduct",
    )
    assert _counts(admin, cid) == (0, 0, 0)
    sid = admin.cases.record_statement(
        cid, sub, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
    )
    _refused(lambda: admin.cases.correct_statement(sid, "补记", content=said), "statement")


def test_a_lead_is_not_linked_to_a_case_whose_records_name_its_reporter(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [])  # no lead yet: nothing to keep out
    admin.cases.add_evidence(cid, "甄秘密来信及信封")
    lid = _lead(admin)
    _refused(lambda: admin.leads.link_lead(lid, cid), "evidence")
    assert admin.leads.get_lead(lid).case_id is None


def test_one_without_the_key_is_not_refused_what_he_cannot_check(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    assert officer.cases.add_evidence(cid, "甄秘密举报信")


@pytest.mark.parametrize("title", ["询问笔录", "群众来信", "城区一中队考勤表"])
def test_other_words_are_registered(site, title: str) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    assert admin.cases.add_evidence(cid, title)
    assert REPORTER.name not in title


@pytest.mark.parametrize("what", ["statement", "evidence"])
def test_the_batch_demo_refuses_them_as_the_services_do(svc, what: str) -> None:  # type: ignore[no-untyped-def]
    """The batch writer applies the plans through the same rules (app.services.bulk)."""
    from dataclasses import replace

    from app.services.bulk import BatchDemo
    from app.services.demo import AddEvidence, Hear, run_plan
    from tests.helpers.builders import seed_world
    from tests.unit.test_batch_reporter_words import TOLD, _reported_plan

    plan = _reported_plan(seed_world(svc), "经查属实。")
    if what == "statement":
        acts = [replace(a, content=TOLD) if isinstance(a, Hear) else a for a in plan.acts]
    else:
        letter = AddEvidence("甄秘密来信", "", date(2026, 3, 10))
        acts = [*plan.acts[:-1], letter, plan.acts[-1]]  # before the report
    bad = replace(plan, acts=acts)
    for run in (lambda: run_plan(svc, bad), lambda: BatchDemo(svc.ctx, svc).write([bad])):
        with pytest.raises(RuleViolation) as refused:
            run()
        assert "依据第十条" in str(refused.value) and "甄秘密" not in str(refused.value)


def test_a_report_whose_course_or_attitude_names_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """The 调查经过 (「询问了举报人甄秘密」) and 态度 stand in the 调查报告, as the findings do."""
    from dataclasses import replace

    from tests.helpers.builders import investigate, report_spec

    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    case = investigate(admin, world, cid)
    spec = report_spec(case)
    told = "调查组询问了举报人甄秘密，调取了执法记录。"
    _refused(lambda: admin.cases.submit_report(cid, replace(spec, course=told)), "report")
    _refused(lambda: admin.cases.submit_report(cid, replace(spec, attitude=told)), "report")
    assert admin.queries.get_case(cid).report is None
    rid = admin.cases.submit_report(cid, replace(spec, course="调查组调取了执法记录。"))
    _refused(lambda: admin.cases.correct_report(rid, "补记", course=told), "report")
