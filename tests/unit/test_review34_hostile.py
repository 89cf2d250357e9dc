"""Review 34 (h34-hostile): the attacker and the careless clerk.

- 第十条: the reporter check compared the text as typed. A clerk who wrote the reporter's
  telephone the way it is usually written (「139-0000-0000」), or with the input method's
  full-width digits (「１３９００００００００」), or the ID number's check letter in lower case,
  put the reporter into a 问责决定书 for the subject and into the lead's 内容 every user lists.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.domain.rules import RuleViolation
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance

REPORTER = ReporterIdentity(
    name="萧秘密", phone="13900000000", id_number="11010119900101123X", address="幸福小区3号楼501室"
)

#: The reporter as a careless clerk writes him: separators, full-width forms, lower case.
WRITTEN = [
    "139-0000-0000",
    "139—0000—0000",
    "１３９００００００００",
    "(139)0000.0000",
    "11010119900101123x",
    "幸福小区３号楼５０１室",
    "幸福小区3号楼-501室",
]


def _lead(svc, content: str = "反映某中队推诿投诉。") -> int:  # type: ignore[no-untyped-def]
    return svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content=content,
        reporter=REPORTER,
    )  # fmt: skip


@pytest.mark.parametrize("written", WRITTEN)
def test_the_reporter_written_another_way_is_not_issued_to_the_subject(svc, world, written) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.DECIDED)
    did = svc.queries.get_case(cid).decisions_in_force()[1].id
    svc.leads.link_lead(_lead(svc), cid)
    draft = svc.documents.draft_document(cid, DocumentKind.DECISION, did)
    facts = next(b for b in draft["blocks"] if b.get("text", "").startswith("经查"))
    facts["text"] = f"经查，据（{written}）来信反映，王喆对辖区占道经营投诉推诿。"
    with pytest.raises(RuleViolation, match=r"^依据第十条") as refused:
        svc.documents.issue_document(cid, DocumentKind.DECISION, did, draft)
    assert written not in str(refused.value).replace(facts["text"], "")
    assert svc.documents.list_documents(cid) == []
    # A date or a document number written with dashes is no reporter's telephone.
    facts["text"] = "经查，王喆于2026-03-01对辖区占道经营投诉推诿（编号139-0000）。"
    assert svc.documents.issue_document(cid, DocumentKind.DECISION, did, draft)


@pytest.mark.parametrize("written", WRITTEN)
def test_the_reporter_written_another_way_is_not_put_in_the_lead_content(svc, written) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation, match=r"^依据第十条"):
        _lead(svc, f"{written}来信反映某中队推诿投诉。")


# ------------------------------------------------------------------ a shared backup folder
def test_another_pcs_backups_in_the_shared_folder_do_not_fail_verification(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two PCs sharing one second backup folder (supported since session 32): PC A's
    `wenze audit verify` compared PC B's manifests there with A's own chain and reported A's
    chain 「末尾被截断」 (or a record rewritten) — a false alarm on every check. A manifest that
    names another database and is sealed under another installation's key is no anchor of A;
    A's own backups there are still compared, and a rewrite is still found."""
    from datetime import timedelta

    from tests.conftest import Clock
    from tests.unit.test_backup_retention import TODAY, _backup_at, _site

    share = tmp_path / "share"
    a_clock, b_clock = Clock(TODAY), Clock(TODAY - timedelta(minutes=1))
    a = _site(tmp_path, "a", a_clock, share)
    b = _site(tmp_path, "b", b_clock, share)
    try:
        for i in range(5):  # B's chain is longer than A's
            b.masterdata.update_settings(bureau_name=f"某局{i}")
        theirs = _backup_at(b, b_clock, TODAY - timedelta(days=1))
        _backup_at(a, a_clock, TODAY)
        report = a.audit.verify()
        assert report.ok, report.problems
        assert any(theirs.path.name in n and "另一数据库" in n for n in report.notes), report.notes
        # A's own anchors still count: its chain cut back is found by its backup in the share.
        a.masterdata.update_settings(bureau_name="某局甲")
        _backup_at(a, a_clock, TODAY + timedelta(minutes=1))
        with a.db.engine.begin() as con:
            from sqlalchemy import text

            con.execute(text("DELETE FROM audit_records WHERE seq > 2"))
        assert not a.audit.verify().ok
    finally:
        a.db.dispose()
        b.db.dispose()


def _copied(tmp_path):  # type: ignore[no-untyped-def]
    """PC A's data directory copied whole to PC B, which then goes its own way; both back up
    into one shared folder."""
    import shutil
    from datetime import timedelta

    from app.services import build_services
    from app.services.backup_retention import database_id_in
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database
    from tests.conftest import Clock
    from tests.unit.test_backup_retention import TODAY, _site

    share = tmp_path / "share"
    a_clock, b_clock = Clock(TODAY), Clock(TODAY - timedelta(minutes=1))
    a = _site(tmp_path, "a", a_clock, share)
    a.masterdata.update_settings(bureau_name="某局")
    a.db.dispose()
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    db = Database(f"sqlite:///{tmp_path / 'b' / 'wenze.db'}", tmp_path / "b")
    b = build_services(
        db, data_dir=tmp_path / "b", clock=b_clock, keys=StaticKeyProvider(b"k" * 32)
    )
    assert database_id_in(a.db) == database_id_in(b.db)  # the copy: one identity
    b.masterdata.update_settings(bureau_name="某局（复制）")
    return a, b, a_clock, b_clock, share


