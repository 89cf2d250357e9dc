"""案件文书: 印发新版本 of an issued document. The preview showed the issued version, and
印发新版本 (after 是) froze the draft as the records now stand — a version the officer never
saw (here a 送达回证 whose place was corrected since). A legal instrument is read before it
is issued: 印发新版本 first shows the new version's draft, marked 新版本草稿 (the issued one
marked 已印发), and only then asks; what it issues is exactly what it showed (第十三条)."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance
from tests.helpers.documents_window import on_row, on_the_proof, personal_decision
from tests.ui.test_beyond_dialogs import sanctioned as sanctioned  # fixture

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

PLACE = "城区一中队队部"


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "".join(page.extract_text() or "" for page in doc.pages)


def _yes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(f"{title}|{text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture
def reissue(qtbot, svc, world):  # type: ignore[no-untyped-def]
    """A served case whose 送达回证 is issued, then its service's place corrected."""
    cid = advance(svc, world, Stage.SERVED)
    d = personal_decision(svc, cid)
    first = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    svc.cases.correct_service(d.service.id, "送达地点笔误", place=PLACE)
    return svc, cid, d, first, on_the_proof(qtbot, svc, cid, d.id)


def _proofs(svc, cid: int, ref: int) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [
        x
        for x in svc.documents.list_documents(cid)
        if (x.kind, x.ref_id) == (DocumentKind.SERVICE_PROOF, ref)
    ]


