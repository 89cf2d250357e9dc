"""Regulation data, storage set-up, leads, the CLI and the demo."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from app.domain.regulation import clause_label, load_regulation
from app.services.vault import ReporterIdentity
from app.storage.models import AuditRecord, Case, Decision, DocNumber, Lead

ROOT = Path(__file__).resolve().parents[2]


def test_regulation_has_every_article_and_clause() -> None:
    reg = load_regulation()
    assert [a.number for a in reg.articles] == list(range(1, 15))
    assert len(reg.article(7).clauses) == 11
    assert len(reg.article(8).clauses) == 5
    assert len(reg.article(11).clauses) == 5
    assert reg.clause(11, 3).text.startswith("责令辞职")
    assert "30 日内" in reg.article(14).text
    assert clause_label(7, 11) == "第七条第（十一）项"
    assert len(reg.ground_clauses()) == 16


def test_core_layers_do_not_import_qt() -> None:
    code = (
        "import sys, app.domain.rules, app.domain.deadlines, app.domain.lifecycle, "
        "app.storage, app.services, app.services.demo, app.cli;"
        "bad=[m for m in sys.modules if m.startswith('PySide6')]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_is_migrated_with_safe_pragmas(sqlite_db) -> None:
    assert sqlite_db.schema_revision() is not None
    with sqlite_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        opts = {r[0] for r in conn.execute(text("PRAGMA compile_options"))}
        assert "ENABLE_FTS5" in opts


def test_reporter_identity_is_encrypted_and_never_audited(svc, world) -> None:
    lid = svc.leads.register_lead(
        received_on=date(2026, 3, 1),
        source="举报",
        channel="来信",
        content="反映执法不作为",
        reporter=ReporterIdentity(name="萧秘密", phone="13900000000"),
    )
    view = svc.leads.get_lead(lid)
    assert view.has_reporter and "萧秘密" not in repr(view)
    with svc.db.read() as s:
        blob = s.scalar(select(Lead.reporter_blob).where(Lead.id == lid))
        audit = s.scalars(select(AuditRecord)).all()
    assert "萧秘密".encode() not in blob
    assert all("萧秘密" not in repr((a.before, a.after)) for a in audit)
    assert svc.leads.reveal_reporter(lid).name == "萧秘密"
    with svc.db.read() as s:
        assert (
            s.scalar(select(AuditRecord.action).order_by(AuditRecord.seq.desc()).limit(1))
            == "查看举报人信息"
        )


def test_cli_deadline_review_prints_date_and_warning() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "app", "deadline", "review", "2026-12-10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "2027-01-11" in out and "2027年" in out and "警告" in out


def test_demo_500_cases_through_services(tmp_path) -> None:
    data = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--cases", "500", "--data-dir", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from app.domain.lifecycle import Stage
    from app.services import build_services
    from app.storage import open_database

    db = open_database(data)
    svc = build_services(db, data_dir=data)
    with db.read() as s:
        stages = set(s.scalars(select(Case.stage).distinct()))
        assert stages == {st.value for st in Stage}
        n_numbers = s.scalar(select(func.count(DocNumber.id)))
        assert n_numbers == s.scalar(select(func.count(func.distinct(DocNumber.number))))
        decisions = s.scalar(select(func.count(Decision.id)))
        assert decisions > 100
        forms = {f for fs in s.scalars(select(Decision.forms)) for f in fs}
        assert forms == {"责令作出书面检查", "通报批评", "责令辞职", "行政处分", "其他方式"}
        grounds = {
            tuple(r) for r in s.execute(text("SELECT DISTINCT article, clause FROM case_grounds"))
        }
        assert len(grounds) == 16
        # One audit record per service call: the chain's length equals the records written.
        assert s.scalar(select(func.count(AuditRecord.id))) == s.scalar(
            select(func.max(AuditRecord.seq))
        )
    assert svc.audit.verify_chain().ok
    db.dispose()
