"""Regression tests for the eleventh hostile review (the rulebook's side doors on the command
line): each hole was reproduced before its fix, and each test fails without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.enums import DocumentKind, UserRole
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from tests.helpers.builders import advance, grant_recusal, issue_missing, seed_world

VOIDED_TEXT = "已作废，其已印发的文书不发生效力"


def _export(capsys, data: Path, out: Path, case: str, *extra: str) -> tuple[int, str]:
    from app.cli import main

    code = main(["docs", "export", "-o", str(out), "--case", case, "--data-dir", str(data), *extra])
    got = capsys.readouterr()
    return code, got.out + got.err


@pytest.fixture
def voided_scene(sqlite_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A case decided, its 问责决定书 issued, then voided (registered in error: nothing was
    served); and a case served, its documents issued."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    svc = build_services(sqlite_db, data_dir=tmp_path, keys=StaticKeyProvider(b"k" * 32))
    world = seed_world(svc)
    void = advance(svc, world, Stage.DECIDED)
    issue_missing(svc, void)
    assert svc.documents.list_documents(void)
    svc.cases.void_case(void, "重复登记")
    served = advance(svc, world, Stage.SERVED)
    issue_missing(svc, served)
    return svc, svc.queries.get_case(void), svc.queries.get_case(served)


def test_a_voided_case_s_documents_do_not_leave_the_system(voided_scene, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """第十三条: a voided case decides nothing. Before the fix `wenze docs export --case <id>`
    wrote its issued 问责决定书 as a PDF reading like one in force (by its number the case was
    「找不到」, by its id it was exported), `docs export` of every case took them too, and so did
    the case's 导出 in the GUI (DocumentService.export_case). Now each refuses, saying why."""
    svc, void, served = voided_scene
    for which in (void.number, str(void.id)):
        code, text = _export(capsys, tmp_path, tmp_path / "normal", which)
        assert code == 1 and "依据第十三条" in text and VOIDED_TEXT in text, text
    assert not list(tmp_path.glob("normal/*.pdf"))
    with pytest.raises(RuleViolation, match="第十三条"):
        svc.documents.export_case(void.id, tmp_path / "gui")
    everything = svc.documents.export_all(tmp_path / "all")
    assert everything and all(void.number not in p.name for p in everything)
    assert any(served.number in p.name for p in everything)
    # Allowed: a case in force, on every path; the voided case's record stays readable.
    assert _export(capsys, tmp_path, tmp_path / "ok", served.number)[0] == 0
    assert svc.documents.export_case(served.id, tmp_path / "gui-ok")
    assert svc.documents.list_documents(void.id)
    code = svc.documents.list_documents(void.id)[0].verification_code
    assert "所属案件已作废" in svc.documents.verify(code).message


ADMIN_PW = "Adm1n-口令-2026r"
OFFICER_PW = "Off1cer-口令-2026r"


