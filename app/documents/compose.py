"""Compose the case documents (DESIGN §5) as editable JSON content, and turn content into a Doc.

Why JSON content: the officer edits the wording before issue; the edited content is then
frozen in the ``documents`` table, and every later rendering starts from that frozen content,
so a reprint years later is word-for-word the issued document. Composition is pure: it reads a
``CaseDetail`` (which never carries a reporter's identity, Art. 10) and the bureau's settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.documents import citations as cit
from app.documents.citations import CSL, REGULATION, SANCTION_REG, Ref
from app.documents.layout import (
    Cell,
    Cover,
    Doc,
    FormRow,
    FormTable,
    Heading1,
    Heading2,
    PageBreak,
    Para,
    Signature,
    Spacer,
)
from app.documents.text import format_cn_date, format_cn_datetime
from app.domain.deadlines import appeal_deadline, sanction_period_end, sanction_period_months
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    DocumentKind,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    ServiceMethod,
    SubjectKind,
)
from app.domain.regulation import clause_label, cn_number, load_regulation

SCHEMA = 1
BLOCK_TYPES = ("p", "h1", "h2", "space", "break", "sig", "table")


class ContentError(ValueError):
    """Edited content that cannot be laid out or no longer matches the document it drafts."""


@dataclass(frozen=True)
class Letterhead:
    """The settings a document needs (from ``MasterDataService.settings()``)."""

    bureau_name: str
    discipline_body: str
    doc_prefix: str = ""  # 机关代字 (the prefix of document numbers)


# ---- block helpers (JSON form) -----------------------------------------------------------


def p(text: str, indent: float = 2, align: str = "justify") -> dict[str, Any]:
    return {"type": "p", "text": text, "indent": indent, "align": align}


def h1(text: str) -> dict[str, Any]:
    return {"type": "h1", "text": text}


def h2(text: str) -> dict[str, Any]:
    return {"type": "h2", "text": text}


def space(lines: int = 1) -> dict[str, Any]:
    return {"type": "space", "lines": lines}


def sig(body: str, on: date, seal: bool = True) -> dict[str, Any]:
    return {"type": "sig", "body": body, "date": format_cn_date(on), "seal": seal}


def table(
    rows: Sequence[Sequence[str | tuple[str, str]]],
    widths: Sequence[float] | None = None,
    min_heights: Mapping[int, float] | None = None,
    size: float = 14.0,
    *,
    one_page: bool = False,
    header_rows: int = 0,
) -> dict[str, Any]:
    """A ruled form; a cell is text or (text, align); ``min_heights`` row index → mm.

    Align ``fit`` keeps a cell on one line (a label, a document number), shrinking it if
    needed; ``one_page`` keeps the whole table on one sheet; ``header_rows`` repeat on
    every continuation page.
    """
    out = []
    for n, row in enumerate(rows):
        cells = [
            {"text": c[0], "align": c[1]} if isinstance(c, tuple) else {"text": c, "align": ""}
            for c in row
        ]
        out.append({"cells": cells, "min_height": (min_heights or {}).get(n, 0.0)})
    block: dict[str, Any] = {
        "type": "table",
        "widths": list(widths) if widths else None,
        "rows": out,
        "size": size,
    }
    if one_page:
        block["one_page"] = True
    if header_rows:
        block["header_rows"] = header_rows
    return block


def content(
    kind: DocumentKind, title: str, number: str, blocks: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "kind": str(kind),
        "title": title,
        "number": number,
        "blocks": blocks,
        **extra,
    }


# ---- content → layout model --------------------------------------------------------------


def _block(b: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    t = b.get("type")
    if t == "p":
        return Para(
            str(b["text"]), indent=float(b.get("indent", 2)), align=b.get("align", "justify")
        )
    if t == "h1":
        return Heading1(str(b["text"]))
    if t == "h2":
        return Heading2(str(b["text"]))
    if t == "space":
        return Spacer(int(b.get("lines", 1)))
    if t == "break":
        return PageBreak()
    if t == "sig":
        return Signature(str(b["body"]), str(b["date"]), bool(b.get("seal", True)))
    if t == "table":
        rows = []
        for r in b["rows"]:
            cells = [Cell(str(c["text"]), c.get("align") or "") for c in r["cells"]]
            rows.append(FormRow(tuple(cells), float(r.get("min_height", 0.0))))
        widths = b.get("widths")
        return FormTable(
            rows=rows,
            col_widths=tuple(widths) if widths else None,
            size=float(b.get("size", 14.0)),
            one_page=bool(b.get("one_page", False)),
            header_rows=int(b.get("header_rows", 0)),
        )
    raise ContentError(f"未知的文书段落类型：{t!r}")


def to_doc(
    c: Mapping[str, Any], code: str | None = None, *, draft: bool = False, screen: bool = False
) -> Doc:
    """The layout model for one (non-dossier) document's content.

    A ``draft`` has no number and no verification code and carries a 草稿 watermark; the
    seal-area guide is drawn on drafts and on ``screen`` previews, never on an original.
    """
    validate(c)
    title = str(c["title"])
    breaks = tuple(int(x) for x in c.get("title_breaks", ()) if 0 < int(x) < len(title))
    return Doc(
        title=title,
        number=None if draft else (c.get("number") or None),
        blocks=[_block(b) for b in c["blocks"]],
        verification_code=None if draft else code,
        title_breaks=breaks,
        toc_label=toc_label(c),
        draft=draft,
        seal_guide=draft or screen,
    )


def validate(c: Mapping[str, Any]) -> None:
    """Refuse content the renderer cannot lay out (after an officer edited it)."""
    if not isinstance(c, Mapping) or c.get("schema") != SCHEMA:
        raise ContentError("文书内容格式不正确")
    if not str(c.get("title", "")).strip():
        raise ContentError("文书标题不能为空")
    blocks = c.get("blocks")
    if not isinstance(blocks, list):
        raise ContentError("文书正文格式不正确")
    for b in blocks:
        if not isinstance(b, Mapping) or b.get("type") not in BLOCK_TYPES:
            raise ContentError(f"未知的文书段落：{b!r}")
        if b["type"] in ("p", "h1", "h2") and not isinstance(b.get("text"), str):
            raise ContentError("段落文字必须是文本")


def plain_text(c: Mapping[str, Any]) -> str:
    """All words of a document's content, in order (for search and reporter-safety checks)."""
    parts = [str(c.get("title", "")), str(c.get("number", ""))]
    for b in c.get("blocks", ()):
        if b.get("type") in ("p", "h1", "h2"):
            parts.append(str(b["text"]))
        elif b.get("type") == "sig":
            parts += [str(b["body"]), str(b["date"])]
        elif b.get("type") == "table":
            parts += [str(cell["text"]) for r in b["rows"] for cell in r["cells"]]
    return "\n".join(parts)


