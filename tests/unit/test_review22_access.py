"""Review 22, F9: an account disabled (or changed) by the administrator reads nothing more
through a session it kept open — every read checks the account, once per read transaction,
not per row — and exporting issued documents out of the system is audited, once per export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.domain.enums import DocumentKind, LeadChannel, LeadSource, UserRole
from app.domain.lifecycle import Stage
from app.services import build_services
from app.services.base import ServiceError
from app.services.vault import ReporterIdentity
from app.storage import models as m
from tests.helpers.builders import advance, issue_missing, seed_world
from tests.unit.test_trust_users import ADMIN_PW, OFFICER_PW, login

REPORTER = "举报人甲乙"


@pytest.fixture
def site(db, clock, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An administrator, a served case with its documents issued (and a lead whose reporter
    is on record), and an officer 崔明远 logged in (and the seeded world)."""
    build_services(db, data_dir=tmp_path, clock=clock).users.create_first_admin(
        "admin", "管理员甲", ADMIN_PW
    )
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    world = seed_world(admin)
    cid = advance(admin, world, Stage.SERVED)
    lead = admin.leads.register_lead(
        received_on=date(2026, 3, 1),
        source=LeadSource.REPORT,
        channel=LeadChannel.PHONE,
        content="反映城区一中队推诿",
        reporter=ReporterIdentity(name=REPORTER, phone="13900000000"),
    )
    admin.leads.link_lead(lead, cid)
    issue_missing(admin, cid)
    other = advance(admin, world, Stage.DECIDED)
    issue_missing(admin, other)
    uid = admin.users.create_user(
        "cui", "崔明远", UserRole.OFFICER, OFFICER_PW, person_id=world.staff[1]
    )
    cui = login(db, tmp_path, clock, "cui", OFFICER_PW)
    return admin, cui, uid, cid, other, world


def _exports(admin) -> list[m.AuditRecord]:  # type: ignore[no-untyped-def]
    with admin.db.read() as s:
        return list(
            s.scalars(
                select(m.AuditRecord)
                .where(m.AuditRecord.entity == "document_export")
                .order_by(m.AuditRecord.seq)
            )
        )


def _reads(svc, cid: int, out: Path):  # type: ignore[no-untyped-def]
    return {
        "get_case": lambda: svc.queries.get_case(cid),
        "page": lambda: svc.listing.page(),
        "list_leads": lambda: svc.leads.list_leads(),
        "list_documents": lambda: svc.documents.list_documents(cid),
        "draft_document": lambda: svc.documents.draft_document(cid, DocumentKind.INITIATION_FORM),
        "export_case": lambda: svc.documents.export_case(cid, out / "case"),
        "export_all": lambda: svc.documents.export_all(out / "all"),
    }


def test_a_disabled_account_reads_and_exports_nothing(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin, cui, uid, cid, _other, _world = site
    assert cui.queries.get_case(cid).number  # before: an officer reads the case
    admin.users.update_user(uid, active=False)
    for name, read in _reads(cui, cid, tmp_path / "out").items():
        with pytest.raises(ServiceError, match="已被停用"):
            read()
        assert not list((tmp_path / "out").rglob("*.pdf")), name
    assert _exports(admin) == []


def test_a_changed_role_must_log_in_again_to_read(site, db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin, cui, uid, cid, _other, _world = site
    admin.users.update_user(uid, role=UserRole.LEADER)
    for read in _reads(cui, cid, tmp_path / "out").values():
        with pytest.raises(ServiceError, match="重新登录"):
            read()
    again = login(db, tmp_path, clock, "cui", OFFICER_PW)
    assert again.queries.get_case(cid).number


def test_the_account_is_checked_once_per_read_not_per_row(site, db) -> None:  # type: ignore[no-untyped-def]
    admin, cui, _uid, _cid, _other, world = site

    def lookups() -> tuple[int, int]:
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_a) -> None:  # type: ignore[no-untyped-def]
            if "FROM users" in statement:
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            rows = cui.listing.page()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(rows), len(seen)

    few, checks = lookups()
    assert checks >= 1  # the page's reads check the account
    for _ in range(4):
        advance(admin, world, Stage.PROPOSED)
    many, again = lookups()
    assert many == few + 4 and again == checks  # the same lookups for more rows


def test_every_export_is_audited_once_without_the_reporter(site, db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin, cui, uid, cid, other, _world = site
    # The lead was linked after the decisions were issued: since review 56e only a user who
    # can read its reporter exports those papers (test_rev56e_unchecked_export) — 崔明远 is
    # given 查看举报人信息 and logs in again with it.
    admin.users.set_reporter_access(uid, True, user_password=OFFICER_PW)
    cui = login(db, tmp_path, clock, "cui", OFFICER_PW)
    case_files = cui.documents.export_case(cid, tmp_path / "case")
    all_files = cui.documents.export_all(tmp_path / "all")
    assert case_files and len(all_files) > len(case_files)
    one, every = _exports(admin)
    number = cui.queries.get_case(cid).number
    assert (one.actor, one.action, one.case_id) == ("cui", "导出文书", cid)
    assert one.after["documents"] == len(case_files) and one.after["case"] == number
    kinds = {str(k) for k in one.after["kinds"]}
    assert {DocumentKind.DECISION, DocumentKind.SERVICE_PROOF} <= kinds
    assert sum(one.after["kinds"].values()) == len(case_files)
    assert (every.actor, every.case_id) == ("cui", None)
    assert every.after["documents"] == len(all_files) and every.after["cases"] == 2
    assert every.after["folder"] == "all"
    for rec in (one, every):
        assert REPORTER not in json.dumps(rec.after, ensure_ascii=False)
        assert "13900000000" not in json.dumps(rec.after, ensure_ascii=False)
    assert admin.audit.verify_chain().ok
    assert [p.name for p in all_files if number in p.name] == [p.name for p in case_files]
    assert other  # the second case's papers are in the bulk export only
