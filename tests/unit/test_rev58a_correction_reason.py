"""Review 58a: a correction's reason names no reporter of the case's leads (第十条).

The reason of a correction is kept twice: on the old version (``correction_reason``) and in
the audit record's ``after`` — both in clear in ``wenze.db``, which the threat model says a
copied file does not reveal a reporter from. Evidence, 陈述申辩 and 配合调查 words naming a
reporter were refused at correction since 57a; their correction's reason («举报人甄秘密来电
指出日期有误») was written unchecked. Now it is refused as the words are, naming nothing of
the reporter, however written (spaces between its characters, full-width digits). A case's
作废理由 and its 延长办案期限's reason, kept in clear the same way, are refused too (a lead's
作废理由 has been checked since 57a: 「the reason is listed with the lead and kept in the audit
trail」).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import StatementKind
from app.storage.models import AuditRecord
from tests.unit.test_rev57a_record_words import _opened
from tests.unit.test_review52b_case_words import _lead, _refused, site  # noqa: F401

SAID = ["举报人甄秘密来电指出有误", "据 甄 秘 密 反映", "１３９１２３４５６７８来电"]


def _trail(svc) -> str:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return "\n".join(str(a.after) for a in s.scalars(select(AuditRecord)))


@pytest.mark.parametrize("reason", SAID)
def test_a_correction_reason_naming_the_reporter_is_refused(site, reason: str) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    sub = admin.queries.get_case(cid).subjects[0].id
    eid = admin.cases.add_evidence(cid, "群众来信", collected_on=date(2026, 3, 10))
    sid = admin.cases.record_statement(
        cid, sub, kind=StatementKind.DEFENCE, made_on=date(2026, 3, 20), content="无异议"
    )
    fid = admin.cases.record_conduct(
        cid, sub, cooperative=True, description="如实说明情况", found_on=date(2026, 3, 21)
    )
    _refused(lambda: admin.cases.correct_evidence(eid, reason, title="群众来信及信封"), "reason")
    _refused(lambda: admin.cases.correct_statement(sid, reason, content="无异议。"), "reason")
    _refused(lambda: admin.cases.correct_conduct(fid, reason, description="如实说明。"), "reason")
    _refused(
        lambda: admin.cases.correct_proposal(cid, reason, summary="未按规定办理审批手续。"),
        "reason",
    )
    assert "甄秘密" not in _trail(admin) and "13912345678" not in _trail(admin)
    case = admin.queries.get_case(cid)
    assert [e.title for e in case.evidence] == ["群众来信"]
    # The same correction with a reason that names no one is made.
    assert admin.cases.correct_evidence(eid, "名称补全", title="群众来信及信封")


def test_one_without_the_key_is_not_refused_what_he_cannot_check(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    admin, officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    eid = admin.cases.add_evidence(cid, "群众来信", collected_on=date(2026, 3, 10))
    assert officer.cases.correct_evidence(eid, "甄秘密指出", title="群众来信及信封")


def test_a_void_or_time_limit_reason_naming_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """作废 and 延长办案期限 keep their reason with the case and in the audit record too (a
    lead's 作废理由 has been checked since 57a)."""
    admin, _officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    limit = admin.cases.extend_time_limit
    _refused(lambda: limit(cid, approved_on=date(2026, 3, 20), reason="甄秘密 反映情况复杂"),
             "time_limit_reason")  # fmt: skip
    _refused(lambda: admin.cases.void_case(cid, "举报人甄秘密撤回举报"), "void_reason")
    assert "甄秘密" not in _trail(admin)
    assert not admin.queries.get_case(cid).voided
    admin.cases.void_case(cid, "举报人撤回举报")
    assert admin.queries.get_case(cid).voided


def test_a_decision_correction_reason_naming_the_reporter_is_refused(site) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """The 问责决定 is corrected on its own path (a new number), its reason checked the same."""
    from app.domain.lifecycle import Stage
    from app.domain.rules import SanctionSpec
    from tests.helpers.builders import advance
    from tests.unit.test_lifecycle_services import decision

    admin, _officer, world = site
    cid = advance(admin, world, Stage.DECIDED)
    admin.leads.link_lead(_lead(admin), cid)
    old = admin.queries.get_case(cid).decisions_in_force()[1]
    lighter = decision(
        old.subject_id, SanctionSpec.of("予以问责", ["行政处分"], "警告", reasons="更正")
    )
    _refused(lambda: admin.cases.correct_decision(old.id, lighter, "甄秘密指出处分过重"), "reason")
    assert admin.cases.correct_decision(old.id, lighter, "处分种类笔误")
