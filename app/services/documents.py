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
from typing import IO, Any

from sqlalchemy import select

from app.documents import compose
from app.documents.layout import RenderResult, render_bundle, render_pdf
from app.documents.verify import normalize_code, verification_code
from app.domain.enums import DocumentKind
from app.services.base import NotFound, ServiceBase, ServiceContext, ServiceError
from app.storage.models import Case, IssuedDocument

#: kinds whose ``ref_id`` names a record of the case (decision, review decision, recusal, report)
REF_KINDS = {
    DocumentKind.DECISION: "处理决定",
    DocumentKind.SERVICE_PROOF: "处理决定",
    DocumentKind.REVIEW_DECISION: "复核决定",
    DocumentKind.RECUSAL_DECISION: "回避记录",
}


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


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _envelope(case_id: int, kind: str, ref_id: int | None, version: int, content: Any) -> str:
    """What the verification code is computed from: the content and where it belongs."""
    return canonical_json(
        {"case": case_id, "kind": kind, "ref": ref_id, "version": version, "content": content}
    )


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "文书"


def _view(d: IssuedDocument) -> DocumentView:
    return DocumentView(
        d.id,
        d.case_id,
        d.kind,
        d.ref_id,
        d.number,
        d.title,
        d.created_at,
        d.created_by,
        d.verification_code,
        d.version,
        d.superseded_by_id is None,
        str((d.content or {}).get("recipient", "")),
    )


