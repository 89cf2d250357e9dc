"""Composing a document from one record of a case (decision, its service, review decision,
recusal, report): the dispatch shared by the document service (the case as stored) and the
batch demo (the case in memory), so that both compose every kind alike."""

from __future__ import annotations

from typing import Any

from app.documents import compose
from app.domain.enums import DocumentKind
from app.domain.holidays import HolidayCalendar
from app.readmodels import CaseDetail, ServiceView
from app.services.base import ServiceError

#: kinds whose ``ref_id`` names a record of the case (decision, review decision, recusal, report)
REF_KINDS = {
    DocumentKind.DECISION: "处理决定",
    DocumentKind.SERVICE_PROOF: "处理决定",
    DocumentKind.REVIEW_DECISION: "复核决定",
    DocumentKind.REVIEW_SERVICE_PROOF: "复核决定",
    DocumentKind.RECUSAL_DECISION: "回避记录",
    DocumentKind.RELEASE_NOTICE: "解除处分记录",
}
DOSSIER_OPEN = (
    "依据第十四条，案件须在复核期限届满或复核终结并结案归档后方可制作卷宗；"
    "该案件尚未结案（当前阶段：{stage}）"
)


class RecordDrafts:
    """Composing a draft from one record of the case: one dispatch for DocumentService (the
    stored case) and the bulk writer's BatchDocuments (the case in memory), so both compose a
    kind alike. ``where`` is whatever names the case to the hooks: an id or the batch case."""

    def _served(
        self, where: Any, decision_id: int, review_id: int | None = None
    ) -> ServiceView | None:
        """The decision's own service; with ``review_id``, that review decision's service."""
        raise NotImplementedError

    def _lead_refs(self, where: Any) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def _head_of(self, unit_id: int | None) -> str:
        raise NotImplementedError

    def _person_name(self, person_id: int) -> str:
        raise NotImplementedError

    def _calendar(self) -> HolidayCalendar:
        """The holiday calendar the case's deadlines are counted on (the printed ones too)."""
        raise NotImplementedError

    def _compose_record(
        self, kind: DocumentKind, case: CaseDetail, lh: compose.Letterhead, ref_id: Any, where: Any
    ) -> dict[str, Any] | None:
        """The kinds drawn from one record; None for the release notice and the dossier."""
        if kind is DocumentKind.DECISION:
            return compose.decision(case, lh, ref_id)
        if kind is DocumentKind.SERVICE_PROOF:
            served = self._served(where, ref_id)
            if served is None:
                raise ServiceError("该处理决定尚未登记送达，不能制作送达回证（第十三条）")
            return compose.service_proof(case, lh, ref_id, self._head_of, served)
        if kind is DocumentKind.REVIEW_SERVICE_PROOF:
            served = self._served(where, 0, ref_id)
            return compose.review_service_proof(case, lh, ref_id, self._head_of, served)
        if kind is DocumentKind.REVIEW_DECISION:
            return compose.review_decision(case, lh, ref_id, self._calendar())
        if kind is DocumentKind.INITIATION_FORM:
            return compose.initiation_form(case, lh, ref_id, self._lead_refs(where))
        if kind is DocumentKind.RECUSAL_DECISION:
            return compose.recusal_decision(case, lh, ref_id, self._person_name)
        if kind is DocumentKind.INVESTIGATION_REPORT:
            return compose.investigation_report(case, lh, ref_id)
        return None