def test_a_copied_database_does_not_thin_the_copys_backups(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A database copied to a second PC keeps its identity (the first audit record's link):
    both copies' backups in one shared folder named the same database, and each PC's
    retention removed the other's as its own — the copy's only backups there lost. Retention
    now removes only backups of this database's own chain (the manifest's chain head is the
    record this chain holds at that position); the other copy's are left alone."""
    from datetime import timedelta

    from tests.unit.test_backup_retention import TODAY, _backup_at, _names

    a, b, a_clock, b_clock, share = _copied(tmp_path)
    try:
        b_made = [_backup_at(b, b_clock, TODAY - timedelta(days=45 - d)).path.name for d in range(25)]  # fmt: skip
        assert _names(share) == set(b_made)
        a_made = [_backup_at(a, a_clock, TODAY - timedelta(days=9 - d)).path.name for d in range(10)]  # fmt: skip
        assert _names(share) == {*b_made, *a_made}
        assert a.backups.prune(share) == []
        # Each still thins its own: 35 more days of A's leave A at most 30 days + months.
        more = [_backup_at(a, a_clock, TODAY + timedelta(days=1 + d)).path.name for d in range(35)]  # fmt: skip
        assert set(b_made) <= _names(share) and more[-1] in _names(share)
        assert not {*a_made} <= _names(share)
    finally:
        a.db.dispose()
        b.db.dispose()


def test_restoring_the_copys_backup_is_warned_of(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The copy's backup names this database and is sealed under the same key (the copy took
    the key wraps along): its seal verifies, and the restore confirmation said nothing — or
    counted this database's records "after" it — while the restore would put the copy's
    history in place of this PC's since the two went apart."""
    from datetime import timedelta

    from app.services.backup import FORKED_DATABASE
    from tests.unit.test_backup_retention import TODAY, _backup_at

    a, b, a_clock, b_clock, share = _copied(tmp_path)
    try:
        a.masterdata.update_settings(bureau_name="某局（原）")  # A went on too
        for i in range(3):
            b.masterdata.update_settings(bureau_name=f"某局（复制）{i}")
        theirs = _backup_at(b, b_clock, TODAY - timedelta(hours=1))
        assert FORKED_DATABASE in a.backups.restore_warning(share / theirs.path.name)
        # A shorter copy's backup: the same warning, not a count of A's records "after" it.
        a.masterdata.update_settings(bureau_name="某局甲")
        for i in range(6):
            a.masterdata.update_settings(bureau_name=f"某局甲{i}")
        warning = a.backups.restore_warning(share / theirs.path.name)
        assert FORKED_DATABASE in warning and "该备份只到第" not in warning
        # A's own backup, older or newer than the current chain, is no copy's.
        own = _backup_at(a, a_clock, TODAY + timedelta(minutes=1))
        assert FORKED_DATABASE not in a.backups.restore_warning(own.path)
        a.masterdata.update_settings(bureau_name="某局乙")
        assert FORKED_DATABASE not in a.backups.restore_warning(own.path)
        assert "该备份只到第" in a.backups.restore_warning(own.path)
    finally:
        a.db.dispose()
        b.db.dispose()


# ------------------------------------------------------------------ an edited database file
def test_a_sanction_period_shortened_in_the_file_releases_nothing(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    """A decision's sanction and its end rewritten with ``sqlite3`` (记过 to 警告, its end six
    months earlier) were refused at 印发 of any document, but 解除处分 read them as they stood
    and recorded the release half a year early (《公务员法》第六十四条: no release before the
    period ends) — a release the 处分期满 list then showed as lawful. The release now runs the
    same check against the case's audit records first, and is refused naming the column."""
    from dataclasses import replace as dc_replace
    from datetime import datetime, timedelta

    from sqlalchemy import text

    from app.domain.release import ReleaseSpec
    from app.services.base import ServiceError
    from tests.unit.test_rulebook import audit_count

    cid = advance(svc, world, Stage.SERVED)
    d = next(d for d in svc.queries.get_case(cid).decisions_in_force() if d.sanction_kind)
    assert d.sanction_end > d.effective_on + timedelta(days=200)
    short = d.effective_on + timedelta(days=180)
    with svc.db.engine.begin() as con:
        con.execute(
            text("UPDATE decisions SET sanction_kind = '警告', sanction_end = :e WHERE id = :i"),
            {"e": short, "i": d.id},
        )
    clock.now = datetime.combine(short + timedelta(days=3), datetime.min.time())
    assert clock.now.date() < d.sanction_end  # the real period is still running
    spec = ReleaseSpec(short + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚")
    before = audit_count(svc)
    with pytest.raises(ServiceError, match="审计记录不符") as refused:
        svc.releases.release(d.id, spec)
    message = str(refused.value)
    assert message.startswith("依据《公务员法》第六十四条") and "不能据此解除处分" in message
    assert f"处理决定（编号{d.id}）" in message, message
    assert audit_count(svc) == before
    # Put back as the audit records say, the period runs to its real end.
    with svc.db.engine.begin() as con:
        con.execute(
            text("UPDATE decisions SET sanction_kind = :k, sanction_end = :e WHERE id = :i"),
            {"k": d.sanction_kind, "e": d.sanction_end, "i": d.id},
        )
    with pytest.raises(RuleViolation):
        svc.releases.release(d.id, dc_replace(spec))
