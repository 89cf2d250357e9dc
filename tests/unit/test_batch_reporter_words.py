"""第十条 on the batch path: the demo's plans go through the rules the services apply, so a
plan whose lead content or case summary names the lead's reporter is refused by
``wenze demo``'s batch writer as by register_lead / propose_case (review 52b added the
summary's rule to the services; the batch path took neither rule), and nothing is written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.enums import LeadChannel, LeadSource, ResponsibilityType, StatementKind
from app.domain.lifecycle import Stage
from app.domain.rules import InitiationSpec, ReportItemSpec, ReportSpec, RuleViolation
from app.services.bulk import BatchDemo
from app.services.demo import Assign, CasePlan, Hear, Initiate, LeadAct, Propose, Report, run_plan
from app.services.vault import ReporterIdentity
from app.storage import models as m
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, proposal, seed_world

REPORTER = ReporterIdentity(name="甄秘密", phone="13912345678")
TOLD = "甄秘密（139 1234 5678）来信反映城区一中队推诿。"


def _plan(world, *, content: str = "反映推诿。", summary: str | None = None) -> CasePlan:  # type: ignore[no-untyped-def]
    lead = LeadAct(date(2026, 3, 1), LeadSource.REPORT, LeadChannel.LETTER, content, REPORTER)
    spec = proposal(world, lead_ids=(0,))
    if summary is not None:
        spec = replace(spec, summary=summary)
    return CasePlan(Stage.PROPOSED, [lead], [Propose(spec)])


def _count(svc, model) -> int:  # type: ignore[no-untyped-def]
    with svc.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("where", ["summary", "content"])
def test_a_plan_naming_its_reporter_is_refused_on_both_paths(svc, where: str) -> None:  # type: ignore[no-untyped-def]
    world = seed_world(svc)
    bad = _plan(world, summary=TOLD) if where == "summary" else _plan(world, content=TOLD)
    for run in (lambda: run_plan(svc, bad), lambda: BatchDemo(svc.ctx, svc).write([bad])):
        with pytest.raises(RuleViolation) as refused:
            run()
        text = str(refused.value)
        assert "依据第十条" in text and "甄秘密" not in text and "13912345678" not in text, text
    if where == "summary":  # the service registered the lead before the proposal's refusal
        assert _count(svc, m.Case) == 0
    else:
        assert _count(svc, m.Lead) == _count(svc, m.Case) == 0
    BatchDemo(svc.ctx, svc).write([_plan(world)])  # the same plan in other words goes through
    assert _count(svc, m.Case) == 1


def _reported_plan(world, findings: str) -> CasePlan:  # type: ignore[no-untyped-def]
    """A case of a lead with REPORTER, investigated and reported with ``findings``."""
    lead = LeadAct(date(2026, 3, 1), LeadSource.REPORT, LeadChannel.LETTER, "反映推诿。", REPORTER)
    items = [
        ReportItemSpec(0, ResponsibilityType.DIRECT, SQUAD_SANCTION),
        ReportItemSpec(1, ResponsibilityType.PRINCIPAL_LEADERSHIP, LEADER_SANCTION),
    ]
    return CasePlan(
        Stage.REPORTED,
        [lead],
        [
            Propose(proposal(world, lead_ids=(0,))),
            Initiate(
                InitiationSpec(
                    date(2026, 3, 5), "党组会议纪要〔2026〕7号", True, investigation_days=30
                )
            ),
            *(Assign(p, on=date(2026, 3, 5)) for p in world.staff[:2]),
            *(Hear(i, StatementKind.DEFENCE, date(2026, 3, 20), "无异议") for i in (0, 1)),
            Report(ReportSpec(date(2026, 3, 25), findings, "第七条第（五）项、第十一条", items)),
        ],
    )


def test_a_report_naming_its_reporter_is_refused_on_both_paths(svc) -> None:  # type: ignore[no-untyped-def]
    """Review rev56e: the report's 认定事实 is searched with the summary (第十条)."""
    world = seed_world(svc)
    bad = _reported_plan(world, "经查，" + TOLD)
    for run in (lambda: run_plan(svc, bad), lambda: BatchDemo(svc.ctx, svc).write([bad])):
        with pytest.raises(RuleViolation) as refused:
            run()
        text = str(refused.value)
        assert "依据第十条" in text and "甄秘密" not in text and "13912345678" not in text, text
    # The service wrote the acts before the report's refusal; the batch wrote nothing.
    assert _count(svc, m.Case) == 1
    BatchDemo(svc.ctx, svc).write([_reported_plan(world, "经查属实。")])
    assert _count(svc, m.Case) == 2
