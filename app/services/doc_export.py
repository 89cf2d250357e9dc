"""Exporting issued documents as PDFs, and what the audit trail says of it.

A case voided (作废) while its papers are exported (第十三条): the export's selection leaves
voided cases out (``issuing.voided_export_problems``), and one voided while the export runs is
left out the same way, batch by batch. Of every case's export it is skipped and named at the
end (``Exported.voided``); one case's export is refused, as it is when voided before it began.
What the export created of that case before the voiding is taken out of the folder again:
those files were written by this run moments ago and would read like documents in force (a
file of the same name an earlier export left there is not this run's, and stays).

Two 导出文书 records: ``document_export_begun`` before any file (what is planned; it claims
no file, so a crash midway leaves no claim of files not written) and ``document_export`` at
the end (what was written, which cases were left out and why, whether it stopped and why).
An export the file system stops (the disk full, the folder gone) takes out the files it
created and records that too: a partial set is no export, and papers that
stayed in the folder are never left out of the trail."""

from __future__ import annotations

import errno
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import issuing
from app.domain.rules import RuleViolation, ensure
from app.services.base import ServiceError
from app.services.leads import export_reporter_problems
from app.services.permissions import ServiceAction
from app.storage.models import Case

EXPORT_LABEL = "已印发文书（PDF）"
#: Why an export stopped that the file system stopped (the disk full, the folder gone).
WRITE_FAILED = "{why}，导出已停止；本次新写入的文件已从所选文件夹删除（未能删除的计入已导出）"
_WHY = {errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已满", errno.EROFS: "所选位置只读",
        errno.EACCES: "无权写入所选文件夹", errno.EPERM: "无权写入所选文件夹"}  # fmt: skip


def write_failed(exc: Exception) -> str:
    """Why an export stopped on a fault that is no refusal, in Chinese (no path: the record
    names the folder; the file names carry case numbers only)."""
    if isinstance(exc, OSError):
        why = _WHY.get(exc.errno or 0, "写入所选文件夹失败")
    else:
        why = "导出时发生错误"
    return WRITE_FAILED.format(why=why)


#: Why a case was left out of an export, as its audit record says.
VOIDED_REASON = "导出期间案件已作废，依据第十三条未予导出"
HIDDEN_REASON = "导出期间案件已不再对导出人开放（回避），依据第十二条未予导出"


class Exported(list[Path]):
    """The files an export wrote; ``voided``: the numbers of the cases voided while it ran,
        whose papers it did not export; ``left_out``: why each case left out was (for the audit
    record); ``ids``: the documents written."""

    def __init__(self) -> None:
        super().__init__()
        self.voided: list[str] = []
        self.left_out: dict[str, str] = {}
        self.ids: dict[Path, tuple[int, str, str]] = {}
        self._of_case: dict[str, list[Path]] = {}
        self._created: set[Path] = set()

    def wrote(self, row: tuple[int, str, str], path: Path, created: bool) -> None:
        """``row`` (document id, case number, kind) written as ``path``; ``created``: no
        file of that name was there before (an earlier export's is never this run's to remove)."""
        self.append(path)
        self.ids[path] = row
        self._of_case.setdefault(row[1], []).append(path)
        if created:
            self._created.add(path)

    def drop_voided(self, voided: set[str], one_case: bool) -> None:
        """Cases found voided at this batch: their files written so far are removed; one
        case's export stops (ServiceError), every case's goes on without them."""
        newly = sorted(voided - set(self.voided))
        for number in newly:
            self.left_out[number] = VOIDED_REASON
            for path in self._of_case.pop(number, []):
                if path in self._created:  # only what this run created is taken out again
                    path.unlink(missing_ok=True)
                self.remove(path)
                del self.ids[path]
        if not newly:
            return
        if one_case:
            raise ServiceError(issuing.voided_meanwhile(newly, stopped=True))
        self.voided.extend(newly)

    def drop_created(self) -> None:
        """A write that failed (disk full, folder gone): the files this run created are taken
        out again (a partial set is no export); an earlier export's file of the same name stays
        and is counted, it is still in the folder."""
        for path in [p for p in self if p in self._created]:
            try:
                path.unlink(missing_ok=True)
            except OSError:  # not to be taken out (the folder itself gone): still counted
                continue
            self.remove(path)
            del self.ids[path]
        self._created.clear()

    def voided_message(self) -> str:
        """What the officer is told at the end ("" when no case was voided meanwhile)."""
        return issuing.voided_meanwhile(self.voided, stopped=False) if self.voided else ""


