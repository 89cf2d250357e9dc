"""问责案件卷宗: the dossier's cover, table of contents and entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.documents.compose.content import ContentError, Letterhead, content, table
from app.documents.compose.wording import _grounds_text, reg
from app.documents.model import Cover
from app.documents.text import format_cn_date
from app.domain.enums import DecisionOutcome, DocumentKind
from app.domain.issuing import decision_document_name, holds_accountable

# ---- 卷宗 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One act of the case in the dossier's record: business date, who, what."""

    on: date
    actor: str
    action: str


@dataclass(frozen=True)
class DossierEntry:
    """One issued document bound into the dossier."""

    id: int
    label: str


#: A case's papers are filed in the order of its steps (Art. 9–14), not the order they were
#: printed in: a decision issued before the approval form was reprinted still follows it.
FILING_ORDER = tuple(
    str(k)
    for k in (
        DocumentKind.INITIATION_FORM, DocumentKind.RECUSAL_DECISION,
        DocumentKind.INVESTIGATION_REPORT, DocumentKind.DECISION, DocumentKind.SERVICE_PROOF,
        DocumentKind.REVIEW_DECISION, DocumentKind.REVIEW_SERVICE_PROOF,
        DocumentKind.RELEASE_NOTICE,
    )
)  # fmt: skip


#: A decision that clears its subject is titled after what it decides (第十一条): it is
#: filed where a 问责决定书 is, before its own 送达回证 and any review.
_DECISION_NAMES = tuple(
    decision_document_name(str(o)) for o in DecisionOutcome if not holds_accountable(str(o))
)


def _filing_order(entry: DossierEntry) -> tuple[int, int]:
    """Rank by the longest kind the label starts with (「复核决定书送达回证…」 is not a
    「复核决定书…」); 不予问责决定书 and 免予问责决定书 rank as decisions."""
    label = entry.label
    for name in _DECISION_NAMES:
        if label.startswith(name):
            label = str(DocumentKind.DECISION) + label[len(name) :]
    ranks = [i for i, t in enumerate(FILING_ORDER) if label.startswith(t)]
    rank = max(ranks, key=lambda i: len(FILING_ORDER[i]), default=99)
    return rank, entry.id


def dossier(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    documents: Sequence[DossierEntry],
    history: Sequence[HistoryRow],
) -> dict[str, Any]:
    """卷宗: cover, the case's issued documents in the order of the lifecycle, and the
    record of acts."""
    documents = sorted(documents, key=_filing_order)
    if case.closed_on is None:
        raise ContentError(
            "案件尚未结案归档，不能制作卷宗：卷宗在复核期限届满或复核终结、结案归档后制作（第十四条）"
        )
    subjects = "、".join(s.name for s in case.subjects)
    period = format_cn_date(case.proposed_on) + "至" + format_cn_date(case.closed_on)
    fields = [
        ["案件编号", case.number],
        ["问责对象", subjects],
        # A citation names its instrument (the regulation's title, read from its resource).
        ["问责情形", f"{reg()}{grounds}" if (grounds := _grounds_text(case)) else "—"],
        ["办理期间", period],
        ["卷内文书", f"{len(documents)}件（另附案件办理记录）"],
    ]
    header = (("序号", "fit"), ("日期", "center"), ("经办人", "center"), ("事项", "center"))
    history_rows: list[Sequence[str | tuple[str, str]]] = [header]
    for n, h in enumerate(history, start=1):
        history_rows.append(
            (
                (str(n), "center"),
                (format_cn_date(h.on), "fit"),
                (h.actor, "left"),
                (h.action, "left"),
            )
        )
    history_content = content(
        DocumentKind.DOSSIER,
        "案件办理记录",
        "",
        [table(history_rows, widths=(14, 40, 30, 72), size=12.0, header_rows=1)],
    )
    return content(
        DocumentKind.DOSSIER,
        "问责案件卷宗",
        case.number,
        [],
        cover={
            "fields": fields,
            "body": letterhead.bureau_name,
            "date": format_cn_date(case.closed_on),  # filed (归档) when the case closed
        },
        case_id=case.id,
        documents=[int(d.id) for d in documents],
        toc=[d.label for d in documents],
        history=history_content,
        for_subject=False,
    )


def dossier_cover(c: Mapping[str, Any]) -> Cover:
    cov = c["cover"]
    return Cover(
        title=c["title"],
        fields=[(str(a), str(b)) for a, b in cov["fields"]],
        body=cov.get("body"),
        date_text=cov.get("date"),
    )
