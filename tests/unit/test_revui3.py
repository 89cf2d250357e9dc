"""Hostile review 3 of the screens outside the case wizard (2026-12-05)."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.vault import ReporterIdentity

PW = "Wenze#2026xq"


def test_first_admin_in_the_window_keeps_the_key_of_leads_entered_before_him(
    sqlite_db, clock, tmp_path: Path
) -> None:
    """`wenze demo --data-dir D` (or any command run before the first start) seals reporters
    with the plain key file D/keys/reporter.key. The first start in the window then created
    the administrator with a new key: every one of those reporters said 「举报人信息与该线索
    不符（数据文件可能被改动）」 to the administrator, the 台账 withheld their cases' summaries,
    and the plain key file stayed on disk beside the database (第十条)."""
    factory = functools.partial(build_services, sqlite_db, data_dir=tmp_path, clock=clock)
    before = factory()  # as the command line: the plain key file
    reporter = ReporterIdentity(name="李举报", phone="13912345678")
    lid = before.leads.register_lead(
        received_on=date(2026, 11, 2),
        source="举报",
        channel="来信",
        content="反映执法人员收受好处费",
        reporter=reporter,
    )
    key_file = tmp_path / "keys" / "reporter.key"
    assert key_file.exists()

    # The window's first start: an anonymous bundle holding the key in memory only.
    result = factory(keys=SessionKeyProvider()).users.create_first_admin("admin", "王管理", PW)
    admin = factory(actor=result.actor, keys=SessionKeyProvider(result.data_key))
    shown = admin.leads.reveal_reporter(lid)
    assert shown is not None and shown.name == "李举报"
    assert not key_file.exists()