# ---- shared wording ------------------------------------------------------------------------


def reg() -> str:
    """The regulation's title in 《》, read from the regulation resource."""
    return cit.cite(REGULATION)


def _is_person(sub) -> bool:  # type: ignore[no-untyped-def]
    return sub.kind == SubjectKind.PERSON


def _subject_line(sub) -> str:  # type: ignore[no-untyped-def]
    if _is_person(sub):
        where = f"{sub.unit_name}{sub.post}" if sub.unit_name or sub.post else ""
        return f"被问责人：{sub.name}" + (f"，{where}" if where else "") + "。"
    return f"被问责单位：{sub.name}（{sub.kind}）。"


def _addressee(sub) -> str:  # type: ignore[no-untyped-def]
    return f"{sub.name}同志" if _is_person(sub) else sub.name


def _you(sub) -> str:  # type: ignore[no-untyped-def]
    return "你" if _is_person(sub) else "你单位"


def _sentence(text: str) -> str:
    """Trim and end with one full stop (free text typed with or without one)."""
    text = text.strip().rstrip("。；;，,. ")
    return f"{text}。" if text else ""


def _with_subject(text: str, subject: str) -> str:
    """A free-text reason as a sentence with a subject: 「管理不严」 → 「城区一中队管理不严。」."""
    text = text.strip().rstrip("。；;，,. ")
    if not text:
        return ""
    own = ("你", "该", "其", "经", "本局", "局党组", "原", "申请人", "复核", subject)
    if text.startswith(own):
        return f"{text}。"
    if text.startswith(("综合考虑", "鉴于", "考虑到", "因", "由于", "根据", "依照")):
        return f"本局{text}。"
    if text.startswith(("情节", "问题", "后果", "影响")):
        return f"{subject}的问题{text}。"
    if text.startswith(("造成", "给", "导致", "致使")):
        return f"{subject}的行为{text}。"
    return f"{subject}{text}。"


def _drop_said(reasons: str, responsibility: str) -> str:
    """Reasons without a clause that repeats the responsibility already stated."""
    parts = [x for x in re.split(r"[，,；;]", reasons.strip().rstrip("。")) if x.strip()]
    if responsibility:
        parts = [
            x for x in parts if x.strip().removeprefix("负有").removeprefix("负") != responsibility
        ]
    return "，".join(x.strip() for x in parts)


def _facts(text: str) -> str:
    """Facts open with 「经查，」 (the subject of a finding is the investigation)."""
    text = _sentence(text)
    if not text or text.startswith(("经查", "经调查", "经核查", "经复核", "复核查明")):
        return text
    return "经查，" + text


def _grounds_refs(case) -> list[Ref]:  # type: ignore[no-untyped-def]
    return [Ref(REGULATION, a, c) for a, c in case.grounds]


def _grounds_text(case) -> str:  # type: ignore[no-untyped-def]
    return "、".join(clause_label(a, c) for a, c in case.grounds)


def _clause_text(article: int, clause: int) -> str:
    try:
        return load_regulation().clause(article, clause).text.rstrip("；。;")
    except (KeyError, ValueError, IndexError):
        return ""


def _ordered_forms(forms: Sequence[str]) -> list[AccountabilityForm]:
    return sorted((AccountabilityForm(f) for f in forms), key=lambda f: f.clause)


def form_phrase(forms: Sequence[str], kind: str | None, other: str) -> str:
    """``通报批评、记过处分`` in Art. 11 order (a noun phrase, for lists and reports)."""
    words = []
    for f in _ordered_forms(forms):
        if f is AccountabilityForm.ADMINISTRATIVE_SANCTION and kind:
            words.append(f"{kind}处分")
        elif f is AccountabilityForm.OTHER:
            words.append(other or "其他方式")
        else:
            words.append(f.value)
    return "、".join(words)


def form_action(name: str, forms: Sequence[str], kind: str | None, other: str) -> str:
    """The operative words: 「给予王喆通报批评、记过处分，并责令其作出书面检查」."""
    give: list[str] = []
    order: list[str] = []
    for f in _ordered_forms(forms):
        if f is AccountabilityForm.WRITTEN_SELF_CRITICISM:
            order.append("作出书面检查")
        elif f is AccountabilityForm.ORDERED_RESIGNATION:
            order.append("辞去领导职务")
        elif f is AccountabilityForm.ADMINISTRATIVE_SANCTION:
            give.append(f"{kind}处分" if kind else "行政处分")
        elif f is AccountabilityForm.CIRCULATED_CRITICISM:
            give.append("通报批评")
        else:
            give.append(other.strip() or "其他方式的处理")
    parts = []
    if give:
        parts.append(f"给予{name}" + "、".join(give))
    if order:
        who = "其" if give else name
        parts.append(f"责令{who}" + "、".join(order))
    return "，并".join(parts)


