"""第九条: a corrected investigation period is the period the papers state, extension or not.

The 启动问责审批表 and the 调查报告 print the period the Party group set as the first extension
kept it (the deadline it replaced: compose.case_forms.deadline_set). A correction of the
meeting's period (or of its date) re-derived the case's deadline but left that extension's
record of it as it was: the papers went on printing 「调查期限至2026年4月7日」 for a period the
correction had set to end on 2026-03-25.
"""

from __future__ import annotations

from datetime import date

from app.documents.compose import plain_text
from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance


def _extended_then_corrected(svc, world, **changes) -> int:  # type: ignore[no-untyped-def]
    """Opened 2026-03-05 with 30 days (to 2026-04-07), extended on 03-20 to 04-30, then the
    meeting's record corrected with ``changes``."""
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.extend_investigation(
        cid, new_deadline=date(2026, 4, 30), approved_on=date(2026, 3, 20), reason="取证需要"
    )
    meeting = next(m for m in svc.queries.get_case(cid).meetings if m.kind == "启动问责")
    svc.cases.correct_initiation(meeting.id, "期限登记错误", **changes)
    return cid


def test_the_initiation_form_states_the_corrected_period(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _extended_then_corrected(svc, world, investigation_days=20)  # to 2026-03-25
    case = svc.queries.get_case(cid)
    assert case.extensions[0].old_deadline == date(2026, 3, 25)
    assert case.investigation_deadline == date(2026, 4, 30)  # the extension still stands
    text = plain_text(svc.documents.draft_document(cid, DocumentKind.INITIATION_FORM))
    assert "至2026年3月25日" in text and "至2026年4月7日" not in text
    assert "经批准延长至2026年4月30日" in text


def test_a_moved_meeting_moves_the_period_it_set(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = _extended_then_corrected(svc, world, meeting_date=date(2026, 3, 4))  # 30 days: 04-03
    case = svc.queries.get_case(cid)
    assert case.extensions[0].old_deadline == date(2026, 4, 3)
    assert case.opened_on == date(2026, 3, 4)
