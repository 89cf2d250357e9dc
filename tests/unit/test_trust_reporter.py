"""Art. 10: a seeded reporter's name is found nowhere on disk — DB, WAL, backups, exports, logs."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pdfplumber

from app.domain.enums import DocumentKind, LeadChannel, LeadSource
from app.domain.lifecycle import Stage
from app.readmodels import Period
from app.services import build_services
from app.services.keys import SessionKeyProvider
from app.services.vault import ReporterIdentity
from tests.helpers.builders import advance, seed_world

NAME = "欧阳举报甲"
PHONE = "13912345678"
ADDRESS = "荣成市成山大道九十九号"
PW = "Adm1n-密码-2026"


def _needles() -> list[bytes]:
    out = []
    for secret in (NAME, PHONE, ADDRESS):
        for enc in ("utf-8", "utf-16-le", "utf-16-be", "gbk", "gb18030"):
            out.append(secret.encode(enc))
    return out


def _hits(root: Path, needles: list[bytes]) -> list[str]:
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for n in needles:
            if n in data:
                hits.append(f"{path.relative_to(root)}: {n!r}")
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for member in z.namelist():
                    text = z.read(member)
                    hits += [f"{path.name}/{member}" for n in needles if n in text]
        if path.suffix == ".pdf":
            with pdfplumber.open(path) as pdf:
                text = "".join(page.extract_text() or "" for page in pdf.pages)
            hits += [f"{path.name} (text)" for s in (NAME, PHONE, ADDRESS) if s in text]
    return hits


def test_reporter_identity_never_reaches_disk(sqlite_db, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = build_services(sqlite_db, data_dir=tmp_path, clock=clock)
    first.users.create_first_admin("admin", "管理员甲", PW)
    result = first.users.authenticate("admin", PW)
    keys = SessionKeyProvider(result.data_key)
    svc = build_services(sqlite_db, actor=result.actor, keys=keys, data_dir=tmp_path, clock=clock)
    world = seed_world(svc)
    cid = advance(svc, world, Stage.SERVED)
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1),
        source=LeadSource.REPORT,
        channel=LeadChannel.LETTER,
        content="反映城区一中队推诿塞责",
        reporter=ReporterIdentity(name=NAME, phone=PHONE, address=ADDRESS),
    )
    svc.leads.link_lead(lead, cid)
    control = "对照标记乙丙"  # stored in plain on purpose: proves the search can find text
    svc.leads.register_lead(
        received_on=date(2026, 3, 2),
        source=LeadSource.REPORT,
        channel=LeadChannel.PHONE,
        content=control,
    )
    assert svc.leads.reveal_reporter(lead).name == NAME  # the authorised user can read it
    case = svc.queries.get_case(cid)
    issued = {
        v.ref_id for v in svc.documents.list_documents(cid) if v.kind == DocumentKind.DECISION
    }
    for d in case.decisions:  # serving needed the issued decision; issue the others
        if d.id not in issued:
            svc.documents.issue_document(cid, DocumentKind.DECISION, d.id)
    exports = tmp_path / "exports"
    svc.documents.export_all(exports / "pdf")
    svc.reports.export_ledger(exports / "ledger.xlsx")
    svc.reports.export_monthly(exports / "monthly.xlsx", Period.month(2026, 3))
    svc.backups.backup_now(to=tmp_path / "usb")
    # While the database is open: the WAL and shared-memory files exist and are searched too.
    assert (tmp_path / "wenze.db-wal").exists()
    assert not (tmp_path / "keys" / "reporter.key").exists()
    needles = [*_needles(), result.data_key]  # nor may the plain data key be anywhere on disk
    assert _hits(tmp_path, needles) == []
    assert _hits(tmp_path, [control.encode("utf-8")]) != []
    sqlite_db.dispose()  # after a checkpoint the main file holds everything: search again
    assert _hits(tmp_path, needles) == []
    searched = {p.suffix for p in tmp_path.rglob("*") if p.is_file()}
    assert {".db", ".json", ".pdf", ".xlsx"} <= searched