def form_refs(forms: Sequence[str], kind: str | None) -> list[Ref]:
    """Legal basis of the chosen forms: Art. 11 clauses, plus the sanction law for 行政处分."""
    refs = [Ref(REGULATION, 11, f.clause) for f in _ordered_forms(forms)] or [Ref(REGULATION, 11)]
    if any(AccountabilityForm(f) is AccountabilityForm.ORDERED_RESIGNATION for f in forms):
        refs.append(Ref(CSL, 87))
    if kind:
        refs += [Ref(CSL, 62), Ref(SANCTION_REG, 6)]
    return refs


def form_basis(forms: Sequence[str], kind: str | None) -> str:
    """Kept for callers that want the citation phrase of the forms alone."""
    return cit.phrase(form_refs(forms, kind))


#: regulation articles the structure already states: the grounds (Arts. 7, 8) and forms (11)
_STRUCTURED = frozenset({7, 8, 11})


def _free_refs(text: str) -> list[Ref]:
    """References in a free-text basis field that the structure cannot express.

    Any title the text names is read, never prefixed again; a bare 「第七条」 or 「第十一条」
    is dropped because the grounds and the forms cite those articles clause by clause.
    """
    return [
        r
        for r in cit.parse(text)
        if r.article and not (r.instrument == REGULATION and r.article in _STRUCTURED)
    ]


#: Art. 2's consequences as clauses of a sentence (the stored terms are noun phrases)
_CONSEQUENCE_CLAUSES = {
    "影响行政秩序和行政效率": "影响了行政秩序和行政效率",
    "贻误工作": "贻误了工作",
    "造成工作损失": "造成了工作损失",
    "损害行政管理相对人的合法权益": "损害了行政管理相对人的合法权益",
    "在社会上造成不良影响和后果": "在社会上造成了不良影响和后果",
}


def consequence_clauses(consequences: Sequence[str]) -> str:
    """「贻误了工作，造成了工作损失」 — never 「造成了造成工作损失的后果」."""
    return "，".join(_CONSEQUENCE_CLAUSES.get(c, c) for c in consequences)


def decision_refs(case, d) -> list[Ref]:  # type: ignore[no-untyped-def]
    """Every reference of a decision's basis sentence, from structure first, then free text."""
    if d.outcome == DecisionOutcome.ACCOUNTABLE:
        refs = _grounds_refs(case) + form_refs(d.forms, d.sanction_kind)
    else:
        refs = [Ref(REGULATION, 9)]
    return cit.normalise(refs + _free_refs(d.basis))


def _period_text(d, effective: date | None = None, original=None) -> str:  # type: ignore[no-untyped-def]
    """Effective date and, for a sanction, its period with the end date.

    For a decision changed on review, ``original`` is the decision it replaces: when the
    stored end date shows the period counted from the original's effective date (the
    sanction was in force during the review), the text says so.
    """
    eff_day = effective or d.effective_on
    eff = format_cn_date(eff_day)
    if not d.sanction_kind:
        return f"本决定自{eff}起生效。"
    months = sanction_period_months(d.sanction_kind)
    if months is None:
        return (
            f"本决定自{eff}起生效。依照{cit.phrase([Ref(CSL, 64)])}的规定，"
            f"{d.sanction_kind}处分不设处分期间。"
        )
    start, note = eff_day, ""
    end = d.sanction_end or sanction_period_end(d.sanction_kind, eff_day)
    if original is not None and end != sanction_period_end(d.sanction_kind, eff_day):
        if end == sanction_period_end(d.sanction_kind, original.effective_on):
            start, note = original.effective_on, "（自原问责决定生效之日起计算）"
        else:
            end = sanction_period_end(d.sanction_kind, eff_day)
    return (
        f"本决定自{eff}起生效。依照{cit.phrase([Ref(CSL, 64), Ref(SANCTION_REG, 7)])}的规定，"
        f"{d.sanction_kind}处分的处分期间为{months}个月{note}，"
        f"自{format_cn_date(start)}起至{format_cn_date(end)}止。"
    )


def rights_notice(sub, bureau: str, what: str = "本决定") -> str:  # type: ignore[no-untyped-def]
    """Art. 14 review for every subject; the civil servant's appeal (公务员法第九十五条) for persons."""
    you = "如" if _is_person(sub) else f"{_you(sub)}如"
    if not _is_person(sub):
        return (
            f"{you}对{what}不服，可以自收到{what}书之日起30日内，依照{reg()}第十四条的规定，"
            f"向{bureau}申请复核。复核期间，不停止{what}的执行。"
        )
    return (
        f"{you}对{what}不服，可以自收到{what}书之日起30日内，"
        f"依照{cit.phrase([Ref(REGULATION, 14), Ref(CSL, 95)])}的规定，向{bureau}申请复核；"
        f"对复核决定不服的，可以自接到复核决定之日起15日内，向同级公务员主管部门或者"
        f"{bureau}的上一级机关提出申诉；也可以不经复核，自知道{what}之日起30日内直接提出申诉。"
        f"复核、申诉期间，不停止{what}的执行。"
    )


def meeting_phrase(m) -> str:  # type: ignore[no-untyped-def]
    """「局党组会议研究，决定启动问责程序（纪要〔2026〕7号）」 — never a bare 「启动」."""
    outcome = (m.outcome or "").strip()
    if m.kind == "启动问责":
        verdict = "决定不予启动问责程序" if "不" in outcome else "决定启动问责程序"
    elif m.kind == "处理决定":
        verdict = "作出处理决定"
    elif m.kind == "延期审批":
        verdict = "批准延长调查期限"
    elif m.kind == "复核决定":
        verdict = f"作出复核决定，{outcome}" if outcome else "作出复核决定"
    else:
        verdict = f"研究{m.kind}事项" + (f"，{outcome}" if outcome else "")
    return f"局党组会议研究，{verdict}（{m.minutes_ref}）"


