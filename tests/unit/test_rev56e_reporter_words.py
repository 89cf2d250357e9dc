"""Review rev56e: a reporter's identity (第十条) in words every user reads or searches.

- A reporter written onto a lead (修改线索) after a 处置理由 or 初核报告 of that lead named him
  stood: the disposition texts, listed with the lead to every user, then carried him. Writing
  the reporter is refused as writing such a text afterwards is.
- The case search finds a case by its 调查报告's 认定事实 and its decisions' facts as by its
  问题摘要: a 纪检干事 without 查看举报人信息 found the case by typing the reporter's name. An act
  whose words bring a reporter of the case's leads into what the search reads is refused; a
  lead linked to a case whose report already names its reporter is refused too. A subject
  who shares the reporter's name (already in what the search reads) refuses nothing.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.domain.enums import UserRole
from app.domain.leads_disposition import Approval, DispositionSpec
from app.domain.lifecycle import Stage
from app.domain.rules import DecisionSpec, RuleViolation
from app.services.listing import CaseFilter
from app.services.vault import ReporterIdentity
from tests.helpers.accounts import admin_and
from tests.helpers.builders import LEADER_SANCTION, advance, investigate, report_spec, seed_world
from tests.unit.test_trust_users import OFFICER_PW

WHO = ReporterIdentity(name="萧秘密", phone="13900000000")
OK = Approval(date(2026, 3, 1), "纪委书记 周正", "纪委会议纪要〔2026〕12号")
NAMED = "经查，萧秘密（139 0000 0000）反映的推诿属实。"


@pytest.fixture
def site(db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """(管理员甲, who holds the reporter key; 张干事, a 纪检干事 who does not; the world)."""
    admin, officer, _uid = admin_and(
        db, tmp_path, clock, "zhang", "张干事", UserRole.OFFICER, OFFICER_PW
    )
    return admin, officer, seed_world(admin)


def _lead(svc, reporter: ReporterIdentity | None = WHO) -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 2, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=reporter,
    )  # fmt: skip


def _refused(fn, *args, **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args, **kw)
    msg = str(exc.value)
    assert msg.startswith("依据第十条"), msg
    assert "萧秘密" not in msg and "13900000000" not in msg, msg
    return msg


def test_a_reporter_written_onto_a_lead_whose_disposition_names_him_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    admin, _officer, _world = site
    lid = _lead(admin, None)
    spec = DispositionSpec(
        "暂存待查", OK, reason="萧秘密来电补充，暂不具备核查条件", revisit_on=date(2027, 2, 1)
    )
    admin.dispositions.dispose(lid, spec)
    msg = _refused(admin.leads.update_lead, lid, reporter=WHO)
    assert "处置理由" in msg
    assert not admin.leads.get_lead(lid).has_reporter
    # Another reporter, whom the reason does not name, is written.
    admin.leads.update_lead(lid, reporter=ReporterIdentity(name="甄某某"))
    assert admin.leads.get_lead(lid).has_reporter


def _investigating(admin, world, lead_id: int):  # type: ignore[no-untyped-def]
    cid = advance(admin, world, Stage.INVESTIGATING)
    admin.leads.link_lead(lead_id, cid)
    return cid, investigate(admin, world, cid)


def test_a_report_naming_the_reporter_is_refused_and_the_search_does_not_find_him(site) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    cid, case = _investigating(admin, world, _lead(admin))
    named = dataclasses.replace(report_spec(case), findings=NAMED)
    msg = _refused(admin.cases.submit_report, cid, named)
    assert "查询" in msg
    report_id = admin.cases.submit_report(cid, report_spec(case))
    # Nor is it brought in by a correction of the report.
    _refused(admin.cases.correct_report, report_id, "补充事实", findings=NAMED)
    for term in ("萧秘密", "13900000000"):
        assert officer.listing.count_cases(CaseFilter(text=term)) == 0
    assert officer.listing.count_cases(CaseFilter(text="经查属实")) == 1


def test_a_decision_whose_facts_name_the_reporter_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    admin, officer, world = site
    lid = _lead(admin)
    cid = advance(admin, world, Stage.REPORTED)
    admin.leads.link_lead(lid, cid)
    case = admin.queries.get_case(cid)
    day = date(2026, 4, 1)
    sub = case.subjects[1]
    spec = DecisionSpec(
        sub.id, day, day, "党组会议纪要〔2026〕9号", LEADER_SANCTION, NAMED, "第七条第（五）项"
    )
    _refused(admin.cases.record_decision, cid, spec)
    assert officer.listing.count_cases(CaseFilter(text="萧秘密")) == 0


def test_a_lead_linked_to_a_case_whose_report_names_its_reporter_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    admin, _officer, world = site
    cid, case = _investigating(admin, world, _lead(admin, None))
    admin.cases.submit_report(cid, dataclasses.replace(report_spec(case), findings=NAMED))
    lid = _lead(admin)
    msg = _refused(admin.leads.link_lead, lid, cid)
    assert "调查报告" in msg
    assert admin.leads.get_lead(lid).case_number in (None, "")


def test_a_subject_sharing_the_reporters_name_refuses_nothing(site) -> None:  # type: ignore[no-untyped-def]
    """The subject 王喆 and a reporter of the same name: his name is in what the search reads
    before any act, so the report naming the subject is recorded."""
    admin, _officer, world = site
    cid, case = _investigating(admin, world, _lead(admin, ReporterIdentity(name="王喆")))
    spec = dataclasses.replace(report_spec(case), findings="经查，王喆对投诉推诿属实。")
    assert admin.cases.submit_report(cid, spec)
