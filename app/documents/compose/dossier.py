"""问责案件卷宗: the dossier's cover, table of contents and entries."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.documents.compose.content import ContentError, Letterhead, content, table, validate
from app.documents.compose.wording import _grounds_text, declined, on_the_case, reg
from app.documents.model import Cover
from app.documents.text import format_cn_date
from app.domain.enums import (
    DecisionOutcome,
    DocumentKind,
    InvestigatorRole,
    MeetingKind,
    StatementKind,
)
from app.domain.issuing import decision_document_name, holds_accountable

# ---- 卷宗 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """One act of the case in the dossier's record: business date, who, what."""

    on: date
    actor: str
    action: str


#: Who recorded an act: (table name, row id) → his display name ("—" where unknown).
Actor = Callable[[str, int], str]


def dossier_history(
    case: Any,
    services: Sequence[tuple[Any, int | None]],
    head_of: Callable[[int | None], str],
    actor: Actor,
    closer: str,
) -> list[HistoryRow]:
    """The case's acts on their business dates (not the audit time), by whom — the record the
    dossier prints, for the document service and the batch demo alike.

    ``case`` is the :class:`~app.readmodels.CaseDetail`; ``services`` every current service
    (a :class:`~app.readmodels.ServiceView` with the review decision it serves, or None);
    ``closer`` who closed the case."""
    from app.documents.compose.decisions import recipient_of
    from app.documents.compose.wording import meeting_phrase

    subject = {x.id: x.name for x in case.subjects}
    rows: list[tuple[Any, int, int, str, str]] = []

    def add(on: Any, rank: int, table: str, key: int, text: str, by: str = "") -> None:
        if on is not None:
            day = on.date() if hasattr(on, "date") and callable(on.date) else on
            rows.append((day, rank, key, by or actor(table, key), text))

    add(
        case.proposed_on,
        0,
        "cases",
        case.id,
        f"{case.proposer_type}（{case.proposer_name}）提出问责",
    )
    for m in case.meetings:
        rank = 1 if m.kind == MeetingKind.INITIATION else 9
        add(m.meeting_date, rank, "meetings", m.id, meeting_phrase(m))
    # Members are named with the report and the review decisions they made (their own entry
    # is no act of the case); a recused one by his recusal (Art. 12).
    crew = on_the_case(case)
    for r in case.recusals:
        add(r.decided_on, 3, "recusals", r.id,
            f"作出回避决定：{r.person_name}（{r.role}），{r.verdict}")  # fmt: skip
    for e in case.evidence:
        add(e.collected_on, 4, "evidence", e.id, f"收集证据：{e.title}")
    for st in case.statements:
        said = "放弃陈述申辩" if st.kind == StatementKind.WAIVED else "陈述申辩"
        add(st.made_on, 5, "statements", st.id, f"{subject.get(st.subject_id, '')}{said}")
    for cf in case.conduct:
        how = "配合调查" if cf.cooperative else "阻挠、干扰调查"
        add(cf.found_on, 6, "conduct_findings", cf.id, f"认定{subject.get(cf.subject_id, '')}{how}")
    for x in case.extensions:
        add(x.approved_on, 7, "extensions", x.id,
            f"批准延长调查期限至{format_cn_date(x.new_deadline)}")  # fmt: skip
    if case.report is not None:
        made = "、".join(
            m.name for m in crew(InvestigatorRole.INVESTIGATOR, case.report.report_date)
        )
        add(case.report.report_date, 8, "reports", case.report.id,
            "机关纪委提交调查报告" + (f"（调查人员：{made}）" if made else ""))  # fmt: skip
    for d in case.decisions:
        if d.origin.startswith("复核"):
            continue  # stated by the review decision
        outcome = decision_document_name(d.outcome).removesuffix("书")
        add(d.decided_on, 10, "decisions", d.id,
            f"作出{outcome}（{subject.get(d.subject_id, '')}，{d.doc_number}）")  # fmt: skip
    numbers = {d.id: d.doc_number for d in case.decisions}
    titled = {d.id: decision_document_name(d.outcome) for d in case.decisions}
    reviews = {r.id: r.doc_number for r in case.review_decisions}
    subject_of = {d.id: case.subject(d.subject_id) for d in case.decisions}
    for sv, rd_id in services:
        sub = subject_of.get(sv.decision_id)
        signer = recipient_of(sub, sv, head_of) if sub else sv.recipient
        what = (
            f"{reviews.get(rd_id, '')}复核决定书"
            if rd_id
            else f"{numbers.get(sv.decision_id, '')}{titled.get(sv.decision_id, '')}"
        )
        add(sv.served_at, 13 if rd_id else 11, "services", sv.id,
            f"{sv.method}{what}（受送达人：{signer}）")  # fmt: skip
    for a in case.review_applications:
        add(a.received_on, 12, "review_applications", a.id,
            f"收到对{numbers.get(a.decision_id, '')}问责决定的复核申请")  # fmt: skip
    applied = {a.id: a.decision_id for a in case.review_applications}
    for rd in case.review_decisions:
        reviewers = "、".join(m.name for m in crew(InvestigatorRole.REVIEWER, rd.decided_on))
        did = applied.get(rd.application_id)  # 「…，变更荣综执纪〔2026〕4号问责决定」
        what = f"{numbers.get(did, '')}{titled.get(did, '问责决定书').removesuffix('书')}"
        add(rd.decided_on, 13, "review_decisions", rd.id,
            f"作出复核决定（{rd.doc_number}），{rd.outcome}{what}"
            + (f"（复核人员：{reviewers}）" if reviewers else ""))  # fmt: skip
    add(case.closed_on, 14, "cases", 0, "结案归档", closer or "—")
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out: list[HistoryRow] = []
    for day, _rank, _key, by, text in rows:
        row = HistoryRow(day, by, text)
        if row not in out:  # one meeting deciding on several subjects is one act
            out.append(row)
    return out


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
    grounds = f"{reg()}{clauses}" if (clauses := _grounds_text(case)) else ""
    if declined(case):  # 第九条: no accountability began — what was reported, not 问责
        who = ["被反映对象", subjects]
        what = ["反映的问题", f"{grounds}所列情形" if grounds else "—"]
    else:  # a citation names its instrument (the regulation's title, read from its resource)
        who, what = ["问责对象", subjects], ["问责情形", grounds or "—"]
    fields = [
        ["案件编号", case.number],
        who,
        what,
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


def validate_dossier(c: Mapping[str, Any]) -> None:
    """Refuse a 卷宗 the binder cannot lay out: a cover edited (or crafted) out of shape would
    otherwise be frozen at issue and fail only when the dossier is printed."""
    cov = c.get("cover") if isinstance(c, Mapping) else None
    if not isinstance(c, Mapping) or not str(c.get("title", "")).strip():
        raise ContentError("卷宗封面的标题不能为空")
    fields = cov.get("fields") if isinstance(cov, Mapping) else None
    if not isinstance(fields, list) or not all(
        isinstance(f, list | tuple) and len(f) == 2 for f in fields
    ):
        raise ContentError("卷宗封面的栏目格式不正确")
    for key in ("body", "date"):
        if cov.get(key) is not None and not isinstance(cov.get(key), str):
            raise ContentError("卷宗封面的文字必须是文本")
    if not isinstance(c.get("history"), Mapping):
        raise ContentError("卷宗缺少案件办理记录")
    validate(c["history"])


def dossier_cover(c: Mapping[str, Any]) -> Cover:
    cov = c["cover"]
    return Cover(
        title=c["title"],
        fields=[(str(a), str(b)) for a, b in cov["fields"]],
        body=cov.get("body"),
        date_text=cov.get("date"),
    )