def _written(
    rows: list[tuple[int, str, str]], count: str, folder: str, case: str | None
) -> dict[str, Any]:
    """What both records say of ``rows`` (document id, case number, kind): how many (under
    ``count``), of how many cases, of which kinds, into which folder; of one case, which."""
    after: dict[str, Any] = {
        "export": EXPORT_LABEL,
        count: len(rows),
        "cases": len({number for _id, number, _kind in rows}),
        "kinds": dict(sorted(Counter(kind for _id, _n, kind in rows).items())),
        "folder": folder,
    }
    if case is not None:
        after["case"] = case
        after["document_ids"] = sorted(doc_id for doc_id, _n, _k in rows)
    return after


def planned_record(
    rows: list[tuple[int, str, str]], folder: str, case: str | None
) -> dict[str, Any]:
    """The record written before any file: what the export is to write (``planned``; it
    claims no file written — a crash after it leaves it alone, saying only that an export
    began)."""
    return _written(rows, "planned", folder, case)


def closing_record(
    made: Exported, planned: int, folder: str, case: str | None, stopped: str | None
) -> dict[str, Any]:
    """The record written at the end: what was written into the folder (who, when, how many,
    of which cases and kinds; of one case, which documents), which cases were left out and
    why, and why the export stopped (``stopped``). Case numbers only, never a reporter (第十条)."""
    rows = list(made.ids.values())
    after = _written(rows, "documents", folder, case)
    if made.left_out:
        after["left_out"] = dict(sorted(made.left_out.items()))
    if stopped is not None:
        after["stopped"] = stopped
        after["not_exported"] = planned - len(rows)
    return after


def hidden_numbers(s: Session, case_ids: Iterable[int], hidden: Iterable[int]) -> list[str]:
    """The numbers of the cases among ``case_ids`` hidden from the actor now (a recusal
    granted while the export ran: 第十二条)."""
    ids = sorted(set(case_ids) & set(hidden))
    return sorted(s.scalars(select(Case.number).where(Case.id.in_(ids)))) if ids else []


def voided_numbers(s: Session, case_ids: Iterable[int]) -> set[str]:
    """The numbers of the cases among ``case_ids`` that are voided now."""
    ids = sorted(set(case_ids))
    if not ids:
        return set()
    rows = s.scalars(select(Case.number).where(Case.id.in_(ids), Case.voided.is_(True)))
    return set(rows)


def _voided_problems(s: Session, case_id: int, verb: str, *, draft: bool = False) -> list[Any]:
    """第十三条: the refusal of a paper of case ``case_id`` leaving the system (``verb``) when
    the case is voided (``issuing.voided_export_problems``)."""
    case = s.get(Case, case_id)
    if case is None:
        return []
    return issuing.voided_export_problems(case.number, bool(case.voided), verb, draft=draft)


