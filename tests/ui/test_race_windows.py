"""第6步 beside a second window on the same database file: the 问责决定书 the page showed is
reissued by the other window before the officer records its service (第十三条)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from app.domain.enums import DocumentKind, UserRole
from app.domain.lifecycle import Stage
from app.storage.engine import Database
from app.storage.models import Service
from app.ui.wizard import open_wizard
from tests.helpers.builders import advance
from tests.helpers.documents_window import on_the_proof, personal_decision
from tests.helpers.race import other_window
from tests.helpers.wizard_driver import fill, next_button

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_service_of_a_decision_reissued_in_another_window_is_refused_then_recorded(
    qtbot, svc, world, db, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    clock.now = datetime(2026, 4, 3, 10, 0)
    cid = advance(svc, world, Stage.DECIDED)
    decisions = svc.queries.get_case(cid).decisions_in_force()
    for d in decisions:
        svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    wiz = open_wizard(svc, cid)
    qtbot.addWidget(wiz)
    page = wiz.current()
    assert wiz.currentId() == 6
    for ed in page.editors.values():
        fill(ed, servedAt=datetime(2026, 4, 3, 9, 30), place="局机关纪委办公室",
             method="直接送达", recipient="王喆", servers="纪晓岚、崔明远")  # fmt: skip
    page.changed()
    assert next_button(wiz).isEnabled()

    with other_window(
        db, tmp_path, clock
    ) as pc2:  # the other window reissues the leader's decision
        leader = next(
            d for d in decisions if svc.queries.get_case(cid).subject(d.subject_id).person_id
        )
        v2 = pc2.documents.issue_document(cid, DocumentKind.DECISION, leader.id)
    assert v2.version == 2

    next_button(wiz).click()
    text = page.problems_label.text()
    assert "依据第十三条" in text and "第2版" in text, text
    leader_now = next(d for d in svc.queries.get_case(cid).decisions if d.id == leader.id)
    assert leader_now.service is None
    # The page, reloaded, shows version 2: its service is recorded of version 2.
    for d, ed in page.editors.items():
        if d == leader.id:
            fill(ed, place="局机关纪委办公室", method="直接送达", recipient="王喆",
                 servers="纪晓岚、崔明远")  # fmt: skip
    page.changed()
    next_button(wiz).click()
    with svc.db.read() as s:
        linked = s.scalar(select(Service.document_id).where(Service.decision_id == leader.id))
    assert linked == v2.id


def test_a_person_moved_by_another_window_is_not_moved_back_by_a_stale_form(
    qtbot, svc, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """基础数据 → 人员: the form saves every field as it was loaded. 王喆 moved to 二中队 as
    its 中队长 by another window (or a roster import) while this one had him open; a 职务
    typed here and saved moved him back to 一中队 and its head's post, undoing the other
    change without a word (the roster — whom Art. 4 makes answer for a unit — silently
    regressed). The save is refused, the form shows him as he now is."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    import app.ui.common as common
    from app.ui.masterdata_view import PeoplePanel

    one = svc.masterdata.create_unit("一中队", "执法中队")
    two = svc.masterdata.create_unit("二中队", "执法中队")
    wang = svc.masterdata.create_person(
        name="王喆", unit_id=one, post="执法队员", is_leader=False, cadre_level=""
    )
    svc.masterdata.create_person(
        name="李赟", unit_id=one, post="执法队员", is_leader=False, cadre_level=""
    )
    panel = PeoplePanel(svc)
    qtbot.addWidget(panel)
    rows = {panel.table.model().index(r, 0).data(): r for r in range(2)}
    errors: list[str] = []
    monkeypatch.setattr(common, "show_error", lambda _p, exc, *a, **k: errors.append(str(exc)))
    panel.table.selectRow(rows["王喆"])
    assert panel.editing_id == wang and panel.name.text() == "王喆"

    with other_window(db, tmp_path, clock) as pc2:
        pc2.masterdata.update_person(wang, unit_id=two, is_leader=True, post="中队长")

    panel.post.setText("中队副队长")  # what this officer meant to change
    assert not panel.save_person()
    assert errors and "已被其他用户" in errors[0], errors
    now = svc.masterdata.get_person(wang)
    assert (now.unit_id, now.is_leader, now.post) == (two, True, "中队长")
    # Reloaded (as the refusal asks), the form shows him where he now is; saved, it holds.
    panel.clear_form()  # 放弃 what was typed, and pick him again (the list is as it was)
    panel.table.selectRow(rows["李赟"])
    panel.table.selectRow(rows["王喆"])
    assert panel.unit.currentData() == two and panel.leader.isChecked()
    panel.post.setText("中队长（兼）")
    assert panel.save_person(), errors
    assert svc.masterdata.get_person(wang).post == "中队长（兼）"
    panel.post.setText("中队长")  # a second edit of the same form: its own save is no stale view
    assert panel.save_person(), errors
    assert svc.masterdata.get_person(wang).post == "中队长"


