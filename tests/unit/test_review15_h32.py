"""Review 15 (h32-attack): a hostile officer and a careless clerk at the service API.

- A correction of the 调查报告's date moved it onto or past the day an investigator who had
  taken part in it was recused (a recusal the act itself allows only after the report): the
  report then read as made after he withdrew, by fewer than two investigators. Likewise a
  复核决定 moved onto or past a reviewer's recusal. Both refused, citing 第十二条.
- A second 复核 asked on the decision a 复核决定 had changed was refused as 「处理决定尚未
  送达」 (it was served, as the 复核决定书); a correction of that decision as a Party group
  decision was refused as 「须在报告之后作出」. Each now says what it is, citing 第十四条.
- Once the 复核决定书 was issued (frozen, the review decision no longer correctable), the
  application it states — received on, request and reasons — could still be corrected, so
  the record and the document served parted: refused, citing 第十三条、第十四条.
- A reporter's name written by a careless clerk into the 案情摘要 of a case proposed on his
  lead went out in the 案件台账 export (第十条): the summary is withheld there.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.due import DeadlineKind, due_items
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    DocumentKind,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
    SubjectKind,
)
from app.domain.issuing import WITHHELD_SUMMARY
from app.domain.lifecycle import Stage
from app.domain.rules import (
    DecisionSpec,
    RecusalSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    RuleViolation,
    SanctionSpec,
    ServiceSpec,
)
from tests.helpers.builders import LEADER_SANCTION, advance, proposal, served_leader
from tests.unit.test_rulebook import refused

WARNING = SanctionSpec.of(
    DecisionOutcome.ACCOUNTABLE, [AccountabilityForm.ADMINISTRATIVE_SANCTION],
    SanctionKind.WARNING, reasons="情节较轻",
)  # fmt: skip


def _recuse(svc, case_id: int, person_id: int, role: str, day: date) -> None:  # type: ignore[no-untyped-def]
    svc.cases.record_recusal(
        case_id,
        RecusalSpec(
            person_id, role, RecusalMode.SELF, "本人", "近亲属", RecusalVerdict.GRANTED, day
        ),
    )


def _changed_on_review(svc, world) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """A served case whose leader's 记过 a 复核决定 of 2026-04-20 changed to 警告: (case,
    original decision, review decision)."""
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    did = next(x.id for x in case.decisions_in_force() if x.subject_id == person.id)
    app_id, _late = svc.cases.apply_review(
        did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重")
    )
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 10)
    )
    rd_id, _number = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(date(2026, 4, 20), ReviewOutcome.CHANGE, "情节较轻", "经复核", WARNING),
    )
    return cid, did, rd_id


def test_a_report_is_not_moved_past_the_recusal_of_an_investigator_on_it(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.REPORTED)  # report of 2026-03-25, two investigators
    _recuse(svc, cid, world.staff[1], "调查人员", date(2026, 3, 28))  # after it: allowed
    report = svc.cases.state(cid).report
    assert report is not None
    with pytest.raises(RuleViolation, match="依据第十二条，调查人员崔明远参与了调查报告") as err:
        svc.cases.correct_report(report.id, "日期笔误", report_date=date(2026, 3, 28))
    assert "不能等于或晚于该回避决定日期" in str(err.value)
    assert svc.cases.state(cid).report.report_date == date(2026, 3, 25)
    # Moved within the days before the recusal, the correction stands.
    svc.cases.correct_report(report.id, "日期笔误", report_date=date(2026, 3, 27))
    assert svc.cases.state(cid).report.report_date == date(2026, 3, 27)


def test_a_review_decision_is_not_moved_past_its_reviewers_recusal(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, _did, rd_id = _changed_on_review(svc, world)
    _recuse(svc, cid, world.staff[3], "复核人员", date(2026, 4, 22))  # after it: allowed
    with pytest.raises(RuleViolation, match="依据第十二条、第十四条，复核人员严守法参与了复核决定"):
        svc.cases.correct_review_decision(rd_id, "日期笔误", decided_on=date(2026, 4, 23))
    assert svc.cases.state(cid).review_decision(rd_id).decided_on == date(2026, 4, 20)
    svc.cases.correct_review_decision(rd_id, "日期笔误", decided_on=date(2026, 4, 21))
    assert svc.cases.state(cid).review_decision(rd_id).decided_on == date(2026, 4, 21)


def test_the_decision_a_review_changed_is_not_reviewed_again_nor_corrected(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid, _did, rd_id = _changed_on_review(svc, world)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    svc.cases.record_review_service(
        rd_id,
        ServiceSpec(datetime(2026, 4, 22, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]),
    )
    new = next(d for d in svc.cases.state(cid).decisions if d.origin.from_review)
    with pytest.raises(RuleViolation) as err:
        svc.cases.apply_review(new.id, ReviewApplicationSpec(date(2026, 4, 25), "仍然不服"))
    said = str(err.value)
    assert said.startswith("依据第十四条，该处理是复核决定（荣综执纪复〔2026〕1号）变更"), said
    assert "尚未送达" not in said and "依法提出申诉" in said
    spec = DecisionSpec(
        new.subject_id, date(2026, 4, 21), date(2026, 4, 21), "党组会议纪要〔2026〕12号",
        LEADER_SANCTION, "经查，该队长推诿塞责。", "第七条第（五）项、第十一条",
    )  # fmt: skip
    with pytest.raises(RuleViolation) as err:
        svc.cases.correct_decision(new.id, spec, "改回记过")
    said = str(err.value)
    assert said.startswith("依据第十四条，该处理由复核决定（荣综执纪复〔2026〕1号）作出"), said
    assert "调查结果" not in said


def test_the_application_an_issued_review_decision_states_is_not_corrected(svc, world) -> None:  # type: ignore[no-untyped-def]
    """The 复核决定书 states when the application came and what it asked and why; once it is
    issued the review decision itself may not be corrected, yet the application could be,
    so the record and the paper served parted. The reason a late one was taken up (not
    printed) may still be put right."""
    cid, _did, rd_id = _changed_on_review(svc, world)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    app = svc.cases.state(cid).review_apps[0]
    for change, named in (
        ({"received_on": date(2026, 4, 9)}, "收到复核申请的日期"),
        ({"grounds": "请求撤销原决定。理由：另有隐情"}, "复核请求及理由"),
    ):
        with pytest.raises(RuleViolation) as err:
            svc.cases.correct_review_application(app.id, "笔误", **change)
        said = str(err.value)
        assert said.startswith("依据第十三条、第十四条，复核决定书（荣综执纪复〔2026〕1号）已印发")
        assert f"其载明的{named}已冻结" in said
    assert svc.cases.state(cid).review_apps[0].received_on == date(2026, 4, 10)
    svc.cases.correct_review_application(app.id, "补记", late_reason="无")


def test_a_reporter_written_into_the_summary_stays_out_of_the_ledger(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from app.services.vault import ReporterIdentity

    lid = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映某中队推诿投诉。",
        reporter=ReporterIdentity(name="萧秘密", phone="13900000000"),
    )  # fmt: skip
    told = "萧秘密（139 0000 0000）来信反映城区一中队推诿。"
    # Written by one who cannot open the reporter (review 52b: the key holder's proposal
    # naming him is refused, 第十条); the ledger still withholds it.
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    ctx = svc.ctx
    keyless = build_services(
        ctx.db, data_dir=ctx.data_dir, clock=ctx.clock, keys=StaticKeyProvider(None)
    )
    keyless.cases.propose_case(proposal(world, lead_ids=[lid], summary=told))
    other = svc.cases.propose_case(proposal(world, summary="城区一中队超期未办。"))
    assert other
    out = tmp_path / "台账.xlsx"
    assert svc.reports.export_ledger(out) == 2
    cells = [str(c.value) for ws in openpyxl.load_workbook(out) for r in ws.iter_rows() for c in r]
    text = "".join(cells)
    assert "萧秘密" not in text and "13900000000" not in "".join(text.split())
    assert WITHHELD_SUMMARY in cells and "城区一中队超期未办。" in cells


def test_a_served_subject_applies_for_review_while_another_is_unserved(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Art. 14 counts the 30 days from the subject's own receipt. The leader, served on
    2026-04-03, applies on 04-10 while the squad's decision is not served yet: his window is
    on the due list, his application is registered, and the squad is still served after."""
    cid, did, other, _unit = served_leader(svc, world)
    person = svc.cases.state(cid).decision(did).subject_id
    state = svc.cases.state(cid)
    assert state.stage is Stage.DECIDED
    windows = [
        d for d in due_items(state, date(2026, 4, 5), None) if d.kind is DeadlineKind.REVIEW_WINDOW
    ]
    assert [d.subject_id for d in windows] == [person]
    # The squad's own decision is not served: its application is refused for that reason.
    refused(
        svc.cases.apply_review, other, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"),
        article="第十四条", text="处理决定尚未送达",
    )  # fmt: skip
    app_id, late = svc.cases.apply_review(did, ReviewApplicationSpec(date(2026, 4, 10), "处分过重"))
    assert app_id and not late
    assert svc.cases.state(cid).stage is Stage.REVIEWING
    svc.documents.issue_document(cid, DocumentKind.DECISION, other)
    svc.cases.record_service(
        other,
        ServiceSpec(
            datetime(2026, 4, 11, 9, 30), "办公室", ServiceMethod.DIRECT, "李队长", ["纪晓岚"]
        ),
    )
    assert svc.cases.state(cid).stage is Stage.REVIEWING  # his review is still pending
