"""第九条 with 第十三条: an issued 启动问责审批表 states the proposal and the initiation meeting
as they stood when it was issued (提出日期, 提出主体, 行为与后果, 基本情况, the meeting's date
and minutes, the period it set).

Correcting the meeting's date (or the proposal) after the form was issued left the form
listed as issued and current — not offered for issuing again — and its verification code
answered 「现行有效版本」 for a form stating a meeting date no longer on record. A corrected
service (送达回证), report (调查报告) and release (解除处分通知书) are each marked: the
record the document states was corrected, it is to be issued again.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import DocumentKind
from app.domain.issuing import RECORD_CORRECTED
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance


def _form(svc, cid: int):  # type: ignore[no-untyped-def]
    return next(i for i in svc.documents.issuable(cid) if i.kind == DocumentKind.INITIATION_FORM)


def test_a_corrected_meeting_marks_the_issued_form_for_reissue(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    doc = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert _form(svc, cid).issued
    assert "现行有效版本" in svc.documents.verify(doc.verification_code).message
    meeting = svc.cases.state(cid).initiation()
    svc.cases.correct_initiation(meeting.id, "会议日期笔误", meeting_date=date(2026, 3, 6))
    form = _form(svc, cid)
    assert not form.issued and "须重新印发" in form.label, form
    assert RECORD_CORRECTED in svc.documents.verify(doc.verification_code).message
    again = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM, replacing=doc.id)
    assert _form(svc, cid).issued
    assert "现行有效版本" in svc.documents.verify(again.verification_code).message


def test_a_corrected_proposal_marks_it_too(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    doc = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    svc.cases.correct_proposal(cid, "表述不准确", summary="城区一中队对投诉推诿。")
    assert not _form(svc, cid).issued
    assert RECORD_CORRECTED in svc.documents.verify(doc.verification_code).message


def test_acts_after_the_form_do_not_mark_it(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    doc = svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    ev = svc.cases.add_evidence(cid, "询问笔录", collected_on=date(2026, 3, 10))
    svc.cases.correct_evidence(ev, "笔误", title="询问笔录（一）")
    assert _form(svc, cid).issued
    assert "现行有效版本" in svc.documents.verify(doc.verification_code).message
