"""第十条: the last free texts of a case kept unchecked for a reporter's name.

A 解除处分 record's 受处分期间表现 is printed in the 解除处分通知书 the person is sent
(「…对甄秘密反映的问题认真整改，受处分期间没有再发生违纪违法行为」), and its 备注 stands in
the case's detail; a correction of it keeps its reason with the old version and in the audit
record; the 结案说明 stands in the case's history and audit record. None was checked against
the reporters of the case's leads, at save, at correction, or when such a lead was linked
later. Now each is refused as the case's other records are, naming nothing of the reporter.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from app.storage import models as m
from tests.helpers.builders import advance
from tests.unit.test_rev53c_notice_saved import _released
from tests.unit.test_rulebook_review4a import warned

REPORTER = ReporterIdentity(name="甄秘密", phone="13912345678")


def _link(svc, cid: int) -> int:  # type: ignore[no-untyped-def]
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=REPORTER,
    )  # fmt: skip
    svc.leads.link_lead(lead, cid)
    return lead


def _refused(call, field: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as refused:
        call()
    said = str(refused.value)
    assert said.startswith("依据第十条") and "甄秘密" not in said and "13912345678" not in said
    assert refused.value.field == field, (refused.value.field, said)
    return said


def _rows(svc, model) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_release_whose_conduct_or_note_names_the_reporter_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, leader = warned(svc, world)
    _link(svc, cid)
    for conduct, note in (("对甄秘密反映的问题认真整改", ""), ("有悔改表现", "据13912345678来电")):
        spec = ReleaseSpec(date(2026, 10, 5), conduct, "纪委书记", note=note)
        _refused(lambda spec=spec: svc.releases.release(leader.id, spec), "release")
    assert _rows(svc, m.SanctionRelease) == 0  # nothing written
    rel = svc.releases.release(leader.id, ReleaseSpec(date(2026, 10, 5), "有悔改表现", "纪委书记"))
    said = _refused(
        lambda: svc.releases.correct_release(rel, "更正表现", conduct="向甄 秘 密道歉"), "release"
    )
    assert "解除处分" in said
    _refused(lambda: svc.releases.correct_release(rel, "甄秘密指出有误", note="补记"), "reason")
    assert _rows(svc, m.SanctionRelease) == 1
    svc.releases.correct_release(rel, "表述更正", conduct="认真整改，有悔改表现")  # allowed
    assert _rows(svc, m.SanctionRelease) == 2


def test_a_lead_is_not_linked_where_a_release_names_its_reporter(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, _rel = _released(svc, world, "对甄秘密反映的问题认真整改")  # no reporter on file yet
    said = _refused(lambda: _link(svc, cid), "release")
    assert "请先更正该案件的解除处分记录" in said
    with svc.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Lead).where(m.Lead.case_id == cid)) == 0


def test_a_close_note_naming_the_reporter_is_refused(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    _link(svc, cid)
    _refused(
        lambda: svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="甄秘密已知悉"),
        "close_note",
    )
    assert svc.queries.get_case(cid).stage is Stage.SERVED
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1), note="复核期限届满")
    assert svc.queries.get_case(cid).stage is Stage.CLOSED