def _evidence_sentence(case) -> str:  # type: ignore[no-untyped-def]
    titles = [f"{e.title}" for e in case.evidence if e.title]
    if not titles:
        return "上述事实有调查报告及相关材料在卷佐证。"
    return "上述事实有" + "、".join(titles) + "等证据证实。"


def _item_for(case, subject_id: int):  # type: ignore[no-untyped-def]
    if case.report is None:
        return None
    for item in case.report.items:
        if item.subject_id == subject_id:
            return item
    return None


def _meeting(case, kind: str):  # type: ignore[no-untyped-def]
    found = [m for m in case.meetings if m.kind == kind]
    return found[-1] if found else None


def _decision(case, decision_id: int):  # type: ignore[no-untyped-def]
    for d in case.decisions:
        if d.id == decision_id:
            return d
    raise ContentError(f"案件中没有编号为{decision_id}的处理决定")


_NO_OBJECTION = {"无异议", "无", "对事实无异议", "没有异议", "无意见"}


def _statement_sentence(st, you: str) -> str:  # type: ignore[no-untyped-def]
    if st.kind == "放弃陈述申辩":
        return f"{you}放弃陈述和申辩的权利。"
    said = st.content.strip().rstrip("。")
    if said in _NO_OBJECTION:
        return f"{you}在陈述申辩中对上述事实无异议。"
    return (
        f"{you}在陈述申辩中提出：{said}。对{you}提出的事实和理由，本局已进行审查，"
        "并在作出决定时予以考虑；不因陈述申辩而加重处理。"
    )


def title_breaks(title: str, words: Sequence[str]) -> list[int]:
    """Offsets where a title may break: around the given words and after 关于/、/的 only."""
    cuts: set[int] = set()
    spans: list[tuple[int, int]] = []
    for w in words:
        if not w:
            continue
        i = title.find(w)
        while i >= 0:
            spans.append((i, i + len(w)))
            cuts.update((i, i + len(w)))
            i = title.find(w, i + 1)
    for n, ch in enumerate(title):
        if ch in "、，":
            cuts.add(n + 1)
    if title.startswith("关于"):
        cuts.add(2)
    inside = {k for a, b in spans for k in range(a + 1, b)}
    return sorted(c for c in cuts if 0 < c < len(title) and c not in inside)


TITLE_WORDS = (
    "问责决定书",
    "复核决定书",
    "回避决定书",
    "问责案件的",
    "调查报告",
    "送达回证",
    "启动问责审批表",
    "问责案件卷宗",
)


# ---- 问责决定书 -------------------------------------------------------------------------------


