"""Review 57g: the last free texts that reach the subject's papers name no reporter (第十条).

57a refused an evidence title, a 陈述申辩, the conduct found and the report's 调查经过 or 态度
naming a reporter of the case's leads when saved, corrected or when such a lead is linked. Four
texts the subject's papers state were still checked only when a document was issued: the
送达回证's 受送达人 and 见证人 (a service record), a report item's 从轻减轻情节 (the 调查报告 and
问责决定书: 「…主动向甄秘密道歉…，可以在处理时予以考虑」), an extension's 延期理由 (the 调查报告's
调查经过: 「调查期限延长至…（…）」) and a recusal's grounds (the 回避决定书). They stood in the
case's records read by every user who may see the case. Now they are refused as the others
are — at save, at correction (the service record), on the batch demo path and when a lead with
that reporter is linked afterwards — naming nothing of the reporter; one holding no key is not
refused (he cannot be checked).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.enums import DocumentKind, RecusalMode, RecusalVerdict, ServiceMethod
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec, RuleViolation, ServiceSpec
from app.storage import models as m
from tests.helpers.builders import advance, investigate, report_spec
from tests.unit.test_rev57a_record_words import _opened
from tests.unit.test_review52b_case_words import _lead, _refused, site  # noqa: F401

#: A 留置送达 witnessed by a neighbour; the words below put the reporter in its place.
LEFT = ServiceSpec(
    datetime(2026, 4, 3, 9, 30), "王喆家中", ServiceMethod.LEFT_AT_PREMISES, "李梅（王喆之妻）",
    ["纪晓岚", "崔明远"], witness="社区工作人员刘文华", refusal_reason="拒绝签收",
)  # fmt: skip
NAMED = "社区工作人员甄秘密"


def _count(svc, model) -> int:  # type: ignore[no-untyped-def]
    with svc.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def _issued_leader(svc, world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A decided case whose leader's 问责决定书 is issued, not served: (case, decision)."""
    cid = advance(svc, world, Stage.DECIDED)
    d = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    return cid, d.id


def _recusal(world, grounds: str) -> RecusalSpec:  # type: ignore[no-untyped-def]
    return RecusalSpec(
        world.staff[2], "调查人员", RecusalMode.SELF, "尹正清", grounds, RecusalVerdict.GRANTED,
        date(2026, 3, 8),
    )  # fmt: skip


def test_a_service_whose_recipient_or_witness_names_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid, did = _issued_leader(admin, world)
    admin.leads.link_lead(_lead(admin), cid)
    _refused(lambda: admin.cases.record_service(did, replace(LEFT, witness=NAMED)), "service")
    wife = replace(LEFT, recipient="甄秘密（王喆之妻）")
    _refused(lambda: admin.cases.record_service(did, wife), "service")
    assert _count(admin, m.Service) == 0
    sid, _ = admin.cases.record_service(did, LEFT)
    _refused(lambda: admin.cases.correct_service(sid, "见证人写错", witness=NAMED), "service")
    with admin.ctx.db.read() as s:  # one version, as recorded
        assert s.scalars(select(m.Service.witness)).all() == ["社区工作人员刘文华"]


def test_a_report_item_whose_mitigation_names_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    spec = report_spec(investigate(admin, world, cid))
    told = "主动向举报人甄秘密赔礼道歉"
    items = [spec.items[0], replace(spec.items[1], mitigation=told)]
    _refused(lambda: admin.cases.submit_report(cid, replace(spec, items=items)), "mitigation")
    assert admin.queries.get_case(cid).report is None and _count(admin, m.ReportItem) == 0
    items[1] = replace(spec.items[1], mitigation="主动纠正错误")
    assert admin.cases.submit_report(cid, replace(spec, items=items))


def test_an_extension_whose_reason_names_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    before = admin.queries.get_case(cid).investigation_deadline

    def extend(reason: str):  # type: ignore[no-untyped-def]
        return admin.cases.extend_investigation(
            cid, new_deadline=date(2026, 5, 20), approved_on=date(2026, 4, 1), reason=reason
        )

    _refused(lambda: extend("甄秘密（139 1234 5678）补充反映新情况，需进一步核实"), "extension")
    assert admin.queries.get_case(cid).investigation_deadline == before
    assert _count(admin, m.Extension) == 0
    assert extend("案情复杂，需进一步核实")


