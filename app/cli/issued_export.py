"""The lean read path of `wenze docs export --case N [--kind K]` on SQLite.

An issued document is frozen: its words are JSON in the ``documents`` table and its PDF is
regenerated from them (``DocumentService.render``). Writing one therefore needs the frozen
content, the case number and the access rules, not the ORM: this module reads them with the
standard ``sqlite3`` module in one read transaction and renders with the same functions as the
service (``compose.to_doc`` → ``render_pdf``), so a fresh process skips importing SQLAlchemy,
the models and the services (≈ 0.6 s). The bytes are the service's
(``tests/unit/test_docs_export_lean.py`` compares both).

The same rules as the normal path, step by step (``app.cli.docs._export_case``):

* the acting user is the one ``open_services`` would act as: with no ``--user`` that is the
  system (no user yet) or the read-only 审计员 — both without a person, so both read every case
  (查阅 is allowed to every role; a test keeps that assumption honest);
* a case is found by its number among the cases not hidden from the actor (Art. 12
  recusal, or a subject's own case), else by a plain id; a hidden case is refused with the
  service's own message (第十二条), a voided one with the rulebook's (第十三条:
  ``issuing.voided_export_problems``);
* the case's current documents (not superseded), in id order, of the kind asked for.

Anything else goes to the normal path (``None`` is returned before anything is written): a
PostgreSQL or unusual URL, no database file yet, a schema that needs migrating, ``--user``,
a 卷宗 (it binds other documents), or any error reading the database.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The services' own refusals (app.services.base.ServiceContext.ensure_case_visible and
# CaseQueryService.get_case): the same words, so a user sees no difference.
CASE_MISSING = "案件不存在"
CASE_HIDDEN = "案件不存在或您已对该案件回避（第十二条）"
SQLITE_PREFIX = "sqlite:///"


class Refused(Exception):
    """A refusal the normal path reports as a ServiceError (message on stderr, exit code 1)."""


class Fallback(Exception):
    """This export needs the normal path."""


@dataclass(frozen=True)
class Issued:
    id: int
    kind: str
    version: int
    content: dict[str, Any]
    verification_code: str
    content_sha256: str = ""
    outcome: str = ""  # of the decision a 问责决定书 states: 不予/免予问责决定书 are named so

    @property
    def recipient(self) -> str:
        return str((self.content or {}).get("recipient", ""))


def plain_case_id(text: str) -> int | None:
    """A case given by its plain id: decimal digits (full-width too, as int() reads them; not
    「²」, which isdigit() passes and int() refuses) that fit an SQLite integer."""
    text = text.strip()
    if not text.isdecimal():
        return None
    value = int(text)
    return value if value < 2**63 else None


def sqlite_path(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (None for anything else)."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    name = url[len(SQLITE_PREFIX) :]
    if not name or name == ":memory:" or name.startswith("file:") or "?" in name:
        return None
    return Path(name)


class IssuedReader:
    """One read transaction on an SQLite database at the current schema."""

    def __init__(self, path: Path, person_id: int | None = None) -> None:
        from app.migration_heads import script_heads

        if not path.is_file():
            raise Fallback
        self.person_id = person_id
        try:
            self.con = sqlite3.connect(str(path), timeout=10, isolation_level=None)
            self.con.execute("BEGIN")  # one snapshot for every read below
            rows = self.con.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error as exc:
            raise Fallback from exc
        heads = script_heads()
        if not heads or sorted(r[0] for r in rows) != sorted(heads):
            self.close()
            raise Fallback  # the normal path migrates first
        self._hidden: set[int] | None = None

    def close(self) -> None:
        self.con.close()

    def hidden(self) -> set[int]:
        """The cases the actor must not see (ServiceContext.hidden_case_ids)."""
        from app.domain.enums import RecusalVerdict

        if self._hidden is None:
            pid = self.person_id if self.person_id is not None else -1
            rows = self.con.execute(
                "SELECT case_id FROM recusals WHERE person_id = ? AND verdict = ?"
                " UNION SELECT case_id FROM case_subjects WHERE person_id = ?"
                " UNION SELECT s.case_id FROM case_subjects s JOIN people p"
                " ON p.unit_id = s.unit_id WHERE p.id = ? AND p.is_leader = 1"
                " AND p.active = 1 AND s.person_id IS NULL"
                " UNION SELECT case_id FROM case_unit_heads WHERE person_id = ?",
                (pid, RecusalVerdict.GRANTED.value, pid, pid, pid),
            )
            self._hidden = {r[0] for r in rows}
        return self._hidden

    def find_case_id(self, number: str) -> int | None:
        """ListingService.find_case_id(include_voided=True): a visible case by its number."""
        row = self.con.execute(
            "SELECT id FROM cases WHERE number = ?", (number.strip(),)
        ).fetchone()
        return row[0] if row is not None and row[0] not in self.hidden() else None

    def case_number(self, case_id: int) -> str:
        """The number of a case the actor may see (CaseQueryService.get_case's checks) and
        whose documents may leave the system (not voided: app.cli.docs._export_case)."""
        row = self.con.execute(
            "SELECT number, voided FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise Refused(CASE_MISSING)
        self.ensure_visible(case_id)
        if row[1]:
            from app.domain.issuing import voided_export_problems

            raise Refused(str(voided_export_problems(str(row[0]), True)[0]))
        return str(row[0])

    def ensure_visible(self, case_id: int) -> None:
        if self.person_id is not None and case_id in self.hidden():
            raise Refused(CASE_HIDDEN)

    def documents(self, case_id: int) -> list[Issued]:
        """DocumentService.list_documents: the case's current documents, in id order."""
        self.ensure_visible(case_id)
        from app.domain.enums import DocumentKind

        rows = self.con.execute(
            "SELECT d.id, d.kind, d.version, d.content, d.verification_code, d.content_sha256,"
            " x.outcome FROM documents d LEFT JOIN decisions x ON d.kind = ? AND x.id = d.ref_id"
            " WHERE d.case_id = ? AND d.superseded_by_id IS NULL ORDER BY d.id",
            (DocumentKind.DECISION.value, case_id),
        )
        return [
            Issued(i, k, v, json.loads(c), code, sha, outcome or "")
            for i, k, v, c, code, sha, outcome in rows
        ]

    def ensure_issued(self, case_id: int, docs: list[Issued]) -> None:
        """DocumentService's check of each row against its 印发 audit record (no key here:
        the link, not the seal — app.services.document_trail.issuing_record)."""
        from app.domain.issuing import ISSUED_TRAIL_FIELDS, issued_trail_problems
        from app.domain.issuing import issued_trail_refusal as refusal

        for d in docs:
            stored = {"verification_code": d.verification_code, "content_sha256": d.content_sha256}
            audited = seq = None
            for rec_seq, after in self.con.execute(
                "SELECT seq, after FROM audit_records WHERE case_id = ? AND entity = 'document'"
                " AND entity_id = ? ORDER BY seq DESC",
                (case_id, d.id),
            ):
                payload = json.loads(after) if after else {}
                if any(name in payload for name in ISSUED_TRAIL_FIELDS):
                    audited, seq = payload, rec_seq
                    break
            problems = issued_trail_problems(stored, audited, seq, True)
            if problems:
                raise Refused(refusal(d.content.get("title", d.kind), problems))


def export_case(
    db_file: Path, case: str, kind: str | None, output: Path, *, person_id: int | None = None
) -> int:
    """`docs export --case` from ``db_file``: the exit code (Fallback: use the normal path)."""
    reader = IssuedReader(db_file, person_id)
    try:
        try:
            number_arg = case.strip()
            case_id = reader.find_case_id(number_arg)
            if case_id is None:
                case_id = plain_case_id(number_arg)
            if case_id is None:
                print(f"找不到案件：{case}（请填写案件编号，如 WZ2026-0019）")
                return 1
            number = reader.case_number(case_id)
            docs = [d for d in reader.documents(case_id) if kind in (None, d.kind)]
            reader.ensure_issued(case_id, docs)
        except sqlite3.Error as exc:
            raise Fallback from exc
    finally:
        reader.close()
    return _write(docs, number, kind, output)


def _write(docs: list[Issued], number: str, kind: str | None, output: Path) -> int:
    from app.documents import compose
    from app.documents.layout import render_pdf
    from app.documents.text import document_file_name
    from app.domain.enums import DocumentKind
    from app.domain.issuing import document_name
    from app.fsutil import write_via

    if any(d.kind == DocumentKind.DOSSIER and "cover" in d.content for d in docs):
        raise Fallback  # a dossier binds other documents: the service composes it
    if not docs:
        what = f"已印发的{kind}" if kind else "已印发的文书"
        print(f"案件{number}没有{what}")
        return 1
    output.mkdir(parents=True, exist_ok=True)
    for d in docs:
        name = document_name(d.kind, d.outcome)
        path = output / document_file_name(number, name, d.recipient, d.version, d.id)
        if d.content_sha256 and compose.content_sha256(d.content) != d.content_sha256:
            raise Refused(compose.ALTERED.format(title=d.content.get("title", d.kind)))
        try:
            doc = compose.to_doc(d.content, d.verification_code)
        except compose.ContentError as exc:
            raise Refused(str(exc)) from exc
        write_via(path, lambda o, doc=doc: render_pdf(doc, o, invariant=True))
        print(path)
    return 0


def try_export(args: argparse.Namespace) -> int | None:
    """The exit code of ``args`` (docs export --case) by the lean path, or None."""
    if getattr(args, "user", None):
        return None  # a login: the services authenticate
    from app.cli.common import data_dir_of
    from app.config import resolve_database_url
    from app.fsutil import clear_app_temp, use_app_temp

    directory = data_dir_of(args)
    db_file = sqlite_path(resolve_database_url(directory))
    if db_file is None or not db_file.is_file():
        return None
    clear_app_temp(directory)  # as open_services does (again, harmlessly, after a fallback)
    use_app_temp(directory)
    try:
        return export_case(db_file, args.case, args.kind, Path(args.output))
    except Fallback:
        return None
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return 1