def decision(case, letterhead: Letterhead, decision_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """问责决定书 (Art. 13): facts, reasons, basis, forms, period and the subject's rights."""
    d = _decision(case, decision_id)
    sub = case.subject(d.subject_id)
    you = _you(sub)
    item = _item_for(case, sub.id)
    init = _meeting(case, "启动问责")
    blocks: list[dict[str, Any]] = [
        p(f"{_addressee(sub)}：", indent=0),
        p(_subject_line(sub)),
    ]
    opening = f"{format_cn_date(case.proposed_on)}，{case.proposer_type}（{case.proposer_name}）"
    opening += f"依照{reg()}第九条的规定，提出对{you}进行问责。"
    if init is not None:
        opening += (
            f"{format_cn_date(init.meeting_date)}，局党组会议研究决定启动问责程序"
            f"（{init.minutes_ref}），责成机关纪委进行调查核实。"
        )
    opening += (
        f"调查中，机关纪委告知了{you}依法享有陈述和申辩的权利。现将有关情况和处理决定告知如下："
    )
    blocks.append(p(opening))
    blocks.append(h1("一、查明的事实和证据"))
    blocks.append(p(_facts(d.facts) or _facts(case.summary)))
    blocks.append(p(_evidence_sentence(case)))
    cleared = d.outcome == DecisionOutcome.NOT_ACCOUNTABLE
    blocks.append(h1("二、处理的理由" if cleared else "二、问责的理由"))
    grounds = _grounds_text(case)
    reason = ""
    if case.behaviour_type:
        reason += f"{you}的上述行为属于{reg()}第二条规定的{case.behaviour_type}职责"
        reason += f"（{case.behaviour_subtype}）的情形" if case.behaviour_subtype else "的情形"
        if case.fault:
            reason += f"，主观上存在{case.fault}"
        if case.consequences:
            reason += "，" + consequence_clauses(case.consequences)
        if cleared:
            reason += "。"
        else:
            reason += (
                f"，符合该办法{grounds}规定的应当问责的情形。" if grounds else "，应当依法问责。"
            )
    elif not cleared:
        reason += (
            f"{you}的上述行为符合{reg()}{grounds}规定的应当问责的情形。"
            if grounds
            else f"{you}的上述行为应当依法问责。"
        )
    if reason:
        blocks.append(p(reason))
    if item is not None:
        resp = f"经认定，{you}对上述问题负{item.responsibility}。"
        if item.mitigation.strip():
            resp += (
                f"{you}{item.mitigation.strip().rstrip('。')}，"
                "依照该办法第四条的规定，本局在处理时予以考虑。"
            )
        blocks.append(p(resp))
    said = _drop_said(d.reasons, item.responsibility if item is not None else "")
    if said:
        blocks.append(p(_with_subject(said, you)))
    st = case.statement_for(sub.id)
    if st is not None:
        blocks.append(p(_statement_sentence(st, you)))
    blocks.append(h1("三、问责决定"))
    meet = d.meeting
    via = (
        f"经{format_cn_date(meet.meeting_date)}局党组会议研究（{meet.minutes_ref}），"
        if meet
        else "经局党组会议研究，"
    )
    refs = decision_refs(case, d)
    basis = cit.basis_clause(refs)
    if d.outcome == DecisionOutcome.ACCOUNTABLE:
        action = form_action(sub.name, d.forms, d.sanction_kind, d.other_form_text)
        text = f"{basis}，{via}决定{action}。"
        if d.transfer_to_judicial:
            text += "对涉嫌犯罪的问题，依照该办法第十一条第二款的规定，移送司法机关依法处理。"
    else:
        text = f"{basis}，{via}决定对{sub.name}{d.outcome}。"
    blocks.append(p(text))
    blocks.append(p(_period_text(d)))
    if d.outcome == DecisionOutcome.ACCOUNTABLE:
        blocks.append(h1("四、权利告知"))
        blocks.append(p(rights_notice(sub, letterhead.bureau_name)))
    blocks.append(sig(letterhead.bureau_name, d.decided_on))
    title = f"{letterhead.bureau_name}问责决定书"
    return content(
        DocumentKind.DECISION,
        title,
        d.doc_number,
        blocks,
        recipient=sub.name,
        for_subject=True,
        subject_kind=str(sub.kind),
        citations=[r.to_json() for r in refs],
        title_breaks=title_breaks(title, (letterhead.bureau_name, *TITLE_WORDS)),
    )


# ---- 送达回证 ---------------------------------------------------------------------------------


def recipient_of(sub, sv, head_of: Callable[[int | None], str]) -> str:  # type: ignore[no-untyped-def]
    """Who signed: a person by name; a unit through its head, by name (never 「本人」)."""
    given = (sv.recipient or "").strip()
    if _is_person(sub):
        return sub.name if given in ("", "本人") else given
    if given in ("", "本人", sub.name):
        given = head_of(sub.unit_id)
    if not given:
        return f"{sub.name}负责人"
    return f"{given}（{sub.name}负责人）"


def _receipt_note(method: str) -> str:
    """What stands in the recipient's signature box before the signature line."""
    if method == ServiceMethod.LEFT_AT_PREMISES:
        return "拒绝签收"
    if method == ServiceMethod.POST:
        return "以邮件签收回执为准（回执附后）"
    if method == ServiceMethod.ENTRUSTED:
        return "由受托单位转交，以受送达人签收为准"
    return ""


def service_proof(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    decision_id: int,
    head_of: Callable[[int | None], str] = lambda _id: "",
    service: Any = None,
) -> dict[str, Any]:
    """送达回证 (Art. 13): one signed sheet — what, when to the minute, where, how, who.

    ``service`` is the service of the decision itself (not of a later review decision).
    """
    d = _decision(case, decision_id)
    sv = service or d.service
    if sv is None:
        raise ContentError("该处理决定尚未登记送达，不能制作送达回证（第十三条）")
    sub = case.subject(d.subject_id)
    left = sv.method == ServiceMethod.LEFT_AT_PREMISES
    recipient = recipient_of(sub, sv, head_of)
    sign = "（签名或盖章）　　　　年　　月　　日"

    def label(text: str) -> tuple[str, str]:
        return (text, "fit")

    rows: list[Sequence[str | tuple[str, str]]] = [
        (label("送达文书"), "问责决定书", label("文号"), (d.doc_number, "fit")),
        (label("发文机关"), letterhead.bureau_name),
        (label("被问责对象"), f"{sub.name}（{sub.kind}）"),
        (label("受送达人"), recipient),
        (label("送达时间"), format_cn_datetime(sv.served_at)),
        (label("送达地点"), sv.place),
        (label("送达方式"), sv.method),
        (label("受送达人签收"), _receipt_note(sv.method) + "\n" + sign),
        (label("送达人"), "、".join(sv.servers) + "\n" + sign),
    ]
    if left:
        rows.append((label("见证人"), (sv.witness or "") + "\n" + sign))
        rows.append((label("拒收事由"), sv.refusal_reason or "受送达人拒绝签收"))
    rows.append((label("备注"), sv.note or ""))
    heights = {7: 20, 8: 20}
    if left:
        heights[9] = 20
    blocks = [
        table(rows, widths=(34, 58, 20, 44), min_heights=heights, one_page=True),
    ]
    return content(
        DocumentKind.SERVICE_PROOF,
        "送达回证",
        "",
        blocks,
        recipient=recipient,
        whose=sub.name,
        for_subject=True,
        served_document=d.doc_number,
    )


# ---- 复核决定书 -------------------------------------------------------------------------------


def split_request(text: str) -> tuple[str, str]:
    """An application's grounds as (request, reasons): 「认为处分过重，请求从轻」 → (从轻, 认为处分过重)."""
    text = text.strip().rstrip("。")
    for key in ("请求", "要求", "申请"):
        at = text.rfind(key)
        if at > 0:
            reasons = text[:at].rstrip("，,；; ")
            request = text[at + len(key) :].lstrip("：:，, ")
            if request and reasons:
                return request, reasons
    return "", text


def review_decision(case, letterhead: Letterhead, review_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """复核决定书 (Art. 14): request, reasons, facts, 维持/变更/撤销, effect and appeal route."""
    rd = next((r for r in case.review_decisions if r.id == review_id), None)
    if rd is None:
        raise ContentError("案件中没有该复核决定")
    app = next(a for a in case.review_applications if a.id == rd.application_id)
    old = _decision(case, app.decision_id)
    sub = case.subject(old.subject_id)
    person = _is_person(sub)
    made = format_cn_date(rd.decided_on)
    blocks: list[dict[str, Any]] = [
        p(f"{_addressee(sub)}：", indent=0),
        p(
            f"申请人：{sub.name}"
            + (f"，{sub.unit_name}{sub.post}。" if person else f"（{sub.kind}）。"),
            indent=0,
        ),
        p(
            f"申请人不服本局{format_cn_date(old.decided_on)}作出的{old.doc_number}问责决定，"
            f"于{format_cn_date(app.received_on)}依照{reg()}第十四条的规定申请复核。"
            "本局依法受理，由原调查人员以外的工作人员进行了复核，现已复核终结。"
        ),
        h1("一、复核请求及理由"),
    ]
    request, reasons_of_app = split_request(app.grounds)
    if not request:
        request = f"撤销或者变更{old.doc_number}问责决定"
    blocks.append(p(f"申请人请求：{request.rstrip('。')}。"))
    said = reasons_of_app.rstrip("。")
    blocks.append(
        p(f"申请人{said}。" if said.startswith("认为") else f"申请人提出的理由：{said}。")
    )
    blocks += [
        h1("二、复核查明的事实"),
        p(_facts(rd.facts) or "复核查明的事实与原问责决定认定的事实一致。"),
        h1("三、复核决定"),
    ]
    outcome = ReviewOutcome(rd.outcome)
    reasons = _with_subject(rd.reasons, "申请人").rstrip("。")
    new = _decision(case, rd.new_decision_id) if rd.new_decision_id else None
    if outcome is ReviewOutcome.UPHOLD:
        text = (
            f"本局认为，原问责决定认定事实清楚，证据确实充分，适用依据正确，程序合法，处理适当；"
            f"{reasons}。依照{reg()}第十四条的规定，决定维持{old.doc_number}问责决定。"
        )
        effect = f"本复核决定自{made}起生效。原问责决定继续执行" + (
            f"，{old.sanction_kind}处分的处分期间仍至{format_cn_date(old.sanction_end)}止。"
            if old.sanction_kind and old.sanction_end
            else "。"
        )
    elif outcome is ReviewOutcome.CHANGE:
        action = (
            form_action(sub.name, new.forms, new.sanction_kind, new.other_form_text)
            if new
            else f"对{sub.name}作出新的处理"
        )
        refs = form_refs(new.forms, new.sanction_kind) if new else []
        basis = cit.phrase([Ref(REGULATION, 14), *refs])
        text = (
            f"本局认为，{reasons}，原问责决定的处理应予纠正。依照{basis}的规定，"
            f"决定变更{old.doc_number}问责决定，改为{action}。"
            "变更后的处理不重于原处理，不因申请复核而加重。"
        )
        effect = f"本复核决定自{made}起生效，原{old.doc_number}问责决定同时由本决定取代，不再执行。"
        if new is not None and new.sanction_kind:
            period = _period_text(new, rd.decided_on, old).split("。", 1)[1]
            effect += period.replace(
                f"{new.sanction_kind}处分", f"变更后的{new.sanction_kind}处分", 1
            )
        elif old.sanction_kind:
            effect += f"原{old.sanction_kind}处分及其处分期间自本决定生效之日起终止。"
    else:
        undone = form_phrase(old.forms, old.sanction_kind, old.other_form_text) or "处理"
        text = (
            f"本局认为，{reasons}，原问责决定应予撤销。依照{reg()}第十四条的规定，"
            f"决定撤销{old.doc_number}问责决定，对{sub.name}不予问责。"
        )
        effect = (
            f"本复核决定自{made}起生效。原问责决定对{sub.name}作出的{undone}一并撤销"
            + ("，处分期间随之终止" if old.sanction_kind else "")
            + "，有关材料不作为对申请人不利处理的依据。"
        )
    blocks.append(p(text))
    blocks.append(p(effect))
    if person:
        blocks.append(h1("四、申诉权利"))
        last = appeal_deadline(rd.decided_on).last_day
        blocks.append(
            p(
                f"申请人对本复核决定不服的，可以依照{cit.phrase([Ref(CSL, 95)])}的规定，"
                f"自接到本复核决定之日起15日内，向同级公务员主管部门或者{letterhead.bureau_name}"
                f"的上一级机关提出申诉（于本决定作出当日接到的，申诉期限至{format_cn_date(last)}，"
                "遇法定节假日顺延）。申诉期间，不停止本复核决定的执行。"
            )
        )
    blocks.append(sig(letterhead.bureau_name, rd.decided_on))
    title = f"{letterhead.bureau_name}复核决定书"
    return content(
        DocumentKind.REVIEW_DECISION,
        title,
        rd.doc_number,
        blocks,
        recipient=sub.name,
        for_subject=True,
        subject_kind=str(sub.kind),
        title_breaks=title_breaks(title, (letterhead.bureau_name, *TITLE_WORDS)),
    )


# ---- 启动问责审批表 ---------------------------------------------------------------------------


def initiation_form(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    ref_id: int | None = None,
    leads: Sequence[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """启动问责审批表 (Art. 9): who proposed, against whom, on which clauses, what was decided.

    ``leads`` are (number, source, channel) of the linked leads (never the reporter, Art. 10).
    """
    init = _meeting(case, "启动问责")
    subjects = "\n".join(
        f"{s.name}（{s.kind}" + (f"，{s.unit_name}{s.post}" if _is_person(s) else "") + "）"
        for s in case.subjects
    )
    clauses = "\n".join(
        f"{clause_label(a, c)}" + (f"：{t}" if (t := _clause_text(a, c)) else "")
        for a, c in case.grounds
    )
    if leads:
        lead = "\n".join(f"{n}（{src}，{ch}）" for n, src, ch in leads)
    elif case.lead_numbers:
        lead = "、".join(case.lead_numbers)
    else:
        lead = f"无线索，由{case.proposer_type}直接提出"
    behaviour = "；".join(
        x
        for x in (
            f"{case.behaviour_type}（{case.behaviour_subtype}）" if case.behaviour_type else "",
            case.fault,
            "、".join(case.consequences),
        )
        if x
    )
    if init is not None:
        meeting = f"{format_cn_date(init.meeting_date)}{meeting_phrase(init)}"
        if init.reason.strip():
            meeting += f"。{_sentence(init.reason)}"
    else:
        meeting = "尚未召开"
    approval = "\n\n签名：　　　　　　年　　月　　日"
    rows: list[Sequence[str | tuple[str, str]]] = [
        ("案件编号", (case.number, "fit"), "提出日期", (format_cn_date(case.proposed_on), "fit")),
        ("提出主体", f"{case.proposer_type}（{case.proposer_name}）"),
        ("问责对象", subjects),
        ("线索来源", lead),
        ("问责情形", clauses or "—"),
        ("行为与后果", behaviour or "—"),
        ("基本情况", case.summary),
        ("党组会议", meeting),
        (
            "调查期限",
            f"至{format_cn_date(case.investigation_deadline)}（{reg()}第九条）"
            if case.investigation_deadline
            else "—",
        ),
        ("机关纪委意见", approval),
        ("分管领导意见", approval),
        ("主要领导意见", approval),
    ]
    blocks = [
        table(
            rows,
            widths=(30, 54, 26, 46),
            min_heights={9: 18, 10: 18, 11: 18},
            size=12.0,
            one_page=True,
        )
    ]
    return content(DocumentKind.INITIATION_FORM, "启动问责审批表", "", blocks, for_subject=False)


# ---- 回避决定书 -------------------------------------------------------------------------------


def recusal_decision(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    recusal_id: int,
    person_name: Callable[[int], str] = lambda _id: "",
) -> dict[str, Any]:
    """回避决定书 (Art. 12): addressee, who applied, who is recused and in what role, verdict."""
    r = next((x for x in case.recusals if x.id == recusal_id), None)
    if r is None:
        raise ContentError("案件中没有该回避记录")
    granted = r.verdict == RecusalVerdict.GRANTED
    mode = RecusalMode(r.mode) if r.mode in RecusalMode._value2member_map_ else None
    blocks: list[dict[str, Any]] = []
    if mode is RecusalMode.SELF:
        addressee = r.person_name
        blocks += [
            p(f"{addressee}同志：", indent=0),
            p(f"申请人：{r.person_name}，本案{r.role}（本人申请回避）", indent=0),
        ]
        asked = f"{r.person_name}申请回避"
    elif mode is RecusalMode.ORDERED:
        addressee = r.person_name
        blocks += [
            p(f"{addressee}同志：", indent=0),
            p(f"回避人员：{r.person_name}，本案{r.role}（依职权决定回避）", indent=0),
        ]
        asked = f"{r.person_name}回避"
    else:
        addressee = r.applicant
        blocks += [
            p(f"{addressee}：", indent=0),
            p(f"申请人：{r.applicant}（本案当事人）", indent=0),
            p(f"被申请回避人：{r.person_name}，本案{r.role}", indent=0),
        ]
        asked = f"{r.applicant}申请{r.person_name}回避"
    blocks += [
        p(f"案件编号：{case.number}", indent=0),
        h1("一、回避事由"),
        p(_sentence(r.grounds) or "（未说明）"),
        h1("二、决定"),
    ]
    if granted:
        text = (
            f"经审查，{asked}的事由属于{reg()}第十二条规定的应当回避的情形。"
            f"决定：{r.person_name}回避，"
            "自本决定作出之日起不再参与本案的调查、审理和讨论，不得查阅本案材料。"
        )
        if r.replacement_person_id:
            name = person_name(r.replacement_person_id)
            if name:
                text += f"本案{r.role}改由{name}担任。"
    else:
        text = (
            f"经审查，{asked}的事由不属于{reg()}第十二条规定的应当回避的情形。"
            f"决定：驳回回避申请，{r.person_name}继续担任本案{r.role}。"
        )
    blocks.append(p(text))
    blocks.append(space(1))
    blocks.append(sig(letterhead.discipline_body, r.decided_on, seal=True))
    others = {addressee, r.person_name} - {""}
    return content(
        DocumentKind.RECUSAL_DECISION,
        "回避决定书",
        "",
        blocks,
        recipient="、".join(sorted(others, key=lambda n: n != addressee)),
        for_subject=True,
    )


# ---- 调查报告 ---------------------------------------------------------------------------------


def investigation_report(
    case, letterhead: Letterhead, report_id: int | None = None
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """调查报告 (Art. 9): facts, course, attitude and defence, responsibility, recommendation."""
    rep = case.report
    if rep is None or (report_id is not None and rep.id != report_id):
        raise ContentError("案件尚未提交调查报告")
    init = _meeting(case, "启动问责")
    names = [s.name for s in case.subjects]
    blocks: list[dict[str, Any]] = [p("局党组：", indent=0)]
    opening = f"依照{reg()}第九条的规定"
    if init is not None:
        opening += f"和{format_cn_date(init.meeting_date)}局党组会议的决定（{init.minutes_ref}）"
    opening += (
        f"，机关纪委对{'、'.join(names)}涉嫌执法过错问题进行了调查核实。现将调查情况报告如下："
    )
    blocks.append(p(opening))
    blocks.append(h1("一、被调查对象基本情况"))
    for s in case.subjects:
        if _is_person(s):
            blocks.append(
                p(
                    f"{s.name}，{s.unit_name}{s.post}"
                    + ("（担任领导职务）。" if s.is_leader else "。")
                )
            )
        else:
            blocks.append(p(f"{s.name}，{s.kind}。"))
    blocks.append(h1("二、调查依据和经过"))
    # Art. 12: only investigators still on the case are named as its members; a recused one
    # is named with the recusal, never as someone who declared no conflict.
    active = [i for i in case.investigators if i.role == "调查人员" and i.status == "在任"]
    course = "局党组会议决定启动问责程序后，机关纪委在确定的期限内进行了调查核实。"
    if active:
        course += (
            "本案由"
            + "、".join(i.name for i in active)
            + "组成调查组，上述调查人员均已声明无应当回避的情形。"
        )
    for r in case.recusals:
        if r.verdict == "准许":
            course += (
                f"{r.person_name}经{r.mode}，于{format_cn_date(r.decided_on)}决定回避，"
                "未参与此后的调查。"
            )
    if case.investigation_deadline:
        course += f"调查期限至{format_cn_date(case.investigation_deadline)}。"
    if case.extensions:
        ext = case.extensions[-1]
        course += f"经批准，调查期限延长至{format_cn_date(ext.new_deadline)}（{_sentence(ext.reason).rstrip('。')}）。"
    blocks.append(p(course))
    if rep.course.strip():
        blocks.append(p(_sentence(rep.course)))
    blocks.append(h1("三、查明的事实"))
    blocks.append(p(_facts(rep.findings)))
    blocks.append(p(_evidence_sentence(case)))
    blocks.append(h1("四、被调查对象的态度和陈述申辩"))
    if rep.attitude.strip():
        blocks.append(p(_sentence(rep.attitude)))
    for s in case.subjects:
        st = case.statement_for(s.id)
        if st is None:
            continue
        said = st.content.strip().rstrip("。")
        if st.kind == "放弃陈述申辩":
            blocks.append(p(f"{s.name}于{format_cn_date(st.made_on)}表示放弃陈述和申辩。"))
        elif said in _NO_OBJECTION:
            blocks.append(
                p(f"{s.name}于{format_cn_date(st.made_on)}进行了陈述申辩，对上述事实无异议。")
            )
        else:
            blocks.append(
                p(f"{s.name}于{format_cn_date(st.made_on)}进行了陈述申辩，提出：{said}。")
            )
    for cf in case.conduct:
        who = case.subject(cf.subject_id).name
        attitude = "配合调查" if cf.cooperative else "存在阻挠、干扰调查的行为（第十条）"
        blocks.append(p(f"{who}{attitude}：{cf.description.strip().rstrip('。')}。"))
    blocks.append(h1("五、责任认定"))
    for n, item in enumerate(rep.items, start=1):
        s = case.subject(item.subject_id)
        text = f"{s.name}对上述问题负{item.responsibility}。"
        if item.mitigation.strip():
            text += f"{s.name}{item.mitigation.strip().rstrip('。')}，依照该办法第四条的规定，可以在处理时予以考虑。"
        blocks.append(h2(f"（{_cn(n)}）{s.name}"))
        blocks.append(p(text))
    blocks.append(h1("六、处理建议及依据"))
    extra = _free_refs(rep.legal_basis)
    for item in rep.items:
        s = case.subject(item.subject_id)
        if item.outcome == DecisionOutcome.ACCOUNTABLE:
            action = form_action(s.name, item.forms, item.sanction_kind, item.other_form_text)
            refs = _grounds_refs(case) + form_refs(item.forms, item.sanction_kind) + extra
            text = f"{cit.basis_clause(refs)}，建议{action}。"
        else:
            text = (
                f"{cit.basis_clause([Ref(REGULATION, 9), *extra])}，建议对{s.name}{item.outcome}。"
            )
        if item.reasons.strip():
            text += _with_subject(item.reasons, s.name)
        if item.transfer_to_judicial:
            text += "涉嫌犯罪的问题，建议移送司法机关依法处理。"
        blocks.append(p(text))
    blocks.append(p("妥否，请局党组审定。"))
    blocks.append(space(1))
    lines = (
        "\n".join(f"调查人员：{i.name}　　签名：＿＿＿＿＿＿" for i in active) or "调查人员签名："
    )
    blocks.append(p(lines, indent=2, align="left"))
    blocks.append(sig(letterhead.discipline_body, rep.report_date, seal=False))
    title = "关于" + "、".join(names) + "问责案件的调查报告"
    return content(
        DocumentKind.INVESTIGATION_REPORT,
        title,
        "",
        blocks,
        for_subject=False,
        title_breaks=title_breaks(title, (*names, *TITLE_WORDS)),
    )


def _cn(n: int) -> str:
    return cn_number(n)


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


def dossier(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    documents: Sequence[DossierEntry],
    history: Sequence[HistoryRow],
    made_on: date,
) -> dict[str, Any]:
    """卷宗: cover, the case's issued documents in issue order, and the record of acts."""
    if case.closed_on is None:
        raise ContentError(
            "案件尚未结案归档，不能制作卷宗：卷宗在复核期限届满或复核终结、结案归档后制作（第十四条）"
        )
    subjects = "、".join(s.name for s in case.subjects)
    period = format_cn_date(case.proposed_on) + "至" + format_cn_date(case.closed_on)
    fields = [
        ["案件编号", case.number],
        ["被问责对象", subjects],
        ["问责情形", _grounds_text(case) or "—"],
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
            "date": format_cn_date(made_on),
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


def toc_label(c: Mapping[str, Any]) -> str:
    """A contents entry that says whose document it is: 「送达回证（受送达人：王喆）」."""
    kind = str(c.get("kind", ""))
    title = str(c.get("title", ""))
    short = kind if kind and kind in title and kind != DocumentKind.DOSSIER else title
    who = str(c.get("recipient", ""))
    if kind == DocumentKind.SERVICE_PROOF:
        served = c.get("served_document", "")
        whose = str(c.get("whose", "")) or who
        text = f"{short}（{whose}）" if whose else short
        return text + (f"　{served}" if served else "")
    text = f"{short}（{who}）" if who else short
    number = c.get("number")
    return text + (f"　{number}" if number else "")