def test_a_recusal_whose_grounds_name_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    admin.cases.assign_investigator(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    _refused(
        lambda: admin.cases.record_recusal(cid, _recusal(world, "与举报人甄秘密系近亲属")),
        "recusal",
    )
    assert _count(admin, m.Recusal) == 0
    assert admin.cases.record_recusal(cid, _recusal(world, "与问责对象系近亲属"))


def _with_service(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid, did = _issued_leader(svc, world)
    svc.cases.record_service(did, replace(LEFT, witness=NAMED))
    return cid


def _with_mitigation(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = _opened(svc, world, [])
    spec = report_spec(investigate(svc, world, cid))
    items = [spec.items[0], replace(spec.items[1], mitigation="已向甄秘密道歉")]
    svc.cases.submit_report(cid, replace(spec, items=items))
    return cid


def _with_extension(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = _opened(svc, world, [])
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 20), approved_on=date(2026, 4, 1), reason="甄秘密补充反映"
    )
    return cid


def _with_recusal(svc, world) -> int:  # type: ignore[no-untyped-def]
    cid = _opened(svc, world, [])
    svc.cases.assign_investigator(
        cid, world.staff[2], declared_no_conflict=True, declared_on=date(2026, 3, 5)
    )
    svc.cases.record_recusal(cid, _recusal(world, "与甄秘密系近亲属"))
    return cid


@pytest.mark.parametrize(
    ("made", "field"),
    [
        (_with_service, "service"),
        (_with_mitigation, "mitigation"),
        (_with_extension, "extension"),
        (_with_recusal, "recusal"),
    ],
)
def test_a_lead_is_not_linked_to_a_case_whose_records_name_its_reporter(  # type: ignore[no-untyped-def]
    site,  # noqa: F811
    made,
    field: str,
) -> None:
    admin, _officer, world = site
    cid = made(admin, world)  # no lead yet: nothing to keep out
    lid = _lead(admin)
    _refused(lambda: admin.leads.link_lead(lid, cid), field)
    assert admin.leads.get_lead(lid).case_id is None


def test_one_without_the_key_is_not_refused_what_he_cannot_check(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    assert officer.cases.extend_investigation(
        cid, new_deadline=date(2026, 5, 20), approved_on=date(2026, 4, 1), reason="甄秘密补充反映"
    )


@pytest.mark.parametrize("what", ["recusal", "mitigation", "service"])
def test_the_batch_demo_refuses_them_as_the_services_do(svc, what: str) -> None:  # type: ignore[no-untyped-def]
    """The batch writer applies the plans through the same rules (app.services.bulk)."""
    from app.domain.rules import DecisionSpec
    from app.services.bulk import BatchDemo
    from app.services.demo import Assign, Decide, Issue, Recuse, Report, Serve, run_plan
    from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, seed_world
    from tests.unit.test_batch_reporter_words import _reported_plan

    world = seed_world(svc)
    told_witness = replace(LEFT, witness=NAMED)
    plan = _reported_plan(world, "经查属实。")
    acts = list(plan.acts)
    if what == "recusal":
        recuse = Recuse(_recusal(world, "与甄秘密系近亲属"))
        acts = [*acts[:-1], Assign(world.staff[2], on=date(2026, 3, 5)), recuse, acts[-1]]
    elif what == "mitigation":
        spec = acts[-1].spec
        told = replace(spec.items[1], mitigation="已向甄秘密道歉")
        acts[-1] = Report(replace(spec, items=[spec.items[0], told]))
    else:
        decided = [
            Decide(
                DecisionSpec(
                    who, date(2026, 4, 1), date(2026, 4, 1), "党组会议纪要〔2026〕9号", sanction,
                    "经查，该中队对投诉推诿塞责。", "第七条第（五）项、第十一条",
                )
            )
            for who, sanction in ((0, SQUAD_SANCTION), (1, LEADER_SANCTION))
        ]  # fmt: skip
        served = [Issue(DocumentKind.DECISION, ("decision", 1)), Serve(1, told_witness)]
        acts += [*decided, *served]
    bad = replace(plan, acts=acts, target=Stage.DECIDED if what == "service" else plan.target)
    for run in (lambda: run_plan(svc, bad), lambda: BatchDemo(svc.ctx, svc).write([bad])):
        with pytest.raises(RuleViolation) as refused:
            run()
        assert "依据第十条" in str(refused.value) and "甄秘密" not in str(refused.value)


@pytest.mark.parametrize(
    "words",
    [
        {"place": "举报人甄秘密家中"},
        {"refusal_reason": "称不认识甄秘密，拒绝签收"},
        {"note": "甄秘密（139 1234 5678）在场"},
    ],
)
def test_the_service_proofs_other_words_name_no_reporter_either(site, words: dict) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """The 送达回证 prints the 送达地点, 拒收事由 and 备注 beside the 受送达人 and 见证人."""
    admin, _officer, world = site
    cid, did = _issued_leader(admin, world)
    admin.leads.link_lead(_lead(admin), cid)
    _refused(lambda: admin.cases.record_service(did, replace(LEFT, **words)), "service")
    sid, _ = admin.cases.record_service(did, LEFT)
    _refused(lambda: admin.cases.correct_service(sid, "补记", **words), "service")
    assert _count(admin, m.Service) == 1