class Exporting:
    """DocumentService's export: its two audit records around the files (``_write_batches``,
    in documents.py, writes them batch by batch)."""

    db: Any
    services: Any
    tx: Any
    _write_batches: Any
    get_document: Any
    _ensure_visible: Any
    _draft: Any
    render: Any

    def _export(
        self,
        rows: list[tuple[int, str, str]],
        folder: Path,
        progress: Callable[[int, int], None] | None,
        case: tuple[int, str] | None = None,
        name: str | None = None,
    ) -> Exported:
        """Write ``rows`` (document id, case number, kind) as PDFs into ``folder`` (recorded
        as ``name``, the folder the officer chose): audited before any file is written, with
        what is planned, and at the end, with what was written, left out or stopped, and why
        (doc_export.py); none naming a reporter of its case's leads (第十条)."""
        folder.mkdir(parents=True, exist_ok=True)
        if not rows:
            return Exported()
        name, number = name or folder.name, case[1] if case else None
        with self.db.read() as s:  # 第十条: refused before any file or record is written
            ids = [r[0] for r in rows]
            ensure(export_reporter_problems(s, self.services.vault, ids, name=name))
        out = Exported()
        self._record_export("document_export_begun", planned_record(rows, name, number), case)
        try:
            self._write_batches(rows, folder, progress, out, case is not None)
        except ServiceError as exc:  # stopped (第十二条, 第十三条): said so, then raised
            end = closing_record(out, len(rows), name, number, stopped=str(exc))
            self._record_export("document_export", end, case)
            raise
        except Exception as exc:  # the disk full, the folder gone, a fault (a kill: begun only)
            out.drop_created()  # nothing of this run's is left behind, and the trail says so
            end = closing_record(out, len(rows), name, number, stopped=write_failed(exc))
            self._record_export("document_export", end, case)
            raise
        self._record_export(
            "document_export", closing_record(out, len(rows), name, number, None), case
        )
        return out

    def print_problems(self, document_id: int) -> list[RuleViolation]:
        """第十条: what keeps an issued document from being printed on the documents panel, as
        from being exported (``export_reporter_problems``): one naming a reporter of its
        case's leads — issued before the lead was linked, or before its reporter was entered."""
        view, _content = self.get_document(document_id)  # 第十二条: not of a hidden case
        with self.db.read() as s:
            voided = _voided_problems(s, view.case_id, "打印")  # 第十三条, as for 导出
            return voided or export_reporter_problems(s, self.services.vault, [document_id], "打印")

    def save_document(self, document_id: int, path: str | Path) -> Any:
        """One issued document written to a file the officer named (the release dialog's
        保存…): an export as ``_export``'s — not of a voided case (第十三条), not naming a
        reporter of its case's leads (第十条; both refused before any record or file), audited
        before the file (what is planned) and after it (what was written, or why it stopped;
        a file it created is then taken out again)."""
        view, _content = self.get_document(document_id)  # 第十二条: not of a hidden case
        with self.db.read() as s:
            number = s.scalar(select(Case.number).where(Case.id == view.case_id)) or ""
            ensure(_voided_problems(s, view.case_id, "保存"))
            path = Path(path)
            ensure(
                export_reporter_problems(s, self.services.vault, [document_id], "保存", path.name)
            )
        row, where = (document_id, number, str(view.kind)), (view.case_id, number)
        out = Exported()
        self._record_export(
            "document_export_begun", planned_record([row], path.name, number), where
        )
        created = not path.exists()
        try:
            result = self.render(document_id, path)
        except Exception as exc:
            if created:  # a half-written file of this save is no export
                path.unlink(missing_ok=True)
            why = str(exc) if isinstance(exc, ServiceError) else write_failed(exc)
            end = closing_record(out, 1, path.name, number, stopped=why)
            self._record_export("document_export", end, where)
            raise
        out.wrote(row, path, created)
        self._record_export(
            "document_export", closing_record(out, 1, path.name, number, None), where
        )
        return result

    def draft_print_problems(self, case_id: int, content: dict[str, Any]) -> list[RuleViolation]:
        """第十条: what keeps a draft of case ``case_id`` (``content``, as previewed: not
        issued, so never checked) from being printed — the words of one naming a reporter of
        the case's leads, or of one whose reporter the printer's key does not open
        (``issuing.draft_print_problems``). A draft 卷宗 is checked with the papers the
        service binds into it (any list in ``content`` is ignored, as render_content does)."""
        from app.documents.compose import plain_text
        from app.domain.enums import DocumentKind
        from app.services.leads import _bound_texts, reporter_terms

        self._ensure_visible(case_id)  # 第十二条: not of a case hidden from the actor
        bound: list[int] = []
        if content.get("kind") == DocumentKind.DOSSIER:
            bound = list(self._draft(case_id, DocumentKind.DOSSIER, None)[0]["documents"])
        title = str(content.get("title") or content.get("kind") or "文书")
        with self.db.read() as s:
            identities = reporter_terms(s, self.services.vault, [case_id]).get(case_id, [])
            papers = _bound_texts(s, case_id, bound)
            voided = _voided_problems(s, case_id, "打印", draft=True)  # 第十三条
        text = "\n".join([plain_text(content), *papers])
        return voided or issuing.draft_print_problems(title, text, identities)

    def _record_export(
        self, entity: str, after: dict[str, Any], case: tuple[int, str] | None
    ) -> None:
        with self.tx(ServiceAction.EXPORT_DOCUMENTS) as t:
            t.audit(entity, None, case_id=case[0] if case else None, after=after)