class DocumentService(ServiceBase):
    def __init__(self, ctx: ServiceContext, services: Any) -> None:
        super().__init__(ctx)
        self.services = services

    # ---- composing -----------------------------------------------------------------------
    def _letterhead(self) -> compose.Letterhead:
        s = self.services.masterdata.settings()
        return compose.Letterhead(s.bureau_name, s.discipline_body)

    def _person_name(self, person_id: int) -> str:
        try:
            return self.services.masterdata.get_person(person_id).name
        except NotFound:
            return ""

    def draft_document(
        self, case_id: int, kind: DocumentKind | str, ref_id: int | None = None
    ) -> dict[str, Any]:
        """Editable content (JSON-able) composed from the case as stored now."""
        kind = DocumentKind(kind)
        case = self.services.queries.get_case(case_id)
        lh = self._letterhead()
        if kind in REF_KINDS and ref_id is None:
            raise ServiceError(f"制作{kind}须指明对应的{REF_KINDS[kind]}")
        try:
            if kind is DocumentKind.DECISION:
                return compose.decision(case, lh, ref_id)
            if kind is DocumentKind.SERVICE_PROOF:
                return compose.service_proof(case, lh, ref_id)
            if kind is DocumentKind.REVIEW_DECISION:
                return compose.review_decision(case, lh, ref_id)
            if kind is DocumentKind.INITIATION_FORM:
                return compose.initiation_form(case, lh, ref_id)
            if kind is DocumentKind.RECUSAL_DECISION:
                return compose.recusal_decision(case, lh, ref_id, self._person_name)
            if kind is DocumentKind.INVESTIGATION_REPORT:
                return compose.investigation_report(case, lh, ref_id)
            docs = [
                {"id": d.id} for d in self.list_documents(case_id) if d.kind != DocumentKind.DOSSIER
            ]
            return compose.dossier(case, lh, docs, self.ctx.today())
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc

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
            name = case.subject(d.subject_id).name
            out.append((DocumentKind.DECISION, d.id, f"问责决定书（{name}，{d.doc_number}）"))
            if d.service is not None:
                out.append((DocumentKind.SERVICE_PROOF, d.id, f"送达回证（{name}）"))
        for rd in case.review_decisions:
            out.append((DocumentKind.REVIEW_DECISION, rd.id, f"复核决定书（{rd.doc_number}）"))
        out.append((DocumentKind.DOSSIER, None, "卷宗"))
        return [Issuable(str(k), ref, label, (str(k), ref) in issued) for k, ref, label in out]

    # ---- issuing -------------------------------------------------------------------------
    def issue_document(
        self,
        case_id: int,
        kind: DocumentKind | str,
        ref_id: int | None = None,
        content: dict[str, Any] | None = None,
    ) -> DocumentView:
        """Freeze ``content`` (or the fresh draft) as an issued document; a reissue is a new version."""
        kind = DocumentKind(kind)
        draft = self.draft_document(case_id, kind, ref_id)
        if content is None:
            content = draft
        else:
            content = json.loads(canonical_json(content))
            if content.get("kind") != draft["kind"]:
                raise ServiceError("编辑后的文书种类与所制作的文书不一致")
            if content.get("number", "") != draft.get("number", ""):
                raise ServiceError("文书编号由系统编号，不能在编辑时修改")
            if kind is DocumentKind.DOSSIER:
                content["documents"] = draft["documents"]
                content["history"] = draft["history"]
        try:
            if kind is DocumentKind.DOSSIER:
                compose.validate(content["history"])
            else:
                compose.validate(content)
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc
        sha = hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
        with self.tx(f"印发{kind}") as t:
            s = t.session
            self.ctx.ensure_case_visible(s, case_id)
            prev = s.scalar(
                select(IssuedDocument)
                .where(
                    IssuedDocument.case_id == case_id,
                    IssuedDocument.kind == str(kind),
                    IssuedDocument.ref_id.is_(None)
                    if ref_id is None
                    else IssuedDocument.ref_id == ref_id,
                    IssuedDocument.superseded_by_id.is_(None),
                )
                .with_for_update()
            )
            version = prev.version + 1 if prev else 1
            code = verification_code(_envelope(case_id, kind, ref_id, version, content))
            if s.scalar(select(IssuedDocument.id).where(IssuedDocument.verification_code == code)):
                raise ServiceError("校验码与已印发文书重复：同一文书内容已印发")
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
                after={
                    "kind": str(kind),
                    "ref_id": ref_id,
                    "number": doc.number,
                    "title": doc.title,
                    "version": version,
                    "verification_code": code,
                    "content_sha256": sha,
                },
            )
            return _view(doc)

    # ---- reading -------------------------------------------------------------------------
    def list_documents(
        self, case_id: int, *, include_superseded: bool = False
    ) -> list[DocumentView]:
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
            self.ctx.ensure_case_visible(s, d.case_id)
            return _view(d), d.content

    def _contents(self, ids: list[int]) -> dict[int, tuple[dict[str, Any], str]]:
        with self.db.read() as s:
            rows = s.scalars(select(IssuedDocument).where(IssuedDocument.id.in_(ids)))
            return {d.id: (d.content, d.verification_code) for d in rows}

    # ---- rendering -----------------------------------------------------------------------
    def render_content(
        self, content: dict[str, Any], out: str | Path | IO[bytes], code: str | None = None
    ) -> RenderResult:
        """Render content (a draft for preview, or frozen content) to a PDF."""
        try:
            if content.get("kind") == DocumentKind.DOSSIER and "cover" in content:
                found = self._contents(list(content["documents"]))
                docs = [compose.to_doc(*found[i]) for i in content["documents"] if i in found]
                docs.append(compose.to_doc(content["history"], code))
                return render_bundle(
                    docs,
                    out,
                    cover=compose.dossier_cover(content),
                    verification_code=code,
                    invariant=True,
                )
            return render_pdf(compose.to_doc(content, code), out, invariant=True)
        except compose.ContentError as exc:
            raise ServiceError(str(exc)) from exc

    def render(self, document_id: int, out: str | Path | IO[bytes]) -> RenderResult:
        """Regenerate an issued document's PDF from its frozen content (same bytes every time)."""
        view, content = self.get_document(document_id)
        return self.render_content(content, out, view.verification_code)

    def file_name(self, view: DocumentView, case_number: str) -> str:
        parts = [case_number, view.kind]
        if view.recipient and view.kind != DocumentKind.DOSSIER:
            parts.append(view.recipient)
        if view.version > 1:
            parts.append(f"第{view.version}版")
        return _safe("_".join(parts)) + f"_{view.id}.pdf"

    def export_case(self, case_id: int, folder: str | Path) -> list[Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        number = self.services.queries.get_case(case_id).number
        out = []
        for view in self.list_documents(case_id):
            path = folder / self.file_name(view, number)
            self.render(view.id, path)
            out.append(path)
        return out

    def export_all(
        self, folder: str | Path, progress: Callable[[int, int], None] | None = None
    ) -> list[Path]:
        """Every current issued document of every visible case, as PDFs named by case and kind."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with self.db.read() as s:
            rows = s.execute(
                select(IssuedDocument.id, Case.number)
                .join(Case, Case.id == IssuedDocument.case_id)
                .where(
                    IssuedDocument.superseded_by_id.is_(None),
                    Case.id.not_in(self.ctx.hidden_case_ids()),
                )
                .order_by(Case.id, IssuedDocument.id)
            ).all()
        out = []
        for n, (doc_id, number) in enumerate(rows, start=1):
            view, _content = self.get_document(doc_id)
            path = folder / self.file_name(view, number)
            self.render(doc_id, path)
            out.append(path)
            if progress:
                progress(n, len(rows))
        return out

    # ---- verification --------------------------------------------------------------------
    def verify(self, code: str) -> VerifyResult:
        """Does a printed code belong to a document issued from this database, and which one?"""
        norm = normalize_code(code)
        if not re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", norm):
            return VerifyResult(False, "校验码格式不正确，应为8位字母数字（如 7Q4K-9MZX）")
        with self.db.read() as s:
            row = s.execute(
                select(IssuedDocument, Case.number)
                .join(Case, Case.id == IssuedDocument.case_id)
                .where(
                    IssuedDocument.verification_code == norm,
                    Case.id.not_in(self.ctx.hidden_case_ids()),
                )
            ).first()
            if row is None:
                return VerifyResult(False, f"校验码 {norm} 不对应本系统印发的任何文书")
            d, case_number = row
            view = _view(d)
            expected = verification_code(
                _envelope(d.case_id, d.kind, d.ref_id, d.version, d.content)
            )
            sha = hashlib.sha256(canonical_json(d.content).encode("utf-8")).hexdigest()
        if expected != norm or sha != d.content_sha256:
            return VerifyResult(
                False,
                f"校验码 {norm} 对应的文书内容与印发时不一致，可能已被篡改",
                view,
                case_number,
            )
        label = f"《{view.title}》" + (f"（{view.number}）" if view.number else "")
        state = "现行有效版本" if view.current else "已被新版本取代"
        msg = (
            f"校验码 {norm} 有效：{label}，案件{case_number}，第{view.version}版，"
            f"{view.issued_at:%Y-%m-%d %H:%M}印发，{state}"
        )
        return VerifyResult(True, msg, view, case_number)