def test_a_role_changed_by_another_administrator_is_not_given_back_by_a_stale_dialog(
    qtbot, db, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """用户管理 → 修改用户 saves 姓名, 角色 and 关联人员 as the dialog showed them. 管理员乙
    took 张干事's 办案人员 role away (审计员 only reads the trail) in his own window while
    管理员甲 had the account open to correct its 姓名: 甲's save gave the role back, undoing
    乙's act unseen. The save is refused."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    from app.ui.user_dialogs import UserEditDialog, UserManagementDialog
    from tests.helpers.accounts import admin_and
    from tests.unit.test_sec_recovery import ADMIN2_PW, login

    admin, _second, _uid = admin_and(
        db, tmp_path, clock, "admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW
    )
    zhang = admin.users.create_user("zhang", "张千事", UserRole.OFFICER, "Off1cer-口令-2026")
    view = next(u for u in admin.users.list_users() if u.id == zhang)
    edit = UserEditDialog(admin, user=view)
    qtbot.addWidget(edit)
    listing = UserManagementDialog(admin)
    qtbot.addWidget(listing)

    other = Database(db.url, tmp_path)  # 管理员乙's window
    try:
        b = login(other, tmp_path, clock, "admin2", ADMIN2_PW)
        b.users.update_user(zhang, role=UserRole.AUDITOR)
    finally:
        other.dispose()

    edit.display_name.setText("张干事")  # the typo 甲 meant to correct
    edit.save()
    assert "已被其他" in edit.message.text(), edit.message.text()
    now = next(u for u in admin.users.list_users() if u.id == zhang)
    assert (now.role, now.display_name) == (UserRole.AUDITOR, "张千事")
    # 用户管理's list, loaded before 乙's change, opens the account as it now is.
    listing.table.selectRow(next(r for r in range(listing.table.rowCount())
                                 if listing.table.item(r, 0).text() == "zhang"))  # fmt: skip
    again = listing.edit_user()
    assert again is not None and again.role.currentData() == UserRole.AUDITOR
    again.display_name.setText("张干事")
    again.save()
    now = next(u for u in admin.users.list_users() if u.id == zhang)
    assert (now.role, now.display_name) == (UserRole.AUDITOR, "张干事"), again.message.text()


def test_settings_saved_from_a_stale_view_keep_what_another_window_changed(
    qtbot, svc, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """系统设置 sent every field as the view had loaded it. Another window set the 文号 prefix
    for the new year while this one had the view open; a 单位名称 corrected here and saved
    put the old prefix back, and the next 问责决定书 took a number of the old series. Only what
    was changed here is saved (the service writes only those settings: masterdata)."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    import app.ui.settings_view as sv
    from app.ui.settings_view import SettingsView

    monkeypatch.setattr(sv, "show_info", lambda *a, **k: None)
    view = SettingsView(svc)
    qtbot.addWidget(view)
    old_prefix = view.edits["doc_prefix"].text()
    with other_window(db, tmp_path, clock) as pc2:
        pc2.masterdata.update_settings(doc_prefix="鲁威执纪")
    assert old_prefix != "鲁威执纪"
    view.edits["bureau_name"].setText("荣成市综合行政执法局（试）")
    assert view.save()
    now = svc.masterdata.settings()
    assert (now.doc_prefix, now.bureau_name) == ("鲁威执纪", "荣成市综合行政执法局（试）")


def test_a_lead_saved_from_a_stale_dialog_keeps_what_another_window_changed(
    qtbot, svc, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """修改线索 sent its content and — once shown — its reporter as the dialog loaded them.
    Another window corrected the content and the reporter's telephone meanwhile; a 渠道 changed
    here and saved wrote the old content back and sealed the old reporter over the new one
    (Art. 10's record of who reported, silently regressed). Only what was changed here is
    saved."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    from app.services.vault import ReporterIdentity
    from app.ui.leads_view import LeadDialog

    lead = svc.leads.register_lead(
        received_on=datetime(2026, 11, 1).date(), source="举报", channel="来信",
        content="反映某中队推诿投诉。", reporter=ReporterIdentity("张三", "13800000000"),
    )  # fmt: skip
    dialog = LeadDialog(svc, lead)
    qtbot.addWidget(dialog)
    dialog.reveal()  # shown (audited), then left as it is
    assert dialog.reporter["phone"].text() == "13800000000"

    with other_window(db, tmp_path, clock) as pc2:
        pc2.leads.update_lead(
            lead,
            content="反映城区一中队推诿投诉。",
            reporter=ReporterIdentity("张三", "13900000000"),
        )

    dialog.channel.setCurrentIndex(dialog.channel.findData("来访"))
    dialog.save()
    assert dialog.saved_id == lead
    now = svc.leads.get_lead(lead)
    assert (now.channel, now.content) == ("来访", "反映城区一中队推诿投诉。")
    assert svc.leads.reveal_reporter(lead).phone == "13900000000"


def test_lead_settings_saved_from_a_stale_dialog_keep_another_windows_change(
    qtbot, svc, db, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """问题线索处置 and 四种形态: the dialog wrote both periods, and its whole mapping when it
    differed from the stored one — as it did once another window had changed a part: that
    window's 处置期限 and its 通报批评 → 第二种形态 went back to what this dialog showed.
    Only what was changed here is saved."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    from app.ui.beyond_settings_dialog import BeyondSettingsDialog

    dlg = BeyondSettingsDialog(svc)
    qtbot.addWidget(dlg)
    assert dlg.combos["通报批评"].currentData() == 1 and dlg.disposition_days.value() == 30
    with other_window(db, tmp_path, clock) as pc2:
        pc2.dispositions.update_settings(disposition_days=20)
        pc2.four_forms.update_mapping({**pc2.four_forms.mapping(), "通报批评": 2})
    dlg.verification_days.setValue(45)
    dlg.combos["责令作出书面检查"].setCurrentIndex(dlg.combos["责令作出书面检查"].findData(2))
    assert dlg.save(), dlg.error.text()
    assert (svc.dispositions.disposition_days(), svc.dispositions.verification_days()) == (20, 45)
    mapping = svc.four_forms.mapping()
    assert (mapping["通报批评"], mapping["责令作出书面检查"]) == (2, 2)


def test_a_proof_opened_before_another_window_corrected_the_service_says_so(
    qtbot, svc, world, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """预览并印发 送达回证: the dialog shows the proof of the service on record; another window
    corrects the service's place before 印发 is clicked. The officer, who had edited nothing,
    was told 「文书的标题、表格和署名不能修改」; he is told the records changed meanwhile."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    import app.ui.wizard.issue_dialog as issue_dialog
    from app.ui.wizard.issue_dialog import IssueDocumentDialog

    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    d = next(x for x in case.decisions_in_force() if case.subject(x.subject_id).person_id)
    dlg = IssueDocumentDialog(svc, cid, DocumentKind.SERVICE_PROOF.value, d.id, None)
    qtbot.addWidget(dlg)
    with other_window(db, tmp_path, clock) as pc2:
        pc2.cases.correct_service(d.service.id, "送达地点笔误", place="城区一中队队部")
    monkeypatch.setattr(issue_dialog, "confirmed", lambda *a, **k: True)
    dlg.issue()
    assert dlg.issued is None
    assert "已被其他用户（或另一窗口）更改" in dlg.message.text(), dlg.message.text()
    assert "不能修改" not in dlg.message.text()


def test_the_wizards_issue_dialog_refuses_a_document_another_window_issued_meanwhile(
    qtbot, svc, world, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """预览并印发 送达回证 is open; another window issues that proof meanwhile. 印发 froze the
    same content again as 第2版 (two versions of one paper, the second never asked for); it is
    refused as the 案件文书 window's is (第十三条) and nothing more is issued."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    import app.ui.wizard.issue_dialog as issue_dialog
    from app.ui.wizard.issue_dialog import IssueDocumentDialog

    cid = advance(svc, world, Stage.SERVED)
    case = svc.queries.get_case(cid)
    d = next(x for x in case.decisions_in_force() if case.subject(x.subject_id).person_id)
    kind = DocumentKind.SERVICE_PROOF.value
    dlg = IssueDocumentDialog(svc, cid, kind, d.id, None)
    qtbot.addWidget(dlg)
    with other_window(db, tmp_path, clock) as pc2:
        theirs = pc2.documents.issue_document(cid, kind, d.id)
    monkeypatch.setattr(issue_dialog, "confirmed", lambda *a, **k: True)
    dlg.issue()
    assert dlg.issued is None
    assert "已被其他用户（或另一窗口）更改" in dlg.message.text(), dlg.message.text()
    proofs = [
        x for x in svc.documents.list_documents(cid, include_superseded=True)
        if x.kind == kind and x.ref_id == d.id
    ]  # fmt: skip
    assert [x.id for x in proofs] == [theirs.id]


def test_the_documents_window_issues_what_it_previewed_or_nothing(
    qtbot, svc, world, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """案件文书: the officer previews a 送达回证, another window corrects the service's place,
    then 印发 is clicked. The window froze the corrected record, which the officer never saw;
    as the wizard's 预览并印发 does, it sends what it previewed and is refused (第十三条).
    The refusal shows the corrected draft, and a second 印发 issues what is now shown."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    cid = advance(svc, world, Stage.SERVED)
    d = personal_decision(svc, cid)
    dlg = on_the_proof(qtbot, svc, cid, d.id)
    assert dlg.view.page_count >= 1
    before = {x.id for x in svc.documents.list_documents(cid)}
    with other_window(db, tmp_path, clock) as pc2:
        pc2.cases.correct_service(d.service.id, "送达地点笔误", place="城区一中队队部")
    dlg.issue_current()
    assert {x.id for x in svc.documents.list_documents(cid)} == before
    assert dlg.errors and "已被其他用户（或另一窗口）更改" in dlg.errors[-1], dlg.errors
    assert "依据第十三条" in dlg.status.text(), dlg.status.text()
    # The preview now shows the corrected record: issued on the next 印发.
    dlg.issue_current()
    assert "已印发，校验码" in dlg.status.text(), dlg.status.text()
    new = [x for x in svc.documents.list_documents(cid) if x.id not in before]
    assert len(new) == 1 and "城区一中队队部" in str(svc.documents.get_document(new[0].id)[1])


def test_the_documents_window_export_stops_when_another_window_voids_the_case(
    qtbot, svc, world, db, clock, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """案件文书 → 导出到文件夹: another window voids (作废) the case while its papers are written
    (第十三条): the export stops, says why, and leaves none of them in the folder."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    from app.services import documents
    from app.services.documents import DocumentService
    from app.ui.documents_preview import DocumentsDialog, SyncRunner
    from tests.helpers.builders import issue_missing

    cid = advance(svc, world, Stage.DECIDED)
    assert len(issue_missing(svc, cid)) >= 2
    dlg = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dlg)
    monkeypatch.setattr(documents, "EXPORT_BATCH", 1)
    render, rendered = DocumentService._render_issued, []

    def rendering(self, view, content, path):  # type: ignore[no-untyped-def]
        out = render(self, view, content, path)
        rendered.append(path)
        if len(rendered) == 1:  # the other window
            with other_window(db, tmp_path, clock) as pc2:
                pc2.cases.void_case(cid, "重复立案")
        return out

    monkeypatch.setattr(DocumentService, "_render_issued", rendering)
    dlg.export_to(tmp_path / "out")
    assert rendered and not list((tmp_path / "out").glob("*.pdf"))
    assert dlg.errors and "依据第十三条" in dlg.errors[-1] and "已作废" in dlg.errors[-1]
    assert "导出已中止" in dlg.status.text(), dlg.status.text()


def test_the_documents_window_says_on_which_article_a_voided_case_is_not_issued(
    qtbot, svc, world, db, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """案件文书 → 印发 of a draft after another window voided (作废) the case: the refusal
    cites its article (第十四条: 作废 corrects a case registered in error), as every rule
    message does, not only 「案件已作废」."""
    if not db.is_sqlite:
        pytest.skip("a second window on the SQLite file")
    from app.ui.documents_preview import DocumentsDialog, SyncRunner

    cid = advance(svc, world, Stage.DECIDED)
    dlg = DocumentsDialog(svc, cid, runner=SyncRunner())
    qtbot.addWidget(dlg)
    draft = next(n for n in range(dlg.count()) if dlg.row_key(n)[2] is None)
    dlg.select_row(draft)
    with other_window(db, tmp_path, clock) as pc2:
        pc2.cases.void_case(cid, "重复立案")
    dlg.issue_current()
    assert dlg.errors, dlg.status.text()
    said = dlg.errors[-1]
    assert said.startswith("依据第十四条，") and "案件已作废" in said, said
    assert "依据第十四条，案件已作废" in dlg.status.text(), dlg.status.text()
    assert svc.documents.list_documents(cid) == []
