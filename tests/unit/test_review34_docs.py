"""Review 34 (every document read as a discipline officer and a legal reviewer would): faults
found in the documents of a demo database, checked on the real composers and, where the
services decide what a document says, on a rendered PDF read back."""

from __future__ import annotations

from datetime import timedelta

import pdfplumber

from app.domain.deadlines import review_deadline
from app.domain.enums import DocumentKind, ReviewOutcome, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec
from tests.helpers.builders import advance


def _pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    with pdfplumber.open(path) as pdf:
        return "".join((pg.extract_text() or "").replace("\n", "") for pg in pdf.pages)


def _review_text(svc, world, tmp_path, late_days: int) -> str:  # type: ignore[no-untyped-def]
    """The printed 复核决定书 of an application received ``late_days`` after the last day of
    第十四条's 30 days (0: on the last day), accepted with its recorded reason."""
    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    person = next(s for s in case.subjects if s.kind == SubjectKind.PERSON)
    old = next(d for d in case.decisions_in_force() if d.subject_id == person.id)
    served = old.service.served_at.date()
    last = review_deadline(served, svc.masterdata.calendar()).last_day
    received = last + timedelta(days=late_days)
    app_id, late = svc.cases.apply_review(
        old.id,
        ReviewApplicationSpec(received, "认为处分过重，请求从轻处理", "因住院治疗未能按期提出"),
    )
    assert late is (late_days > 0)
    svc.cases.assign_reviewer(cid, world.staff[3], declared_no_conflict=True)
    rd_id, _number = svc.cases.decide_review(
        app_id,
        ReviewDecisionSpec(received + timedelta(days=10), ReviewOutcome.UPHOLD,
                           "申请人提出的理由不能成立", "复核查明的事实与原问责决定认定的事实一致",
                           None),
    )  # fmt: skip
    view = svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd_id)
    out = tmp_path / "review.pdf"
    svc.documents.render(view.id, out)
    return _pdf_text(out)


def test_a_late_application_is_not_said_to_be_made_under_article_14(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """第十四条 gives 30 days from receipt. An application received after them, accepted for a
    recorded reason, was not made 「依照第十四条的规定」: the 复核决定书 says it came late and
    why the bureau accepted it — a reviewer reading 「依照第十四条的规定申请复核」 over a date
    past the 30 days sees the document misstate the rule."""
    text = _review_text(svc, world, tmp_path, late_days=5)
    assert "第十四条的规定申请复核" not in text, text
    assert "超过" in text and "30日" in text, text
    assert "因住院治疗未能按期提出" in text, text


def test_a_timely_application_is_made_under_article_14(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = _review_text(svc, world, tmp_path, late_days=0)
    assert "第十四条的规定申请复核" in text, text
    assert "超过" not in text, text
