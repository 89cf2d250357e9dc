"""Crash harness: SIGKILL a process doing case saves through the services, then check the file.

Each round forks a child that keeps saving (propose, initiate, assign investigators, record
statements, submit the report, record decisions, record service) on one SQLite file and
reports, through a pipe, "S" before and "D" after every service call. The parent kills it
with SIGKILL after a random delay, then checks:

- ``PRAGMA integrity_check`` is ok, ``PRAGMA foreign_key_check`` is empty, FTS5 is intact;
- no half-applied call: the audit records added in the round equal the calls the child
  reported done (plus at most the one in flight, if its commit landed before the kill);
  every table a call writes has exactly as many rows as that call's audit records;
  every case's stage agrees with its rows;
- the audit chain verifies.

Usage: ``python bench/crash_harness.py --kills 1000 [--data-dir D] [--seed N]`` (POSIX only).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXED_NOW = datetime(2026, 11, 25, 10, 0, 0)
KEY = b"c" * 32

# audit action -> (table, extra WHERE) whose rows that call creates one-for-one
ROW_PER_CALL = {
    "提出问责": ("cases", ""),
    "党组会议决定是否启动问责": ("meetings", "WHERE kind = '启动问责'"),
    "指派调查人员": ("investigators", ""),
    "记录陈述申辩": ("statements", ""),
    "提交调查报告": ("reports", ""),
    "党组处理决定": ("decisions", ""),
    "送达处理决定": ("services", ""),
    "登记线索": ("leads", ""),
}
#: What the child writes in every sealed lead's content, so the check can find them.
SEALED_MARK = "（附举报人信息）"


@dataclass
class Summary:
    kills: int = 0
    calls_done: int = 0
    in_flight_committed: int = 0
    in_flight_lost: int = 0
    killed_before_first_call: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cases: int = 0
    audit_records: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def _services(data_dir: Path):  # type: ignore[no-untyped-def]
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    db = Database(f"sqlite:///{data_dir / 'wenze.db'}", data_dir)
    return build_services(
        db, data_dir=data_dir, clock=lambda: FIXED_NOW, keys=StaticKeyProvider(KEY)
    )


def setup(data_dir: Path) -> None:
    """Migrate and seed units/people (the world the saves use)."""
    from tests.helpers.builders import seed_world

    svc = _services(data_dir)
    svc.db.migrate()
    w = seed_world(svc)
    (data_dir / "world.txt").write_text(
        " ".join(str(x) for x in (w.squad_id, w.section_id, w.leader_id, w.officer_id, *w.staff))
    )
    svc.db.dispose()


def _world(data_dir: Path):  # type: ignore[no-untyped-def]
    from tests.helpers.builders import World

    ids = [int(x) for x in (data_dir / "world.txt").read_text().split()]
    return World(ids[0], ids[1], ids[2], ids[3], ids[4:])


def child(data_dir: Path, seed: int, fd: int) -> None:
    """Save forever; announce readiness, then each call before and after (one byte each)."""
    from sqlalchemy import select

    from app.domain.enums import (
        DocumentKind,
        LeadChannel,
        LeadSource,
        ResponsibilityType,
        ServiceMethod,
        StatementKind,
    )
    from app.domain.lifecycle import Stage
    from app.domain.rules import (
        DecisionSpec,
        InitiationSpec,
        ReportItemSpec,
        ReportSpec,
        ServiceSpec,
    )
    from app.services.vault import ReporterIdentity
    from app.storage.models import Case, IssuedDocument
    from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, proposal

    rng = random.Random(seed)
    svc = _services(data_dir)
    w = _world(data_dir)

    with svc.db.read() as s:  # warm up (connection, mapper set-up) before announcing readiness
        s.scalars(select(Case.id).limit(1)).all()
    svc.masterdata.calendar()
    os.write(fd, b"R")

    def call(fn, *a, **k):  # type: ignore[no-untyped-def]
        os.write(fd, b"S")
        fn(*a, **k)
        os.write(fd, b"D")

    while True:
        with svc.db.read() as s:
            open_ids = list(
                s.scalars(
                    select(Case.id).where(
                        Case.stage.in_(
                            [Stage.PROPOSED, Stage.INVESTIGATING, Stage.REPORTED, Stage.DECIDED]
                        )
                    )
                )
            )
        if rng.random() < 0.1:  # a lead with its reporter sealed (Art. 10): row + blob + audit
            who = ReporterIdentity(name="赵某", phone="13800000000", address="荣成市某街道")
            call(
                svc.leads.register_lead,
                received_on=date(2026, 3, 1),
                source=LeadSource.REPORT,
                channel=LeadChannel.LETTER,
                content="反映城区一中队执法人员推诿塞责。" + SEALED_MARK,
                reporter=who,
            )
            continue
        if not open_ids or rng.random() < 0.25:
            call(svc.cases.propose_case, proposal(w, proposed_on=date(2026, 3, 2)))
            continue
        cid = rng.choice(open_ids)
        case = svc.queries.get_case(cid)
        if case.stage is Stage.PROPOSED:
            spec = InitiationSpec(
                date(2026, 3, 5), "党组会议纪要〔2026〕7号", True, investigation_days=30
            )
            call(svc.cases.decide_initiation, cid, spec)
        elif case.stage is Stage.INVESTIGATING:
            active = [i for i in case.investigators if i.status == "在任"]
            said = {x.subject_id for x in case.statements}
            todo = [sub for sub in case.subjects if sub.id not in said]
            if len(active) < 2:
                call(
                    svc.cases.assign_investigator,
                    cid,
                    w.staff[len(active)],
                    declared_no_conflict=True,
                    declared_on=date(2026, 3, 5),  # before the report (Art. 12)
                )
            elif todo:
                call(
                    svc.cases.record_statement,
                    cid,
                    todo[0].id,
                    kind=StatementKind.DEFENCE,
                    made_on=date(2026, 3, 20),
                    content="无异议" * rng.randint(1, 200),
                )
            else:
                items = [
                    ReportItemSpec(case.subjects[0].id, ResponsibilityType.DIRECT, SQUAD_SANCTION),
                    ReportItemSpec(
                        case.subjects[1].id,
                        ResponsibilityType.PRINCIPAL_LEADERSHIP,
                        LEADER_SANCTION,
                    ),
                ]
                spec = ReportSpec(date(2026, 3, 25), "经查属实。", "第七条第（五）项", items)
                call(svc.cases.submit_report, cid, spec)
        elif case.stage is Stage.REPORTED:
            decided = {d.subject_id for d in case.decisions}
            for sub, sanction in zip(case.subjects, (SQUAD_SANCTION, LEADER_SANCTION), strict=True):
                if sub.id not in decided:
                    spec = DecisionSpec(
                        sub.id,
                        date(2026, 4, 1),
                        date(2026, 4, 1),
                        "党组会议纪要〔2026〕9号",
                        sanction,
                        "经查，该中队对投诉推诿塞责。",
                        "第七条第（五）项、第十一条",
                    )
                    call(svc.cases.record_decision, cid, spec)
                    break
        elif case.stage is Stage.DECIDED:
            for d in case.decisions_in_force():
                if d.service is None:
                    with svc.db.read() as s:
                        issued = s.scalar(
                            select(IssuedDocument.id).where(
                                IssuedDocument.case_id == cid,
                                IssuedDocument.kind == str(DocumentKind.DECISION),
                                IssuedDocument.ref_id == d.id,
                            )
                        )
                    if issued is None:  # Art. 13: what is served is the issued document
                        call(svc.documents.issue_document, cid, DocumentKind.DECISION, d.id)
                        break
                    spec = ServiceSpec(
                        datetime(2026, 4, 3, 9, 30),
                        "局机关纪委办公室",
                        ServiceMethod.DIRECT,
                        "王喆",
                        ["纪晓岚", "崔明远"],
                    )
                    call(svc.cases.record_service, d.id, spec)
                    break


# ----------------------------------------------------------------------------- checks
def audit_count(db_file: Path) -> int:
    con = sqlite3.connect(str(db_file), timeout=30)
    try:
        return con.execute("SELECT count(*) FROM audit_records").fetchone()[0]
    finally:
        con.close()


def check_file(db_file: Path) -> list[str]:
    """Structural and semantic checks on the file after a kill; returns the problems."""
    problems: list[str] = []
    con = sqlite3.connect(str(db_file), timeout=30)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.append(f"integrity_check: {rows[:3]}")
        fks = con.execute("PRAGMA foreign_key_check").fetchall()
        if fks:
            problems.append(f"foreign_key_check: {fks[:3]}")
        try:
            con.execute("INSERT INTO cases_fts(cases_fts) VALUES('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"fts5 integrity-check: {exc}")
        for action, (table, where) in ROW_PER_CALL.items():
            n_rows = con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]
            n_audit = con.execute(
                "SELECT count(*) FROM audit_records WHERE action = ?", (action,)
            ).fetchone()[0]
            if n_rows != n_audit:
                problems.append(f"{action}: {n_rows} rows in {table} but {n_audit} audit records")
        unsealed = con.execute(
            "SELECT count(*) FROM leads WHERE content LIKE ? AND reporter_blob IS NULL",
            (f"%{SEALED_MARK}",),
        ).fetchone()[0]
        if unsealed:
            problems.append(f"{unsealed} leads registered with a reporter but no sealed identity")
        numbers = [r[0] for r in con.execute("SELECT number FROM leads ORDER BY number")]
        want = [f"XS2026-{i:04d}" for i in range(1, len(numbers) + 1)]
        if numbers != want:
            problems.append(f"lead numbers not gap-free: {numbers[:5]}…")
        for cid, stage, opened, decided_on in con.execute(
            "SELECT id, stage, opened_on, decided_on FROM cases"
        ).fetchall():
            problems += _stage_problems(con, cid, stage, opened, decided_on)
    finally:
        con.close()
    from app.services.backup import verify_chain_in_file

    report = verify_chain_in_file(db_file)
    if not report.ok:
        problems.append(f"audit chain: {report.message}")
    return problems


def _stage_problems(con, cid, stage, opened, decided_on) -> list[str]:  # type: ignore[no-untyped-def]
    def n(sql: str) -> int:
        return con.execute(sql, (cid,)).fetchone()[0]

    subjects = n("SELECT count(*) FROM case_subjects WHERE case_id = ?")
    meetings = n("SELECT count(*) FROM meetings WHERE case_id = ? AND kind = '启动问责'")
    reports = n("SELECT count(*) FROM reports WHERE case_id = ? AND superseded_by_id IS NULL")
    decisions = n("SELECT count(*) FROM decisions WHERE case_id = ? AND status = '有效'")
    services = n("SELECT count(*) FROM services WHERE case_id = ? AND superseded_by_id IS NULL")
    ok = {
        "待党组决定": opened is None and meetings == 0 and subjects == 2,
        "调查核实": opened is not None and meetings == 1 and reports == 0,
        "待处理决定": reports == 1 and decisions < subjects,
        "待送达": decisions == subjects and decided_on is not None and services < decisions,
        "已送达": decisions == subjects and services == decisions,
    }.get(stage, True)
    if not ok:
        return [
            f"case {cid}: stage {stage} but subjects={subjects} meetings={meetings} "
            f"reports={reports} decisions={decisions} services={services}"
        ]
    return []


# ----------------------------------------------------------------------------- driver
def _preload(data_dir: Path) -> None:
    """Import and configure everything in the parent so forked children start warm."""
    import importlib

    from sqlalchemy.orm import configure_mappers

    for name in (
        "app.services",
        "app.services.cases",
        "app.services.backup",
        "app.domain.holidays",
        "app.domain.deadlines",
        "app.domain.rules",
        "tests.helpers.builders",
    ):
        importlib.import_module(name)
    configure_mappers()
    _services(data_dir).db.dispose()  # imports the extension services too


def run(
    kills: int,
    data_dir: Path,
    *,
    seed: int = 20261125,
    max_delay: float = 0.4,
    progress: bool = False,
) -> Summary:
    rng = random.Random(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    db_file = data_dir / "wenze.db"
    if not db_file.exists():
        setup(data_dir)
    _preload(data_dir)
    summary = Summary()
    started = time.perf_counter()
    for i in range(kills):
        before = audit_count(db_file)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(r)
            code = 0
            try:
                child(data_dir, rng.randrange(1 << 30), w)
            except BaseException as exc:
                os.write(2, f"child error: {exc!r}\n".encode())
                code = 3
            os._exit(code)
        os.close(w)
        marks = os.read(r, 1)  # "R": the child is ready; kill at a random moment of its saves
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        while chunk := os.read(r, 65536):
            marks += chunk
        os.close(r)
        if not os.WIFSIGNALED(status):
            summary.failures.append(f"kill {i}: child exited on its own (status {status})")
            break
        done = marks.count(b"D")
        in_flight = marks.count(b"S") - done
        added = audit_count(db_file) - before
        summary.kills += 1
        summary.calls_done += done
        if b"S" not in marks:
            summary.killed_before_first_call += 1
        if added == done + 1 and in_flight == 1:
            summary.in_flight_committed += 1
        elif added == done:
            summary.in_flight_lost += in_flight
        else:
            summary.failures.append(
                f"kill {i}: {added} audit records added, child reported {done} done "
                f"and {in_flight} in flight"
            )
        for p in check_file(db_file):
            summary.failures.append(f"kill {i}: {p}")
        if summary.failures:
            break
        if progress and (i + 1) % 50 == 0:
            print(f"  {i + 1}/{kills} kills, {summary.calls_done} calls done", flush=True)
    summary.seconds = time.perf_counter() - started
    con = sqlite3.connect(str(db_file))
    summary.cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    con.close()
    summary.audit_records = audit_count(db_file)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--data-dir")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--max-delay", type=float, default=0.6)
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="wenze-crash-"))
    print(f"crash harness: {args.kills} SIGKILLs, data in {data_dir}")
    s = run(args.kills, data_dir, seed=args.seed, max_delay=args.max_delay, progress=True)
    print(
        f"kills={s.kills} calls_done={s.calls_done} in_flight_committed={s.in_flight_committed} "
        f"in_flight_rolled_back={s.in_flight_lost} killed_before_first_call="
        f"{s.killed_before_first_call} cases={s.cases} audit_records={s.audit_records} "
        f"seconds={s.seconds:.1f}"
    )
    for f in s.failures:
        print("FAIL:", f)
    print("RESULT:", "OK" if s.ok else "FAILED")
    return 0 if s.ok else 1


if __name__ == "__main__":
    sys.exit(main())
