# ruff: noqa: F811  (the site fixture is imported from test_sec_audit)
"""Hostile security review 8: someone holding the data directory, and a clerk hunting for a
reporter (第十条). Each test names its finding and was seen failing before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.enums import UserRole
from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.users import LoginError
from app.storage.engine import Database
from tests.unit.test_sec_audit import ADMIN_PW, attack, login, site, verify  # noqa: F401

OFFICER_PW = "Off1cer-口令-2026"


def _db(data: Path) -> Database:
    return Database(f"sqlite:///{data / 'wenze.db'}", data)


def _authenticate(data: Path, username: str, password: str):  # type: ignore[no-untyped-def]
    db = _db(data)
    try:
        anon = build_services(db, data_dir=data, keys=SessionKeyProvider())
        return anon.users.authenticate(username, password)
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("column", "value"),
    [("role", "'管理员'"), ("person_id", "NULL"), ("can_view_reporters", "1")],
)
def test_f1_an_account_edited_in_the_file_does_not_log_in(
    site: Path, capsys, column: str, value: str
) -> None:  # type: ignore[no-untyped-def]
    """Finding 1: the users row decides what a login may do (role, the person recusals name,
    查看举报人信息), and no seal covers it. Setting officer zhang's role to 管理员 with
    sqlite3, zhang logged in as an administrator with his own password — his own wrap
    unwrapped the audit key, so everything he then did (a new administrator account) was
    sealed, and once the role was set back `wenze audit verify` passed. The login now
    compares the account with the sealed audit records that wrote it and refuses."""
    db = _db(site)
    admin = login(db, site, "admin", ADMIN_PW)
    person = admin.masterdata.list_people()[0].id
    zhang = next(u for u in admin.users.list_users() if u.username == "zhang")
    admin.users.update_user(zhang.id, person_id=person)
    db.dispose()
    attack(
        site, lambda con: con.execute(f"UPDATE users SET {column} = {value} WHERE id = {zhang.id}")
    )
    with pytest.raises(LoginError) as err:
        _authenticate(site, "zhang", OFFICER_PW)
    assert "审计记录不符" in str(err.value), str(err.value)
    code, out = verify(site, capsys, user=True)
    assert code == 2, out
    assert "zhang" in out, out


def test_f1_an_untouched_account_still_logs_in_after_audited_changes(site: Path) -> None:
    db = _db(site)
    admin = login(db, site, "admin", ADMIN_PW)
    zhang = next(u for u in admin.users.list_users() if u.username == "zhang")
    admin.users.update_user(zhang.id, role=UserRole.LEADER)
    admin.users.update_user(zhang.id, role=UserRole.OFFICER, active=True)
    db.dispose()
    result = _authenticate(site, "zhang", OFFICER_PW)
    assert result.actor.role == UserRole.OFFICER


def test_f2_a_setting_written_around_the_services_fails_verification(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Finding 2: a settings row inserted with sqlite3 (the bureau's name, the earliest
    plausible date, the idle lock) is what every new document and rule then uses — a
    decision drafted after it named 「荣成市某某伪造局」 — and `wenze audit verify` passed,
    because only settings some audit record wrote were compared. Every settings row is
    written by an audited act (修改系统设置), so a row no record wrote is reported."""
    attack(
        site,
        lambda con: con.execute(
            "INSERT INTO settings (key, value) VALUES ('bureau_name', '荣成市某某伪造局')"
        ),
    )
    code, out = verify(site, capsys, user=False)
    assert code == 2, out
    assert "bureau_name" in out and "没有审计记录" in out, out


def test_f2_settings_written_through_the_services_still_verify(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = _db(site)
    admin = login(db, site, "admin", ADMIN_PW)
    admin.masterdata.update_settings(bureau_name="荣成市综合行政执法局")
    admin.dispositions.update_settings(disposition_days=20)
    admin.four_forms.update_mapping(admin.four_forms.mapping())
    db.dispose()
    code, out = verify(site, capsys, user=True)
    assert code == 0, out


def test_f3_the_fault_log_keeps_no_parameter_after_a_bracket(tmp_path: Path) -> None:
    """Finding 3: the log promises no SQL parameters (case data), but ``scrub`` cut
    ``[parameters: …]`` at the first 「]」: a lead content or case text holding a bracket
    (「[匿名]」, 「〔2026〕」 is safe, 「[1]」 is not) left the rest of the parameters — the text
    after it, a phone number — in ``logs/wenze.log``."""
    from app.faults import log_fault, scrub

    message = (
        "(sqlite3.OperationalError) attempt to write a readonly database\n"
        "[SQL: INSERT INTO leads (content, number) VALUES (?, ?)]\n"
        "[parameters: ('反映[匿名]执法人员王某收受好处，联系电话13906310605', 'XS2026-0001')]\n"
        "(Background on this error at: https://sqlalche.me/e/20/e3q8)"
    )
    assert "13906310605" not in scrub(message)
    assert "王某" not in scrub(message)
    assert "Background on this error" in scrub(message)
    sql_bracket = (
        "[SQL: SELECT x FROM t WHERE a IN ([POSTCOMPILE_a]) AND b = ?]\n[parameters: ('秘密',)]"
    )
    assert "秘密" not in scrub(sql_bracket) and "POSTCOMPILE" not in scrub(sql_bracket)
    log_fault(RuntimeError(message), tmp_path)
    logged = (tmp_path / "logs" / "wenze.log").read_text(encoding="utf-8")
    assert "13906310605" not in logged and "王某" not in logged
