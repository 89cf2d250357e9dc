"""A corrected approval and a corrected 谈话函询/初核 record date are bounded by what the lead
recorded after them (the next disposition's approval, a case proposed on the lead): one pair of
rules (_before_following, _before_proposal) serves both corrections. Their refusals, word for
word, as they were when each correction wrote them out itself."""

from __future__ import annotations

from datetime import date

from app.domain.dating import Clock
from app.domain.disposition_corrections import (
    BASIS_PROPOSE,
    BASIS_TALK,
    BASIS_WAYS,
    DispositionRecord,
    Neighbours,
    correction_problems,
    record_correction_problems,
)
from app.domain.leads_disposition import DispositionKind

CLOCK = Clock(date(2026, 12, 1))
NEXT = DispositionRecord(DispositionKind.CLOSE, date(2026, 11, 10), "纪委书记 周正", "签批单3号")


def _said(problems, name: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.article, p.message) for p in problems if p.field == name]


def test_a_corrected_approval_after_the_next_disposition_or_the_proposal() -> None:
    old = DispositionRecord(
        DispositionKind.SHELVE,
        date(2026, 11, 2),
        "纪委书记 周正",
        "签批单1号",
        "待查",
        date(2027, 1, 5),
    )
    late = {"decided_on": date(2026, 11, 15)}
    followed = Neighbours(date(2026, 11, 1), following=NEXT, proposed_on=date(2026, 11, 12))
    assert _said(correction_problems(old, late, "录错", followed, CLOCK), "decided_on") == [
        (
            BASIS_WAYS,
            f"依据{BASIS_WAYS}，本线索其后的处置意见（予以了结）于2026-11-10批准，"
            "审批日期不能晚于该日期",
        )
    ]  # not also the proposal: it bounds the lead's last disposition
    last = Neighbours(date(2026, 11, 1), proposed_on=date(2026, 11, 12))
    both = f"{BASIS_WAYS}、{BASIS_PROPOSE}"
    assert _said(correction_problems(old, late, "录错", last, CLOCK), "decided_on") == [
        (both, f"依据{both}，已根据本线索于2026-11-12提出问责，审批日期不能晚于提出问责的日期")
    ]


def test_a_corrected_record_after_the_outcome_and_the_proposal() -> None:
    old = DispositionRecord(
        DispositionKind.TALK, date(2026, 11, 2), "纪委书记 周正", "签批单1号",
        due_on=date(2026, 12, 2), completed_on=date(2026, 11, 5), report_text="已谈话。",
    )  # fmt: skip
    late = {"completed_on": date(2026, 11, 15)}
    n = Neighbours(date(2026, 11, 1), following=NEXT, proposed_on=date(2026, 11, 12))
    both = f"{BASIS_TALK}、{BASIS_PROPOSE}"
    assert _said(record_correction_problems(old, late, "录错", n, CLOCK), "completed_on") == [
        (
            BASIS_TALK,
            f"依据{BASIS_TALK}，根据该谈话函询情况提出的处置意见（予以了结）于2026-11-10批准，"
            "谈话函询完成日期不能晚于该日期",
        ),
        (
            both,
            f"依据{both}，已根据本线索于2026-11-12提出问责，谈话函询完成日期不能晚于提出问责的日期",
        ),
    ]
