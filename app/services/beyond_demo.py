"""Demo data for issue 16: leads in every disposition, released sanctions, a roster number.

``add_beyond_demo(svc, rng)`` runs after the demo cases (``make_demo``) through the same
services and rules: it registers leads that did not become cases and disposes of most of
them in the five ways (初核 and 函询 completed or still open, some left undisposed so the
due list is not empty), and releases about two thirds of the sanctions whose period has
ended (开除 never). Reporter identities on these leads are sealed like the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.domain.enums import DocumentKind, LeadChannel, LeadSource
from app.domain.leads_disposition import Approval, CompletionSpec, DispositionKind, DispositionSpec
from app.domain.release import ReleaseSpec
from app.domain.rules import RuleViolation
from app.services.base import ServiceError
from app.services.demo_dates import workday_roll
from app.services.vault import ReporterIdentity

WAYS = (
    (DispositionKind.CLOSE, 3),
    (DispositionKind.TALK, 3),
    (DispositionKind.VERIFY, 2),
    (DispositionKind.SHELVE, 1),
    (DispositionKind.PROPOSE, 1),
)
TOPICS = (
    "反映执法人员对占道经营投诉推诿不办",
    "反映执法中队查处违建超出法定期限",
    "反映执法人员执法时未出示证件",
    "反映某科室对群众来信答复不及时",
    "反映执法人员对渣土运输违规行为放任不管",
    "反映执法中队罚没物品登记不规范",
)
APPROVERS = ("纪委书记 周正", "局党组书记 李明", "纪委副书记 孙立")
CONDUCT = (
    "受处分期间能正确对待处分，认真整改，工作表现良好",
    "受处分期间深刻反思，积极改进工作作风，群众反映较好",
)


@dataclass
class BeyondDemoResult:
    leads: int = 0
    dispositions: int = 0
    releases: int = 0
    notices: int = 0


def _approval(rng: random.Random, day: date, n: int) -> Approval:
    ref = rng.choice(("纪委会议纪要", "线索处置签批单"))
    return Approval(day, rng.choice(APPROVERS), f"{ref}〔{day.year}〕{n}号")


def add_beyond_demo(
    svc: Any, rng: random.Random, *, leads: int = 24, releases: int | None = None
) -> BeyondDemoResult:
    from app.services.dispositions import DispositionService
    from app.services.releases import ReleaseService

    ds = getattr(svc, "dispositions", None) or DispositionService(svc.ctx, svc)
    rs = getattr(svc, "releases", None) or ReleaseService(svc.ctx, svc)
    today = svc.ctx.today()
    workday = workday_roll(svc.masterdata.calendar())  # where a meeting or a 签批 falls
    out = BeyondDemoResult()
    ways = [w for w, _n in WAYS]
    weights = [n for _w, n in WAYS]
    for i in range(leads):
        received = today - timedelta(days=rng.randint(2, 300))
        lead_id = svc.leads.register_lead(
            received_on=received,
            source=rng.choice(list(LeadSource)),
            channel=rng.choice(list(LeadChannel)),
            content=rng.choice(TOPICS) + "的问题。",
            reporter=ReporterIdentity(name="群众", phone=f"1390631{rng.randint(0, 9999):04d}")
            if rng.random() < 0.5
            else None,
        )
        out.leads += 1
        if i % 8 == 0:
            continue  # left undisposed: the due list shows it
        age = (today - received).days
        day = workday(received + timedelta(days=min(age, rng.randint(1, 25))))
        way = ways[i % len(ways)] if i < 10 else rng.choices(ways, weights)[0]
        try:
            spec = DispositionSpec(
                way,
                _approval(rng, day, i + 1),
                reason={
                    DispositionKind.CLOSE: "经研判，反映问题不具体、无可查性",
                    DispositionKind.SHELVE: "反映问题暂不具备核查条件",
                    DispositionKind.PROPOSE: "反映问题具体，可查性强",
                }.get(way, ""),
                revisit_on=day + timedelta(days=90) if way is DispositionKind.SHELVE else None,
            )
            ds.dispose(lead_id, spec)
            out.dispositions += 1
            left = (today - day).days
            if way.stays_open and left > 20 and rng.random() < 0.7:
                done = workday(day + timedelta(days=rng.randint(5, min(left - 2, 50))))
                outcome = DispositionKind.CLOSE if rng.random() < 0.6 else DispositionKind.PROPOSE
                text = (
                    "经初步核实，反映的主要问题基本属实，建议拟立案。"
                    if outcome is DispositionKind.PROPOSE
                    else "经核实，反映问题不属实。"
                )
                completion = CompletionSpec(
                    done,
                    text if way is DispositionKind.VERIFY else "本人已作书面说明，经核实说明属实。",
                    outcome,
                    _approval(rng, workday(done + timedelta(days=1)), i + 100),
                    reason="反映不实，予以了结" if outcome is DispositionKind.CLOSE else "",
                )
                if way is DispositionKind.VERIFY:
                    ds.record_verification_report(lead_id, completion)
                else:
                    ds.record_talk(lead_id, completion)
                out.dispositions += 1
        except (RuleViolation, ServiceError):
            continue  # an unlucky draw of dates: the lead stays as it is
    for n, row in enumerate(rs.due_releases()):
        if releases is not None and out.releases >= releases:
            break  # one transaction each: a large demo leaves the rest due
        if n % 3 != 2 and row.sanction_end is not None:  # two in three; one stays due
            # released by law the day after its period (第六十五条); the officer confirms it,
            # and the notice is dated, on the first working day from then (an office act)
            released = workday(row.sanction_end + timedelta(days=1))
            try:
                rid = rs.release(
                    row.decision_id,
                    ReleaseSpec(released, rng.choice(CONDUCT), rng.choice(APPROVERS)),
                )
                out.releases += 1
            except (RuleViolation, ServiceError):
                continue
            # 《公务员法》第六十五条: the release is notified in writing — issued (numbered,
            # frozen, verification code) as the bureau would, like every demo case's papers.
            svc.documents.issue_document(row.case_id, DocumentKind.RELEASE_NOTICE, rid)
            out.notices += 1
    return out