@pytest.fixture
def site(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """Users exist: 严守法 (staff[3]) withdrew from the first case (第十二条) and has an
    account; 纪晓岚 (staff[0]) investigates it and has one too."""
    from app.services import build_services
    from app.services.keys import SessionKeyProvider
    from app.storage import open_database

    data = tmp_path / "data"
    db = open_database(data)
    first = build_services(db, data_dir=data, keys=SessionKeyProvider())
    r = first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = build_services(db, actor=r.actor, keys=SessionKeyProvider(r.data_key), data_dir=data)
    world = seed_world(admin)
    hidden = advance(admin, world, Stage.SERVED)
    grant_recusal(admin, hidden, world.staff[3])
    issue_missing(admin, hidden)
    other = advance(admin, world, Stage.SERVED)
    issue_missing(admin, other)
    for name, person in (("yan", world.staff[3]), ("ji", world.staff[0])):
        admin.users.create_user(name, name, UserRole.OFFICER, OFFICER_PW, person_id=person)
    numbers = admin.queries.get_case(hidden).number, admin.queries.get_case(other).number
    db.dispose()
    monkeypatch.setenv("WENZE_PASSWORD", OFFICER_PW)
    return data, numbers


def test_the_read_commands_log_in_with_user(site, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """第十二条: `docs export`, `report` and `deadline due` had no --user, so at the command
    line an officer could only act as the anonymous 审计员, who sees every case — a recused
    officer read the case he withdrew from, and no export named who made it. With --user the
    command acts as him: the case he withdrew from is refused and left out."""
    from app.cli import main

    data, (hidden, other) = site
    code, text = _export(capsys, data, tmp_path / "yan", hidden, "--user", "yan")
    assert code == 1 and "找不到案件" in text, text  # as the services find it for him
    assert not list(tmp_path.glob("yan/*.pdf"))
    assert (
        main(["deadline", "due", "--days", "3660", "--user", "yan", "--data-dir", str(data)]) == 0
    )
    due = capsys.readouterr().out
    assert hidden not in due, due
    assert main(["report", "ledger", "-o", str(tmp_path / "l.xlsx"), "--user", "yan",
                 "--data-dir", str(data)]) == 0  # fmt: skip
    assert "已导出案件台账 1 件" in capsys.readouterr().out
    assert main(["report", "monthly", "--month", "2026-04", "-o", str(tmp_path / "m.xlsx"),
                 "--user", "yan", "--data-dir", str(data)]) == 0  # fmt: skip
    capsys.readouterr()
    # Allowed: the same officer exports a case he may see, and the export names him.
    code, text = _export(capsys, data, tmp_path / "yan-ok", other, "--user", "yan")
    assert code == 0 and list(tmp_path.glob("yan-ok/*.pdf")), text
    code, text = _export(capsys, data, tmp_path / "ji", hidden, "--user", "ji")
    assert code == 0 and list(tmp_path.glob("ji/*.pdf")), text
    # Each export by a named user is audited as 导出文书 under his name (before the fix the
    # services' path of `docs export --case` wrote its PDFs without any audit record).
    from sqlalchemy import select

    from app.storage import open_database
    from app.storage.models import AuditRecord

    db = open_database(data)
    with db.read() as s:
        exports = s.execute(
            select(AuditRecord.actor, AuditRecord.after).where(
                AuditRecord.entity == "document_export"
            )
        ).all()
    db.dispose()
    assert [(actor, after["case"]) for actor, after in exports] == [("yan", other), ("ji", hidden)]
    assert main(["report", "ledger", "-o", str(tmp_path / "l2.xlsx"), "--user", "ji",
                 "--data-dir", str(data)]) == 0  # fmt: skip
    assert "已导出案件台账 2 件" in capsys.readouterr().out


def test_a_corrected_service_does_not_leave_an_application_marked_late(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十四条: the leader's application of 2026-05-20 came after his window (served
    2026-04-03, window to 2026-05-06) and was accepted as 逾期 with its reason. The service
    was then corrected to 2026-05-01 (window to 2026-06-01): the application lay inside it,
    yet stayed recorded as 逾期 — the derived flag was left stale (the list, the case and the
    holiday recount, which protects only applications on time, read it). Now the correction
    re-derives it, audited, and `audit verify`'s replay agrees."""
    from datetime import date, datetime

    from sqlalchemy import select

    from app.domain.rules import ReviewApplicationSpec
    from app.storage.models import ReviewApplication, Service

    cid = advance(svc, world, Stage.SERVED)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    spec = ReviewApplicationSpec(date(2026, 5, 20), "过重", "因病住院，未能按期提出")
    app_id, late = svc.cases.apply_review(leader.id, spec)
    assert late

    def flag() -> bool:
        with svc.db.read() as s:
            return bool(s.get(ReviewApplication, app_id).late)

    with svc.db.read() as s:
        sid = s.scalar(select(Service.id).where(Service.decision_id == leader.id))
    sid = svc.cases.correct_service(sid, "送达日期录入错误", served_at=datetime(2026, 5, 1, 9, 0))
    assert flag() is False
    assert svc.audit.verify().ok
    # Allowed as before: a correction that keeps it inside the window keeps it on time; one
    # that puts it outside again makes it 逾期 again — its reason for being taken up late is
    # on record (without one it is refused: test_review52a_service_late_application).
    sid = svc.cases.correct_service(sid, "送达时间录入错误", served_at=datetime(2026, 5, 2, 9, 0))
    assert flag() is False
    svc.cases.correct_service(sid, "送达日期录入错误", served_at=datetime(2026, 4, 3, 9, 30))
    assert flag() is True
    assert svc.audit.verify().ok


def test_a_corrected_report_leaves_one_current_investigation_report(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第九条、第十三条: the 调查报告 was issued, then the report corrected (a new version of
    the record). Before the fix the issued one still verified as 「现行有效版本」 though it
    stated findings no longer on record, and issuing the corrected one left both current —
    the case's documents, its export and its 卷宗 held two reports. Now the old one says it
    was corrected, and the reissue supersedes it."""
    cid = advance(svc, world, Stage.REPORTED)
    report_id = svc.queries.get_case(cid).report.id
    first = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, report_id)
    assert "现行有效版本" in svc.documents.verify(first.verification_code).message
    new_id = svc.cases.correct_report(report_id, "笔误", findings="经查，该中队推诿属实。")
    said = svc.documents.verify(first.verification_code).message
    assert "已被更正" in said and "现行有效" not in said, said
    second = svc.documents.issue_document(cid, DocumentKind.INVESTIGATION_REPORT, new_id)
    reports = [
        v for v in svc.documents.list_documents(cid) if v.kind == DocumentKind.INVESTIGATION_REPORT
    ]
    assert [(v.id, v.ref_id, v.version) for v in reports] == [(second.id, new_id, 2)]
    assert "已被新版本取代" in svc.documents.verify(first.verification_code).message
    assert "现行有效版本" in svc.documents.verify(second.verification_code).message
    assert all(i.issued for i in svc.documents.issuable(cid) if i.kind == "调查报告")


def test_a_corrected_service_s_proof_no_longer_verifies_as_in_force(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十三条: the leader's 送达回证 was issued stating service on 2026-04-03 09:30; the
    service was then corrected to 2026-04-03 15:00. Before the fix the issued proof still
    verified as 「现行有效版本」 though it stated a time no longer on record. Now it says the
    record was corrected until the proof is issued again; a proof issued after the correction
    (or never followed by one) stands."""
    from datetime import datetime

    from sqlalchemy import select

    from app.storage.models import Service

    cid = advance(svc, world, Stage.SERVED)
    squad, leader = svc.queries.get_case(cid).decisions_in_force()
    proofs = {
        d.id: svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, d.id)
        for d in (squad, leader)
    }
    with svc.db.read() as s:
        sid = s.scalar(select(Service.id).where(Service.decision_id == leader.id))
    svc.cases.correct_service(sid, "送达时间录入错误", served_at=datetime(2026, 4, 3, 15, 0))
    said = svc.documents.verify(proofs[leader.id].verification_code).message
    assert "已被更正" in said and "现行有效" not in said, said
    assert "现行有效版本" in svc.documents.verify(proofs[squad.id].verification_code).message
    again = svc.documents.issue_document(cid, DocumentKind.SERVICE_PROOF, leader.id)
    assert "现行有效版本" in svc.documents.verify(again.verification_code).message
    assert "已被新版本取代" in svc.documents.verify(proofs[leader.id].verification_code).message


def test_a_longer_window_on_a_holiday_change_does_not_leave_an_application_late(svc, world) -> None:  # type: ignore[no-untyped-def]
    """第十四条, as for a corrected service: served 2026-04-03, window to 2026-05-06; the
    leader's application of 2026-05-07 was accepted as 逾期. The administrator then entered
    2026-05-06 as a holiday: the window was recounted to 2026-05-07, the application lay
    inside it, yet stayed recorded as 逾期. Now the recount re-derives the flag."""
    from datetime import date, datetime

    from sqlalchemy import select

    from app.domain.rules import ReviewApplicationSpec
    from app.storage.models import ReviewApplication, Service
    from tests.helpers.builders import serve_all

    cid = advance(svc, world, Stage.DECIDED)
    window = serve_all(svc, cid, datetime(2026, 4, 3, 9))
    assert window.last_day == date(2026, 5, 6)
    leader = svc.queries.get_case(cid).decisions_in_force()[1]
    spec = ReviewApplicationSpec(date(2026, 5, 7), "过重", "因病住院，未能按期提出")
    app_id, late = svc.cases.apply_review(leader.id, spec)
    assert late
    svc.masterdata.set_holiday(date(2026, 5, 6), is_workday=False, name="调休")
    with svc.db.read() as s:
        last = s.scalar(
            select(Service.review_last_day).where(
                Service.decision_id == leader.id, Service.superseded_by_id.is_(None)
            )
        )
        assert last == date(2026, 5, 7)
        assert s.get(ReviewApplication, app_id).late is False
    assert svc.audit.verify().ok
