"""Case documents: draft (editable), issue (frozen + verification code), render, verify, export.

Why freeze content, not PDFs: the ``documents`` row keeps the exact words issued; a PDF is
regenerated from it on demand, identical every time, and its footer code is derived from
that content so a printed copy can be checked against the database (``wenze verify-doc``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import EllipsisType
from typing import IO, Any

from sqlalchemy import select

from app.documents import compose
from app.documents.compose.edits import case_names, edit_problems
from app.documents.layout import LayoutError, RenderResult, page_count, render_bundle, render_pdf
from app.documents.text import document_file_name
from app.documents.verify import (
    CODE_CLASH,
    first_free_code,
    normalize_code,
    verification_code,
)
from app.domain import issuing
from app.domain.enums import DecisionStatus, DocumentKind
from app.domain.holidays import HolidayCalendar
from app.domain.issuing import decision_document_name
from app.domain.lifecycle import Stage
from app.domain.rules import ensure
from app.fsutil import write_via
from app.readmodels import CaseDetail, ServiceView
from app.services.account_trail import seal_unchecked
from app.services.auditkey import keyring
from app.services.base import (
    NotFound,
    ServiceBase,
    ServiceError,
    display_names,
    view_of,
)
from app.services.case_store import load_state, signing_head_of
from app.services.case_writes import VOIDED, lock_case
from app.services.doc_export import (
    HIDDEN_REASON,
    Exported,
    Exporting,
    hidden_numbers,
    voided_numbers,
)
from app.services.document_trail import (
    decision_outcomes,
    ensure_issued,
    filed,
    issued_problems,
    outdated_in_file,
    outdated_proofs,
    standing_of,
    unknown_code_message,
)
from app.services.numbers import format_doc_number, number_at_issue, same_document
from app.services.permissions import ServiceAction
from app.services.queries import service_view, with_prior_run
from app.services.record_drafts import DOSSIER_OPEN, REF_KINDS, RecordDrafts
from app.services.records import DOCUMENT_AUDITED
from app.services.replay import case_replay_problems
from app.services.sanction_runs import prior_run_of
from app.storage.models import (
    AuditHead,
    AuditRecord,
    Case,
    ConductFinding,
    Decision,
    Evidence,
    Extension,
    IssuedDocument,
    Lead,
    Meeting,
    Recusal,
    Report,
    ReviewApplication,
    ReviewDecision,
    Service,
    Statement,
)

#: The tables whose rows the dossier's record of acts names (with who recorded them).
HISTORY_MODELS = (
    Case, Meeting, Recusal, Evidence, Statement, ConductFinding, Extension, Report, Decision,
    Service, ReviewApplication, ReviewDecision,
)  # fmt: skip

#: Documents loaded per read while exporting (their contents are held until rendered).
EXPORT_BATCH = 200
#: What a 卷宗 binds is the service's, never the caller's: the case, its papers and record.
DOSSIER_BOUND = ("case_id", "documents", "toc", "history")

TAMPERED = (
    "该案件的数据与审计记录不符，可能被绕过系统修改，不能据此印发文书。请系统管理员运行"
    "“wenze audit verify”核查，并从可靠的备份恢复。不符之处："
)
RECUSED = "依据第十二条，您已对该案件回避，不能查看、制作、印发或导出该案件的文书"


@dataclass(frozen=True)
class DocumentView:
    id: int
    case_id: int
    kind: str
    ref_id: int | None
    number: str
    title: str
    issued_at: datetime
    issued_by: str
    verification_code: str
    content_sha256: str  # fixed at issue: printing checks the stored content against it
    version: int
    current: bool
    recipient: str


@dataclass(frozen=True)
class Issuable:
    """A document the case can issue now (for the UI's “制作文书” menu)."""

    kind: str
    ref_id: int | None
    label: str
    issued: bool


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    message: str
    document: DocumentView | None = None
    case_number: str = ""


canonical_json = compose.canonical_json  # the documents' one canonical form


def _envelope(
    case_id: int,
    kind: str,
    ref_id: int | None,
    version: int,
    content: Any,
    anchor: tuple[int, str] | None = None,
) -> str:
    """What the verification code is computed from: the content, where it belongs and, since
    issue 13, the audit chain's (seq, head) at issue — so the code printed on paper also
    vouches for the chain up to that record."""
    body: dict[str, Any] = {
        "case": case_id, "kind": kind, "ref": ref_id, "version": version, "content": content
    }  # fmt: skip
    if anchor is not None:
        body["anchor"] = [anchor[0], anchor[1]]
    return canonical_json(body)


def _free_code(
    s: Any, head: AuditHead, envelope: Callable[[tuple[int, str]], str]
) -> tuple[tuple[int, str], str]:
    """The anchor and code a document is issued with (:func:`first_free_code`)."""
    found = first_free_code(
        lambda a: verification_code(envelope(a)),
        lambda code: (
            s.scalar(select(IssuedDocument.id).where(IssuedDocument.verification_code == code))
            is not None
        ),
        (head.seq, head.hash),
        lambda seq: s.scalar(select(AuditRecord.hash).where(AuditRecord.seq == seq)),
    )
    if found is None:
        raise ServiceError(CODE_CLASH)
    return found


def _anchor_of(d: IssuedDocument) -> tuple[int, str] | None:
    return (d.anchor_seq, d.anchor_head) if d.anchor_seq is not None and d.anchor_head else None


def _view(d: IssuedDocument) -> DocumentView:
    return view_of(
        DocumentView,
        d,
        issued_at=d.created_at,
        issued_by=d.created_by,
        current=d.superseded_by_id is None,
        recipient=str((d.content or {}).get("recipient", "")),
    )


class DocumentService(ServiceBase, RecordDrafts, Exporting):
    # ---- composing -----------------------------------------------------------------------
    def _ensure_visible(self, case_id: int) -> None:
        """Art. 12: a recused user neither sees nor drafts, issues or exports the case's papers."""
        if self.ctx.actor.person_id is None:
            return
        with self.db.read() as s:
            if case_id in self.ctx.hidden_ids(s):
                raise NotFound(RECUSED)

    def _letterhead(self) -> compose.Letterhead:
        return compose.Letterhead.of(self.services.masterdata.settings())

    def _head_of(self, unit_id: int | None) -> str:
        """The head who signs for a unit, by name (case_store.signing_head_of)."""
        with self.db.read() as s:
            return signing_head_of(s, unit_id)

    def _served(
        self, _case_id: int, decision_id: int, review_id: int | None = None
    ) -> ServiceView | None:
        """The decision's own service (Art. 13), never the service of a review decision;
        with ``review_id``, the service of that 复核决定书 (Art. 14) and of nothing else.

        A 复核决定书 served on the same subject is stored against the same decision; the
        送达回证 of the original decision must still show how the original was served.
        """
        with self.db.read() as s:
            q = select(Service).where(Service.superseded_by_id.is_(None))
            if review_id is None:
                q = q.where(
                    Service.decision_id == decision_id, Service.review_decision_id.is_(None)
                )
            else:
                q = q.where(Service.review_decision_id == review_id)
            x = s.scalars(q.order_by(Service.id)).first()
            if x is None:
                return None
            return service_view(x)

    def _lead_refs(self, case_id: int) -> list[tuple[str, str, str]]:
        """Number, source and channel of the case's leads (never the reporter, Art. 10)."""
        with self.db.read() as s:
            rows = s.execute(
                select(Lead.number, Lead.source, Lead.channel)
                .where(Lead.case_id == case_id, Lead.voided.is_(False))
                .order_by(Lead.id)
            ).all()
        return [(n, src, ch) for n, src, ch in rows]

    def _history(self, case: Any) -> list[compose.HistoryRow]:
        """The dossier's record of acts, each by the user who recorded it."""
        cid = case.id
        with self.db.read() as s:
            names = display_names(s)
            made_by: dict[tuple[str, int], str] = {}
            for model in HISTORY_MODELS:
                for rid, login in s.execute(
                    select(model.id, model.created_by).where(
                        (model.id if model is Case else model.case_id) == cid
                    )
                ):
                    made_by[model.__tablename__, rid] = login or ""
            services = [
                (service_view(x), x.review_decision_id)
                for x in s.scalars(
                    select(Service)
                    .where(Service.case_id == cid, Service.superseded_by_id.is_(None))
                    .order_by(Service.id)
                )
            ]
            # 第九条: a case the Party group declined ends with that meeting, not a 结案归档
            closing = [ServiceAction.CLOSE_CASE]
            if case.stage == Stage.NOT_INITIATED:
                closing = [ServiceAction.DECIDE_INITIATION, ServiceAction.CORRECT_MEETING]
            closer = s.scalar(
                select(AuditRecord.actor)
                .where(AuditRecord.case_id == cid, AuditRecord.action.in_(closing))
                .order_by(AuditRecord.seq.desc())
                .limit(1)
            )

        def actor(table: str, rid: int) -> str:
            return names.get(made_by.get((table, rid), ""), "") or "—"

        return compose.dossier_history(
            case, services, self._head_of, actor, names.get(closer or "", "") or "—"
        )

    def _dossier_entries(self, case_id: int) -> list[compose.DossierEntry]:
        """The case's own current documents, in issue order (document_trail.filed)."""
        with self.db.read() as s:
            return [
                compose.DossierEntry(d.id, compose.toc_label(d.content)) for d in filed(s, case_id)
            ]

    def _calendar(self) -> HolidayCalendar:
        return self.services.masterdata.calendar()

    def _person_name(self, person_id: int) -> str:
        try:
            return self.services.masterdata.get_person(person_id).name
        except NotFound:
            return ""

    def draft_document(
        self, case_id: int, kind: DocumentKind | str, ref_id: int | None = None
    ) -> dict[str, Any]:
        """Editable content (JSON-able) composed from the case as stored now."""
        return self._draft(case_id, DocumentKind(kind), ref_id)[0]

    def _draft(
        self, case_id: int, kind: DocumentKind, ref_id: int | None
    ) -> tuple[dict[str, Any], CaseDetail]:
        """The draft and the case it was composed from."""
        self._ensure_visible(case_id)
        case = self.services.queries.get_case(case_id)
        lh = self._letterhead()
        if kind in REF_KINDS and ref_id is None:
            raise ServiceError(f"制作{kind}须指明对应的{REF_KINDS[kind]}")
        if (stated := issuing.stated_decision(case, kind, ref_id)) is not None:
            with self.db.read() as s:  # 处分条例第十条: the period it states
                case = with_prior_run(case, stated, prior_run_of(s, stated, self.ctx.hidden_ids(s)))
        try:
            drawn = self._compose_record(kind, case, lh, ref_id, case_id)
            if drawn is not None:
                if kind in issuing.NUMBERED_AT_ISSUE and ref_id and not drawn.get("number"):
                    # numbered at its first issue: a new version's draft shows the number it keeps
                    drawn["number"] = self._issued_number(case_id, kind, ref_id)
                return drawn, case
            if kind is DocumentKind.RELEASE_NOTICE:
                assert ref_id is not None
                return self.services.releases.notice_content(ref_id), case
            if case.closed_on is None or not Stage(case.stage).is_terminal:
                raise ServiceError(DOSSIER_OPEN.format(stage=case.stage))
            entries, history = self._dossier_entries(case_id), self._history(case)
            return compose.dossier(case, lh, entries, history), case
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc

    def _issued_number(self, case_id: int, kind: DocumentKind, ref_id: int) -> str:
        with self.db.read() as s:
            return (
                s.scalar(
                    select(IssuedDocument.number).where(
                        IssuedDocument.case_id == case_id,
                        IssuedDocument.kind == str(kind),
                        same_document(kind, ref_id),
                        IssuedDocument.superseded_by_id.is_(None),
                    )
                )
                or ""
            )

    def issuable(self, case_id: int) -> list[Issuable]:
        """Every document the case's records allow, and whether it was already issued."""
        case = self.services.queries.get_case(case_id)
        issued = {(d.kind, d.ref_id) for d in self.list_documents(case_id)}
        out: list[tuple[str, int | None, str]] = []
        if any(m.kind == "启动问责" for m in case.meetings):
            out.append((DocumentKind.INITIATION_FORM, None, "启动问责审批表"))
        for r in case.recusals:
            out.append((DocumentKind.RECUSAL_DECISION, r.id, f"回避决定书（{r.person_name}）"))
        if case.report is not None:
            out.append((DocumentKind.INVESTIGATION_REPORT, case.report.id, "调查报告"))
        for d in case.decisions:
            if d.origin.startswith("复核"):
                continue  # a decision changed on review is stated by its 复核决定书
            unissued = (DocumentKind.DECISION, d.id) not in issued
            if d.status == DecisionStatus.SUPERSEDED and unissued:
                continue  # corrected before its 决定书 was issued: only the new version is
            name = case.subject(d.subject_id).name
            label = f"{decision_document_name(d.outcome)}（{name}，{d.doc_number}）"
            out.append((DocumentKind.DECISION, d.id, label))
            if d.service is not None:
                out.append((DocumentKind.SERVICE_PROOF, d.id, f"送达回证（{name}）"))
        for rd in case.review_decisions:
            # named by its applicant, as the 问责决定书 by its subject (an issued one read
            # 「复核决定书　致王喆」 beside 「问责决定书（王喆）」)
            a = next(a for a in case.review_applications if a.id == rd.application_id)
            d = next(d for d in case.decisions if d.id == a.decision_id)
            name = case.subject(d.subject_id).name
            label = f"复核决定书（{name}，{rd.doc_number}）"
            out.append((DocumentKind.REVIEW_DECISION, rd.id, label))
            if self._served(case_id, 0, rd.id) is not None:  # named as the dossier names it
                label = f"复核决定书送达回证（{name}）"
                out.append((DocumentKind.REVIEW_SERVICE_PROOF, rd.id, label))
        for r in self.services.releases.releases_of_case(case_id):
            out.append((DocumentKind.RELEASE_NOTICE, r[0], f"解除处分通知书（{r[1]}）"))
        if case.closed_on is not None and Stage(case.stage).is_terminal:
            out.append((DocumentKind.DOSSIER, None, "卷宗"))
        with self.db.read() as s:
            stale = outdated_proofs(s, case_id)  # each with its note (issuing.REISSUE_NOTE)
        return [
            Issuable(str(k), ref, label + stale.get(x, ""), x in issued and x not in stale)
            for k, ref, label in out
            for x in [(str(k), ref)]
        ]

    # ---- issuing -------------------------------------------------------------------------
    def issue_document(
        self,
        case_id: int,
        kind: DocumentKind | str,
        ref_id: int | None = None,
        content: dict[str, Any] | None = None,
        shown: dict[str, Any] | None = None,
        replacing: int | EllipsisType | None = ...,
    ) -> DocumentView:
        """Freeze ``content`` (or the fresh draft) as an issued document; a reissue is a new
        version. ``shown``: the draft the officer edited (the records changed since: refused);
        ``replacing``: the version in force he saw (None: none), another issued since: refused."""
        kind = DocumentKind(kind)
        draft, case = self._draft(case_id, kind, ref_id)
        if shown is not None and canonical_json(shown) != canonical_json(draft):
            raise ServiceError(issuing.CHANGED_MEANWHILE)
        if content is None:
            content = draft
        else:
            content = json.loads(canonical_json(content))
            if content.get("kind") != draft["kind"]:
                raise ServiceError("编辑后的文书种类与所制作的文书不一致")
            if content.get("number", "") != draft.get("number", ""):
                raise ServiceError("文书编号由系统编号，不能在编辑时修改")
            if kind is DocumentKind.DOSSIER:
                content.update({k: draft[k] for k in DOSSIER_BOUND})
            else:
                ensure(edit_problems(kind, draft, content, case_names(case)))
        # 第十条: no issued document (for the subject or exported by anyone) names a reporter.
        text, for_subject = compose.plain_text(content), bool(content.get("for_subject"))
        leads, bound = self.services.leads, content.get("documents")  # a 卷宗's papers
        ensure(leads.reporter_problems(case_id, text, for_subject=for_subject, bound=bound))
        try:
            if kind is DocumentKind.DOSSIER:
                compose.validate_dossier(content)
            else:
                compose.validate(content)
                # What is issued must print: laid out once now (a code of the real length,
                # and a number of a long one for a document numbered as it is issued), so a
                # field that cannot fit a page is refused before a number is taken.
                trial = content
                if kind in issuing.NUMBERED_AT_ISSUE and not content.get("number"):
                    prefix = self.services.masterdata.settings().doc_prefix
                    trial = {**content, "number": format_doc_number(prefix, 2000, 9999)}
                page_count(compose.to_doc(trial, "XXXX-XXXX"))
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc
        except LayoutError as exc:
            raise ServiceError(
                f"文书无法排入版面（{exc}）：请精简过长的内容或多余的空行后再印发"
            ) from exc
        with self.tx(f"印发{kind}") as t:
            s = t.session
            self.ctx.ensure_case_visible(s, case_id)
            locked = lock_case(s, case_id)
            if locked.voided:
                raise NotFound(VOIDED)
            if tampered := case_replay_problems(s, case_id):
                raise ServiceError(f"{TAMPERED}{tampered[0]}")
            # Under the case's lock (and SQLite's write lock): a service recorded (or a decision
            # corrected) by another instance while this one drafted and laid the document out
            # still stops the issue, and two issues of one document take versions 1 and 2.
            reworded = canonical_json(content) != canonical_json(draft)
            ensure(issuing.issue_problems(load_state(s, locked), kind, ref_id, reworded))
            if kind is DocumentKind.DOSSIER:  # what it files stands as issued
                ensure(issuing.dossier_problems(outdated_in_file(s, case_id)))
            # Drafted before the lock: what another instance committed since is not frozen unseen.
            if self._draft(case_id, kind, ref_id)[0] != draft:
                raise ServiceError(issuing.CHANGED_MEANWHILE)
            same = (
                ()  # one per case: whichever version of the record the previous one states
                if kind in issuing.ONE_PER_CASE
                else (IssuedDocument.ref_id.is_(None),)
                if ref_id is None
                else (same_document(kind, ref_id),)
            )
            prev = s.scalar(
                select(IssuedDocument)
                .where(
                    IssuedDocument.case_id == case_id,
                    IssuedDocument.kind == str(kind),
                    *same,
                    IssuedDocument.superseded_by_id.is_(None),
                )
                .with_for_update()
            )
            # Issued meanwhile by another window: on this very record (a 调查报告 or 解除处分通知书
            # of an earlier record, in force, is the one this issue replaces: the row showed none).
            seen = prev.id if prev is not None and prev.ref_id == ref_id else None
            if replacing is not ... and seen != replacing:
                raise ServiceError(issuing.CHANGED_MEANWHILE)
            version = prev.version + 1 if prev else 1
            if kind in issuing.NUMBERED_AT_ISSUE:
                prefix = self.services.masterdata.settings().doc_prefix
                content = number_at_issue(s, prefix, kind, case_id, ref_id, content, prev,
                                          self.ctx.now(), self.ctx.actor.username)  # fmt: skip
            canonical = canonical_json(content)
            sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
            # Stored as its canonical text (keys sorted, as json.loads keeps them): the batch
            # demo stores the text it hashed, serialized once.
            content = json.loads(canonical)
            head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())
            anchor, code = _free_code(s, head.scalar_one(), lambda a: _envelope(
                case_id, kind, ref_id, version, content, a
            ))  # fmt: skip
            doc = IssuedDocument(
                case_id=case_id,
                kind=str(kind),
                ref_id=ref_id,
                number=content.get("number", ""),
                title=content["title"],
                content=content,
                content_sha256=sha,
                verification_code=code,
                version=version,
                frozen=True,
                anchor_seq=anchor[0],
                anchor_head=anchor[1],
                created_at=self.ctx.now(),
                created_by=self.ctx.actor.username,
            )
            s.add(doc)
            s.flush()
            if prev is not None:
                prev.superseded_by_id = doc.id
            t.audit(
                "document",
                doc.id,
                case_id=case_id,
                before=None if prev is None else {"id": prev.id, "version": prev.version},
                after={k: getattr(doc, k) for k in DOCUMENT_AUDITED},
            )
            return _view(doc)

    # ---- reading -------------------------------------------------------------------------
    def list_documents(
        self, case_id: int, *, include_superseded: bool = False
    ) -> list[DocumentView]:
        self._ensure_visible(case_id)
        with self.db.read() as s:
            self.ctx.ensure_case_visible(s, case_id)
            q = select(IssuedDocument).where(IssuedDocument.case_id == case_id)
            if not include_superseded:
                q = q.where(IssuedDocument.superseded_by_id.is_(None))
            return [_view(d) for d in s.scalars(q.order_by(IssuedDocument.id))]

    def get_document(self, document_id: int) -> tuple[DocumentView, dict[str, Any]]:
        with self.db.read() as s:
            d = s.get(IssuedDocument, document_id)
            if d is None:
                raise NotFound("文书不存在")
            case_id = d.case_id
            view, content = _view(d), d.content
        self._ensure_visible(case_id)
        return view, content

    def _contents(self, case_id: int, ids: list[int]) -> dict[int, tuple[dict[str, Any], str]]:
        """Frozen contents of ``ids`` that belong to ``case_id`` (and only to it)."""
        with self.db.read() as s:
            rows = s.scalars(
                select(IssuedDocument).where(
                    IssuedDocument.id.in_(ids), IssuedDocument.case_id == case_id
                )
            )
            return {d.id: (d.content, d.verification_code) for d in rows}

    # ---- rendering -----------------------------------------------------------------------
    def render_content(
        self,
        content: dict[str, Any],
        out: str | Path | IO[bytes],
        code: str | None = None,
        *,
        screen: bool = False,
    ) -> RenderResult:
        """Render a draft for preview (no number, no code, 草稿 watermark) to a PDF.

        A draft dossier binds the documents the service finds for its case; any document
        list in ``content`` is ignored (it could name another case's papers).
        """
        if code is not None:
            raise ServiceError("印发的文书只能按文书编号重新生成（render），不能由调用方提供内容")
        try:
            if content.get("kind") == DocumentKind.DOSSIER:
                # Bound papers and record of acts as the service composes them for the case;
                # the caller's cover wording is all that is kept (it may have been edited).
                case_id = content.get("case_id")
                if not isinstance(case_id, int) or isinstance(case_id, bool):
                    raise ServiceError("卷宗未指明所属案件")
                draft, _ = self._draft(case_id, DocumentKind.DOSSIER, None)
                content = {**content, **{k: draft[k] for k in DOSSIER_BOUND}}
                compose.validate_dossier(content)
                return self._render_dossier(
                    content, case_id, list(draft["documents"]), out, None, draft=True
                )
            doc = compose.to_doc(content, None, draft=True, screen=screen)
            return write_via(out, lambda o: render_pdf(doc, o, invariant=True))
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc

    def _render_dossier(
        self,
        content: dict[str, Any],
        case_id: int,
        ids: list[int],
        out: str | Path | IO[bytes],
        code: str | None,
        *,
        draft: bool = False,
        screen: bool = False,
    ) -> RenderResult:
        ensure_issued(self.db, ids)  # the bound documents as they were issued (Art. 13)
        found = self._contents(case_id, ids)
        docs = [compose.to_doc(*found[i], screen=screen) for i in ids if i in found]
        docs.append(compose.to_doc(content["history"], code, draft=draft, screen=screen))
        return write_via(  # atomic: a kill never leaves a torn PDF under the final name
            out,
            lambda o: render_bundle(
                docs,
                o,
                cover=compose.dossier_cover(content),
                verification_code=code,
                invariant=True,
                draft=draft,
            ),
        )

    def render(
        self, document_id: int, out: str | Path | IO[bytes], *, screen: bool = False
    ) -> RenderResult:
        """Regenerate an issued document's PDF from its frozen content (same bytes every time).

        ``screen`` adds the seal-area guide for an on-screen preview; the original has none.
        """
        view, content = self.get_document(document_id)
        return self._render_issued(view, content, out, screen=screen)

    def _render_issued(
        self,
        view: DocumentView,
        content: dict[str, Any],
        out: str | Path | IO[bytes],
        *,
        screen: bool = False,
    ) -> RenderResult:
        code = view.verification_code
        if view.content_sha256 and compose.content_sha256(content) != view.content_sha256:
            raise ServiceError(compose.ALTERED.format(title=view.title))
        ensure_issued(self.db, [view.id])  # and the hash as issued: both may be rewritten
        try:
            if view.kind == DocumentKind.DOSSIER and "cover" in content:
                ids = [int(i) for i in content.get("documents", ())]
                return self._render_dossier(content, view.case_id, ids, out, code, screen=screen)
            doc = compose.to_doc(content, code, screen=screen)
            return write_via(out, lambda o: render_pdf(doc, o, invariant=True))
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc

    def file_name(self, view: DocumentView, case_number: str, outcome: str | None = None) -> str:
        """``案件编号_文书名称_受送达人…``: a decision's document named after what it decides
        (不予问责决定书, 免予问责决定书; ``outcome``, else read from the decision it states —
        not of a case hidden from the actor, whatever case the view says: Art. 12)."""
        if outcome is None:
            with self.db.read() as s:
                if view.kind == DocumentKind.DECISION and view.ref_id:
                    case_id = s.scalar(select(Decision.case_id).where(Decision.id == view.ref_id))
                    if case_id is not None:
                        self.ctx.ensure_case_visible(s, case_id)
                outcome = decision_outcomes(s, [view]).get(view.id, "")
        name = issuing.document_name(view.kind, outcome)
        return document_file_name(case_number, name, view.recipient, view.version, view.id)

    def export_case(self, case_id: int, folder: str | Path, kind: str | None = None) -> list[Path]:
        """The case's current issued documents (of ``kind``), as PDFs (one audit record for
        the export; none is written when there is nothing to export)."""
        self._ensure_visible(case_id)
        case = self.services.queries.get_case(case_id)
        ensure(issuing.voided_export_problems(case.number, case.voided))
        number = case.number
        rows = [
            (v.id, number, v.kind) for v in self.list_documents(case_id) if kind in (None, v.kind)
        ]
        return self._export(rows, Path(folder), None, case=(case_id, number))

    def export_all(
        self,
        folder: str | Path,
        progress: Callable[[int, int], None] | None = None,
        kind: str | None = None,
        name: str | None = None,
    ) -> Exported:
        """Every current issued document (of ``kind``) of every visible case that is not
        voided (第十三条: a voided case's documents decide nothing; ``voided_export_problems``;
        one voided meanwhile: ``Exported.voided``), as PDFs named by case and kind; ``name``:
        the folder's name for the audit record (the command writes a new one under another)."""
        with self.db.read() as s:
            rows = [
                (doc_id, number, of)
                for doc_id, number, of in s.execute(
                    select(IssuedDocument.id, Case.number, IssuedDocument.kind)
                    .join(Case, Case.id == IssuedDocument.case_id)
                    .where(
                        IssuedDocument.superseded_by_id.is_(None),
                        Case.voided.is_(False),
                        Case.id.not_in(self.ctx.hidden_case_ids()),
                    )
                    .order_by(Case.id, IssuedDocument.id)
                )
                if kind in (None, of)
            ]
        return self._export(rows, Path(folder), progress, name=name)

    def _write_batches(
        self,
        rows: list[tuple[int, str, str]],
        folder: Path,
        progress: Callable[[int, int], None] | None,
        out: Exported,
        one_case: bool,
    ) -> None:
        done = 0
        for at in range(0, len(rows), EXPORT_BATCH):
            batch = rows[at : at + EXPORT_BATCH]
            with self.db.read() as s:  # one read (and one account and Art. 12 check) per batch
                docs = IssuedDocument.id.in_([doc_id for doc_id, _n, _k in batch])
                found = {
                    d.id: (_view(d), d.content)
                    for d in s.scalars(select(IssuedDocument).where(docs))
                }
                # a recusal granted since the export began (第十二条)
                hidden = hidden_numbers(
                    s, (v.case_id for v, _c in found.values()), self.ctx.hidden_ids(s)
                )
                if hidden:
                    out.left_out.update(dict.fromkeys(hidden, HIDDEN_REASON))
                    raise ServiceError(issuing.HIDDEN_MEANWHILE)
                # 第十三条: a case voided since the export began (doc_export.py)
                voided = voided_numbers(s, (v.case_id for v, _c in found.values()))
                outcomes = decision_outcomes(s, [v for v, _c in found.values()])
            out.drop_voided(voided, one_case=one_case)
            for row in batch:
                doc_id, number, _kind = row
                if number not in out.voided:
                    view, content = found[doc_id]
                    path = folder / self.file_name(view, number, outcomes.get(doc_id, ""))
                    created = not path.exists()
                    self._render_issued(view, content, path)
                    out.wrote(row, path, created)
                done += 1
                if progress:
                    progress(done, len(rows))

    # ---- verification --------------------------------------------------------------------
    def verify(self, code: str) -> VerifyResult:
        """Does a printed code belong to a document issued from this database, and which one?"""
        norm = normalize_code(code)
        if not re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", norm):
            return VerifyResult(False, "校验码格式不正确，应为8位字母数字（如 7Q4K-9MZX）")
        with self.db.read() as s:
            row = s.execute(
                select(IssuedDocument, Case.number, Case.voided)
                .join(Case, Case.id == IssuedDocument.case_id)
                .where(
                    IssuedDocument.verification_code == norm,
                    Case.id.not_in(self.ctx.hidden_case_ids()),
                )
            ).first()
            if row is None:
                return VerifyResult(
                    False, unknown_code_message(s, norm, self.ctx.hidden_case_ids())
                )
            d, case_number, voided = row
            view = _view(d)
            expected = verification_code(
                _envelope(d.case_id, d.kind, d.ref_id, d.version, d.content, _anchor_of(d))
            )
            sha = hashlib.sha256(canonical_json(d.content).encode("utf-8")).hexdigest()
            standing = standing_of(s, d, voided)
            key = keyring(self.db).key
            trail = issued_problems(s, d, key)
            unchecked = seal_unchecked(s, key)
        if expected != norm or sha != d.content_sha256 or trail:
            return VerifyResult(
                False,
                f"校验码 {norm} 对应的文书内容与印发时不一致，可能已被篡改",
                view,
                case_number,
            )
        label = f"《{view.title}》" + (f"（{view.number}）" if view.number else "")
        msg = (
            f"校验码 {norm} 有效：{label}，案件{case_number}，第{view.version}版，"
            f"{view.issued_at:%Y-%m-%d %H:%M}印发，{standing}"
        ) + (issuing.SEAL_UNCHECKED if unchecked else "")
        return VerifyResult(True, msg, view, case_number)