def test_reissue_shows_the_new_version_before_it_asks_and_issues_what_it_showed(
    reissue, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    svc, cid, d, first, dlg = reissue
    assert dlg.issue_button.text() == "印发新版本(&I)"
    assert PLACE not in _text(dlg.view.pdf)  # the issued version, marked as such
    assert "已印发" in dlg.preview_title.text() and "新版本草稿" not in dlg.preview_title.text()
    asked = _yes(monkeypatch)
    dlg.issue_button.click()  # shows the draft it would freeze; issues nothing yet
    assert not asked and [x.id for x in _proofs(svc, cid, d.id)] == [first.id]
    assert PLACE in _text(dlg.view.pdf), "the new version's content was never shown"
    assert "新版本草稿" in dlg.preview_title.text() and "新版本草稿" in dlg.status.text()
    shown = dlg.previewed[(DocumentKind.SERVICE_PROOF, d.id)]
    assert shown is not None
    dlg.issue_button.click()  # read: now it asks, and issues that draft
    assert len(asked) == 1 and "新版本" in asked[0] and "第2版" in asked[0], asked
    [new] = _proofs(svc, cid, d.id)
    assert new.version == 2 and svc.documents.get_document(new.id)[1] == shown
    assert "已印发，校验码" in dlg.status.text()
    assert "已印发" in dlg.preview_title.text() and PLACE in _text(dlg.view.pdf)


def test_the_officer_can_switch_between_the_issued_version_and_the_new_draft(reissue) -> None:  # type: ignore[no-untyped-def]
    svc, cid, d, first, dlg = reissue
    dlg.show_draft.click()
    assert PLACE in _text(dlg.view.pdf) and "新版本草稿" in dlg.preview_title.text()
    dlg.show_issued.click()
    assert PLACE not in _text(dlg.view.pdf) and "已印发" in dlg.preview_title.text()
    assert dlg.previewed.get((DocumentKind.SERVICE_PROOF, d.id)) is None  # nothing to issue
    dlg.issue_current()  # not shown: 印发新版本 shows the draft first, issues nothing
    assert [x.id for x in _proofs(svc, cid, d.id)] == [first.id]
    assert PLACE in _text(dlg.view.pdf)


def test_the_dialog_with_the_switch_fits_a_1366x768_screen(reissue) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    *_rest, dlg = reissue
    dlg.show()
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert dlg.width() <= max(screen.width(), 1366) and dlg.height() <= max(screen.height(), 768)
    for w in (dlg.show_issued, dlg.show_draft, dlg.issue_button, dlg.close_button):
        assert w.isVisible() and w.width() >= w.minimumSizeHint().width()
    # a 问责决定书 already served is never issued again (第十四条): no new version to show
    served = next(n for n in range(dlg.count()) if dlg.row_key(n)[0] == DocumentKind.DECISION)
    dlg.select_row(served)
    assert not dlg.issue_button.isEnabled() and not dlg.show_draft.isVisible()


def test_a_version_issued_by_another_window_meanwhile_is_not_issued_again(
    reissue, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The draft of 第2版 on screen, another window issues it first: 印发新版本 here froze the
    same content again as 第3版 after asking about 「第2版」 — a version no one meant, under a
    question that named another. It is refused (第十三条) and the row shown as it now stands."""
    svc, cid, d, _first, dlg = reissue
    dlg.show_draft.click()
    shown = dlg.previewed[(DocumentKind.SERVICE_PROOF, d.id)]
    assert shown is not None and PLACE in _text(dlg.view.pdf)
    other = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)  # another window
    assert other.version == 2
    asked = _yes(monkeypatch)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *_a, **_k: None)
    dlg.issue_button.click()
    [now] = _proofs(svc, cid, d.id)
    assert now.id == other.id and now.version == 2, (now, asked)
    assert "第十三条" in dlg.status.text(), dlg.status.text()
    assert dlg.current() == (DocumentKind.SERVICE_PROOF, d.id, other.id)  # as it now stands


def test_a_first_issue_by_another_window_meanwhile_is_not_issued_again(
    qtbot, svc, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A draft never issued on screen, another window issues it: 印发 here made 第2版 of what
    it believed to be a first issue. Refused (第十三条)."""
    cid = advance(svc, world, Stage.SERVED)
    d = personal_decision(svc, cid)
    dlg = on_the_proof(qtbot, svc, cid, d.id)
    assert dlg.previewed[(DocumentKind.SERVICE_PROOF, d.id)] is not None
    other = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
    _yes(monkeypatch)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *_a, **_k: None)
    dlg.issue_button.click()
    assert [x.id for x in _proofs(svc, cid, d.id)] == [other.id]
    assert "第十三条" in dlg.status.text(), dlg.status.text()


def _issued_on_row(qtbot, svc, cid: int, kind: DocumentKind, ref_id: int, monkeypatch):  # type: ignore[no-untyped-def]
    """印发 on the ``kind`` row of ``ref_id`` in 案件文书, answered yes (a row not issued shows
    its draft first; 印发新版本 shows the new version's draft, then issues it): the window
    and every version of ``kind`` the case then has."""
    dlg = on_row(qtbot, svc, cid, kind, ref_id)
    _yes(monkeypatch)
    dlg.issue_button.click()
    if dlg.row_key(dlg.current_row())[2] is None:
        dlg.issue_button.click()
    docs = svc.documents.list_documents(cid, include_superseded=True)
    return dlg, [x for x in docs if x.kind == kind]


def test_a_corrected_report_is_issued_as_the_next_version(qtbot, svc, world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """One 调查报告 per case (ONE_PER_CASE): the report corrected after its issue is a new
    record, its row not yet issued, while the report issued on the old record is the version
    in force — not another window's issue: it is issued as 第2版."""
    cid = advance(svc, world, Stage.REPORTED)
    old = svc.queries.get_case(cid).report
    first = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, old.id)
    new_id = svc.cases.correct_report(old.id, "笔误", findings="经查，更正后的调查结论。")
    dlg, reports = _issued_on_row(
        qtbot, svc, cid, DocumentKind.INVESTIGATION_REPORT, new_id, monkeypatch
    )
    assert [x.version for x in reports] == [1, 2], (reports, dlg.status.text())
    assert reports[0].id == first.id and "第十三条" not in dlg.status.text()


def test_a_corrected_releases_notice_is_issued_as_the_next_version(
    qtbot, svc, sanctioned, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The 解除处分通知书 of a corrected release (a new record, the notice on the old one in
    force) is issued in 案件文书 as 第2版 of the notice, not refused as issued meanwhile."""
    from datetime import date

    from app.domain.release import ReleaseSpec

    decision = sanctioned["降级"]
    first = svc.releases.release(
        decision, ReleaseSpec(date(2026, 1, 11), "受处分期间认真整改，表现良好", "纪委书记 周正")
    )
    case_id = svc.releases.get_release(first).case_id
    svc.documents.issue_document(case_id, DocumentKind.RELEASE_NOTICE, first)
    new = svc.releases.correct_release(first, "确认人登记有误", confirmed_by="纪委副书记 李明")
    dlg, notices = _issued_on_row(
        qtbot, svc, case_id, DocumentKind.RELEASE_NOTICE, new, monkeypatch
    )
    assert [x.version for x in notices] == [1, 2], (notices, dlg.status.text())


def test_the_heading_of_the_new_draft_shows_no_verification_code(reissue) -> None:  # type: ignore[no-untyped-def]
    """The heading says what is shown: the issued version with its code, the new version's
    draft (never issued) without the issued version's code or issue time."""
    *_rest, first, dlg = reissue
    code = first.verification_code
    assert code and f"已印发（{code}）" in dlg.preview_title.text(), dlg.preview_title.text()
    dlg.show_draft.click()
    heading = dlg.preview_title.text()
    assert "新版本草稿" in heading and code not in heading, heading
    assert "已印发（" not in heading and "第2版" in heading, heading
    dlg.show_issued.click()
    assert f"已印发（{code}）" in dlg.preview_title.text(), dlg.preview_title.text()


def test_the_dialog_opens_at_the_size_it_asks_within_its_screen(reissue) -> None:  # type: ignore[no-untyped-def]
    """案件文书 asks 1300×690 and gets it, cut only to what its screen has (the offscreen
    platform's screen is 800 wide, so 800 here; 1300 under Xvfb 1366×768, with or without
    a parent window or a window manager)."""
    from app.ui.fit import available_client_size

    *_rest, dlg = reissue
    dlg.show()
    room = available_client_size(dlg)
    assert dlg.width() == min(1300, room.width()), (dlg.size(), room)
    assert dlg.height() == min(690, room.height()), (dlg.size(), room)
