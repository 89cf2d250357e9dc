"""Compose the case documents (DESIGN §5) as editable JSON content, and turn content into a Doc.

Why JSON content: the officer edits the wording before issue; the edited content is then
frozen in the ``documents`` table, and every later rendering starts from that frozen content,
so a reprint years later is word-for-word the issued document. Composition is pure: it reads a
``CaseDetail`` (which never carries a reporter's identity, Art. 10) and the bureau's settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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
from app.domain.deadlines import appeal_deadline, sanction_period_months
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    DocumentKind,
    RecusalVerdict,
    ReviewOutcome,
    ServiceMethod,
    SubjectKind,
)
from app.domain.regulation import clause_label, cn_number, load_regulation

SCHEMA = 1
REG = "《执法责任问责办法》"
CSL = "《中华人民共和国公务员法》"
SANCTION_REG = "《行政机关公务员处分条例》"
BLOCK_TYPES = ("p", "h1", "h2", "space", "break", "sig", "table")


class ContentError(ValueError):
    """Edited content that cannot be laid out or no longer matches the document it drafts."""


@dataclass(frozen=True)
class Letterhead:
    """The settings a document needs (from ``MasterDataService.settings()``)."""

    bureau_name: str
    discipline_body: str


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
) -> dict[str, Any]:
    """A ruled form; a cell is text or (text, align); ``min_heights`` row index → mm."""
    out = []
    for n, row in enumerate(rows):
        cells = [
            {"text": c[0], "align": c[1]} if isinstance(c, tuple) else {"text": c, "align": ""}
            for c in row
        ]
        out.append({"cells": cells, "min_height": (min_heights or {}).get(n, 0.0)})
    return {
        "type": "table",
        "widths": list(widths) if widths else None,
        "rows": out,
        "size": size,
    }


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
        )
    raise ContentError(f"未知的文书段落类型：{t!r}")


def to_doc(c: Mapping[str, Any], code: str | None = None) -> Doc:
    """The layout model for one (non-dossier) document's content."""
    validate(c)
    return Doc(
        title=c["title"],
        number=c.get("number") or None,
        blocks=[_block(b) for b in c["blocks"]],
        verification_code=code,
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


def _subject_line(sub) -> str:  # type: ignore[no-untyped-def]
    if sub.kind == SubjectKind.PERSON:
        where = f"{sub.unit_name}{sub.post}" if sub.unit_name or sub.post else ""
        return f"被问责人：{sub.name}" + (f"，{where}" if where else "") + "。"
    return f"被问责单位：{sub.name}（{sub.kind}）。"


def _addressee(sub) -> str:  # type: ignore[no-untyped-def]
    return f"{sub.name}同志" if sub.kind == SubjectKind.PERSON else sub.name


def _you(sub) -> str:  # type: ignore[no-untyped-def]
    return "你" if sub.kind == SubjectKind.PERSON else "你单位"


def _grounds_text(case) -> str:  # type: ignore[no-untyped-def]
    return "、".join(clause_label(a, c) for a, c in case.grounds)


def _clause_text(article: int, clause: int) -> str:
    try:
        return load_regulation().clause(article, clause).text.rstrip("；。;")
    except (KeyError, ValueError, IndexError):
        return ""


def form_phrase(forms: Sequence[str], kind: str | None, other: str) -> str:
    """``通报批评、行政处分（记过）`` in Art. 11 order."""
    ordered = sorted((AccountabilityForm(f) for f in forms), key=lambda f: f.clause)
    words = []
    for f in ordered:
        if f is AccountabilityForm.ADMINISTRATIVE_SANCTION and kind:
            words.append(f"{kind}处分")
        elif f is AccountabilityForm.OTHER:
            words.append(other or "其他方式")
        else:
            words.append(f.value)
    return "、".join(words)


def form_basis(forms: Sequence[str], kind: str | None) -> str:
    """Legal basis of the chosen forms: Art. 11 clauses, plus the sanction law for 行政处分."""
    ordered = sorted((AccountabilityForm(f) for f in forms), key=lambda f: f.clause)
    text = f"{REG}第十一条"
    if ordered:
        text = f"{REG}{clause_label(11, ordered[0].clause)}"
        text += "".join(f"、第（{cn_number(f.clause)}）项" for f in ordered[1:])
    if kind:
        text += f"，{CSL}第六十二条和{SANCTION_REG}第六条"
    return text


def _period_text(d) -> str:  # type: ignore[no-untyped-def]
    eff = format_cn_date(d.effective_on)
    if not d.sanction_kind:
        return f"本决定自{eff}起生效。"
    months = sanction_period_months(d.sanction_kind)
    if months is None:
        return f"本决定自{eff}起生效。{d.sanction_kind}处分无处分期间（{CSL}第六十四条）。"
    end = d.sanction_end
    end_text = f"至{format_cn_date(end)}止" if end else ""
    return (
        f"本决定自{eff}起生效。依照{CSL}第六十四条和{SANCTION_REG}第七条，"
        f"{d.sanction_kind}处分的处分期间为{months}个月，自{eff}起{end_text}。"
    )


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
    opening += f"依照{REG}第九条提出对{you}进行问责。"
    if init is not None:
        opening += f"{format_cn_date(init.meeting_date)}局党组会议研究决定启动问责程序（{init.minutes_ref}），"
    opening += "机关纪委进行了调查核实，听取了" + you + "的陈述和申辩。现将有关情况决定如下："
    blocks.append(p(opening))
    blocks.append(h1("一、查明的事实和证据"))
    blocks.append(p(d.facts.strip() or case.summary))
    blocks.append(p(_evidence_sentence(case)))
    blocks.append(h1("二、问责的理由"))
    reason = ""
    if case.behaviour_type:
        reason += f"{you}的上述行为属于{REG}第二条规定的{case.behaviour_type}职责"
        reason += f"（{case.behaviour_subtype}）的情形" if case.behaviour_subtype else "的情形"
        if case.fault:
            reason += f"，主观上存在{case.fault}"
        if case.consequences:
            reason += "，" + "、".join(case.consequences)
        reason += "，"
    grounds = _grounds_text(case)
    reason += f"符合{REG}{grounds}规定的应当问责情形。" if grounds else "应当依法问责。"
    blocks.append(p(reason))
    if item is not None:
        resp = f"经认定，{you}对上述问题负{item.responsibility}（{REG}第四条）。"
        if item.mitigation:
            resp += f"{item.mitigation}，可以酌情考虑。"
        blocks.append(p(resp))
    if d.reasons.strip():
        blocks.append(
            p(d.reasons.strip() if d.reasons.strip().endswith("。") else d.reasons + "。")
        )
    st = case.statement_for(sub.id)
    if st is not None:
        if st.kind == "放弃陈述申辩":
            blocks.append(p(f"{you}放弃陈述和申辩的权利。"))
        else:
            blocks.append(
                p(
                    f"{you}在陈述申辩中提出：{st.content.strip().rstrip('。')}。经复核，不因申辩而加重处理。"
                )
            )
    blocks.append(h1("三、问责决定"))
    meet = d.meeting
    via = (
        f"经{format_cn_date(meet.meeting_date)}局党组会议研究（{meet.minutes_ref}），"
        if meet
        else "经局党组会议研究，"
    )
    if d.outcome == DecisionOutcome.ACCOUNTABLE:
        phrase = form_phrase(d.forms, d.sanction_kind, d.other_form_text)
        text = (
            f"依照{form_basis(d.forms, d.sanction_kind)}的规定，{via}决定给予{sub.name}{phrase}。"
        )
        if d.transfer_to_judicial:
            text += f"涉嫌犯罪的问题，依照{REG}第十一条的规定移送司法机关依法处理。"
    else:
        text = f"{via}依照{REG}第十一条的规定，决定对{sub.name}{d.outcome}。"
    blocks.append(p(text))
    if d.basis.strip():
        blocks.append(p(f"本决定的依据：{REG}{d.basis.strip().rstrip('。')}。"))
    blocks.append(p(_period_text(d)))
    blocks.append(h1("四、权利告知"))
    blocks.append(
        p(
            f"如不服本决定，可以自收到本决定书之日起30日内，依照{REG}第十四条的规定"
            f"向{letterhead.bureau_name}申请复核；对复核决定不服的，可以依照{CSL}第九十五条的规定，"
            "自接到复核决定之日起15日内向上一级机关提出申诉。复核、申诉期间，不停止本决定的执行。"
        )
    )
    blocks.append(sig(letterhead.bureau_name, d.decided_on))
    return content(
        DocumentKind.DECISION,
        f"{letterhead.bureau_name}问责决定书",
        d.doc_number,
        blocks,
        recipient=sub.name,
        for_subject=True,
    )


# ---- 送达回证 ---------------------------------------------------------------------------------


def service_proof(case, letterhead: Letterhead, decision_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """送达回证 (Art. 13): what was served, when to the minute, where, how, and signatures."""
    d = _decision(case, decision_id)
    sv = d.service
    if sv is None:
        raise ContentError("该处理决定尚未登记送达，不能制作送达回证（第十三条）")
    sub = case.subject(d.subject_id)
    left = sv.method == ServiceMethod.LEFT_AT_PREMISES
    sign_line = "（签名或盖章）\n\n年　　月　　日"
    rows: list[Sequence[str | tuple[str, str]]] = [
        ("文书名称", "问责决定书", "文号", d.doc_number),
        ("发文机关", letterhead.bureau_name),
        ("受送达人", f"{sv.recipient}（被问责对象：{sub.name}）"),
        ("送达时间", format_cn_datetime(sv.served_at)),
        ("送达地点", sv.place),
        ("送达方式", sv.method),
        ("受送达人签名", ("拒绝签收" if left else "") + "\n" + sign_line),
        ("送达人", "、".join(sv.servers) + "\n" + sign_line),
        ("见证人", (sv.witness if left else "") + ("\n" + sign_line if left else "")),
        ("拒收事由", sv.refusal_reason if left else "无"),
        ("备注", sv.note or ""),
    ]
    blocks = [
        table(rows, widths=(30, 50, 24, 52), min_heights={6: 22, 7: 22, 8: 16 if left else 0}),
        p(f"依据{REG}第十三条制作。", indent=0, align="right"),
    ]
    return content(
        DocumentKind.SERVICE_PROOF,
        "送达回证",
        "",
        blocks,
        recipient=sv.recipient,
        for_subject=True,
        served_document=d.doc_number,
    )


# ---- 复核决定书 -------------------------------------------------------------------------------


def review_decision(case, letterhead: Letterhead, review_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """复核决定书 (Art. 14): request, facts, 维持/变更/撤销 with reasons, appeal route in 15 days."""
    rd = next((r for r in case.review_decisions if r.id == review_id), None)
    if rd is None:
        raise ContentError("案件中没有该复核决定")
    app = next(a for a in case.review_applications if a.id == rd.application_id)
    old = _decision(case, app.decision_id)
    sub = case.subject(old.subject_id)
    blocks: list[dict[str, Any]] = [
        p(
            f"申请人：{sub.name}"
            + (f"，{sub.unit_name}{sub.post}。" if sub.kind == SubjectKind.PERSON else "。"),
            indent=0,
        ),
        p(
            f"申请人不服本局{format_cn_date(old.decided_on)}作出的《问责决定书》（{old.doc_number}），"
            f"于{format_cn_date(app.received_on)}依照{REG}第十四条的规定提出复核申请。"
            "本局依法受理，并由原调查人员以外的人员进行了复核。现已复核终结。"
        ),
        h1("一、复核请求及理由"),
        p(f"申请人请求：{app.grounds.strip().rstrip('。')}。"),
        h1("二、复核查明的事实"),
        p(rd.facts.strip() or "复核查明的事实与原决定认定的事实一致。"),
        h1("三、复核决定"),
    ]
    outcome = ReviewOutcome(rd.outcome)
    reasons = rd.reasons.strip().rstrip("。")
    if outcome is ReviewOutcome.UPHOLD:
        text = (
            f"本局认为，原问责决定认定事实清楚，证据确实充分，适用依据正确，程序合法，处理适当。"
            f"理由是：{reasons}。依照{REG}第十四条的规定，决定维持{old.doc_number}问责决定。"
        )
    elif outcome is ReviewOutcome.CHANGE:
        new = _decision(case, rd.new_decision_id) if rd.new_decision_id else None
        phrase = (
            form_phrase(new.forms, new.sanction_kind, new.other_form_text)
            if new
            else "（见新决定）"
        )
        text = (
            f"本局认为，{reasons}。依照{REG}第十四条“发现处理错误的，应当及时纠正”的规定，"
            f"决定变更{old.doc_number}问责决定，改为给予{sub.name}{phrase}。"
        )
        if new is not None:
            text += _period_text(new)
        text += "变更后的处理不重于原处理（不因申请复核而加重）。"
    else:
        text = (
            f"本局认为，{reasons}。依照{REG}第十四条的规定，决定撤销{old.doc_number}问责决定，"
            f"对{sub.name}不予问责。"
        )
    blocks.append(p(text))
    blocks.append(h1("四、申诉权利"))
    last = appeal_deadline(rd.decided_on).last_day
    blocks.append(
        p(
            f"申请人对本复核决定不服的，可以依照{CSL}第九十五条的规定，自接到本复核决定之日起15日内"
            f"向上一级机关提出申诉（于本决定作出当日接到的，申诉期限至{format_cn_date(last)}，"
            "遇法定节假日顺延）。申诉期间，不停止本复核决定的执行。"
        )
    )
    blocks.append(space(1))
    blocks.append(sig(letterhead.bureau_name, rd.decided_on))
    return content(
        DocumentKind.REVIEW_DECISION,
        f"{letterhead.bureau_name}复核决定书",
        rd.doc_number,
        blocks,
        recipient=sub.name,
        for_subject=True,
    )


# ---- 启动问责审批表 ---------------------------------------------------------------------------


def initiation_form(case, letterhead: Letterhead, ref_id: int | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """启动问责审批表 (Art. 9): who proposed, against whom, on which clauses, what was decided."""
    init = _meeting(case, "启动问责")
    subjects = "\n".join(
        f"{s.name}（{s.kind}"
        + (f"，{s.unit_name}{s.post}" if s.kind == SubjectKind.PERSON else "")
        + "）"
        for s in case.subjects
    )
    clauses = "\n".join(
        f"{clause_label(a, c)}" + (f"：{t}" if (t := _clause_text(a, c)) else "")
        for a, c in case.grounds
    )
    lead = (
        "、".join(case.lead_numbers)
        if case.lead_numbers
        else f"无（由{case.proposer_type}直接提出）"
    )
    behaviour = "；".join(
        x
        for x in (
            f"{case.behaviour_type}（{case.behaviour_subtype}）" if case.behaviour_type else "",
            case.fault,
            "、".join(case.consequences),
        )
        if x
    )
    approval = "\n\n签名：　　　　　　年　　月　　日"
    rows: list[Sequence[str | tuple[str, str]]] = [
        ("案件编号", case.number, "提出日期", format_cn_date(case.proposed_on)),
        ("提出主体", f"{case.proposer_type}（{case.proposer_name}）"),
        ("问责对象", subjects),
        ("线索来源", lead),
        ("问责情形", clauses or "—"),
        ("行为与后果", behaviour or "—"),
        ("基本情况", case.summary),
        (
            "党组会议",
            f"{format_cn_date(init.meeting_date)}，{init.minutes_ref}，{init.outcome}"
            if init
            else "尚未召开",
        ),
        (
            "调查期限",
            f"至{format_cn_date(case.investigation_deadline)}（{REG}第九条）"
            if case.investigation_deadline
            else "—",
        ),
        ("机关纪委意见", approval),
        ("分管领导意见", approval),
        ("主要领导意见", approval),
    ]
    blocks = [table(rows, widths=(30, 54, 24, 48), min_heights={9: 18, 10: 18, 11: 18}, size=12.0)]
    return content(DocumentKind.INITIATION_FORM, "启动问责审批表", "", blocks, for_subject=False)


# ---- 回避决定书 -------------------------------------------------------------------------------


def recusal_decision(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    recusal_id: int,
    person_name: Callable[[int], str] = lambda _id: "",
) -> dict[str, Any]:
    """回避决定书 (Art. 12): who applied, who is recused and in what role, grounds, verdict."""
    r = next((x for x in case.recusals if x.id == recusal_id), None)
    if r is None:
        raise ContentError("案件中没有该回避记录")
    granted = r.verdict == RecusalVerdict.GRANTED
    blocks: list[dict[str, Any]] = [
        p(f"申请人：{r.applicant}（{r.mode}）", indent=0),
        p(f"被申请回避人：{r.person_name}，本案{r.role}", indent=0),
        p(f"案件编号：{case.number}", indent=0),
        h1("一、申请事由"),
        p(r.grounds.strip() or "（未说明）"),
        h1("二、决定"),
    ]
    if granted:
        text = f"经审查，申请事由属于{REG}第十二条规定的应当回避的情形。决定：准许{r.person_name}回避，"
        text += "自本决定作出之日起不再参与本案的调查、审理和讨论，不得查阅本案材料。"
        if r.replacement_person_id:
            name = person_name(r.replacement_person_id)
            if name:
                text += f"本案{r.role}改由{name}担任。"
    else:
        text = (
            f"经审查，申请事由不属于{REG}第十二条规定的应当回避的情形。决定：驳回回避申请，"
            f"{r.person_name}继续担任本案{r.role}。"
        )
    blocks.append(p(text))
    blocks.append(space(1))
    blocks.append(sig(letterhead.discipline_body, r.decided_on, seal=True))
    return content(DocumentKind.RECUSAL_DECISION, "回避决定书", "", blocks, for_subject=True)


# ---- 调查报告 ---------------------------------------------------------------------------------


def investigation_report(
    case, letterhead: Letterhead, report_id: int | None = None
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """调查报告 (Art. 9): facts, course, attitude and defence, responsibility, recommendation."""
    rep = case.report
    if rep is None or (report_id is not None and rep.id != report_id):
        raise ContentError("案件尚未提交调查报告")
    init = _meeting(case, "启动问责")
    names = "、".join(s.name for s in case.subjects)
    blocks: list[dict[str, Any]] = [p("局党组：", indent=0)]
    opening = f"根据{REG}第九条"
    if init is not None:
        opening += f"和{format_cn_date(init.meeting_date)}局党组会议决定（{init.minutes_ref}）"
    opening += f"，机关纪委对{names}涉嫌执法过错问题进行了调查核实。现将调查情况报告如下："
    blocks.append(p(opening))
    blocks.append(h1("一、被调查对象基本情况"))
    for s in case.subjects:
        if s.kind == SubjectKind.PERSON:
            blocks.append(
                p(
                    f"{s.name}，{s.unit_name}{s.post}"
                    + ("（担任领导职务）。" if s.is_leader else "。")
                )
            )
        else:
            blocks.append(p(f"{s.name}，{s.kind}。"))
    blocks.append(h1("二、调查依据和经过"))
    active = [i for i in case.investigators if i.role == "调查人员"]
    course = f"{REG}第九条规定，机关纪委在党组确定的期限内调查核实。"
    if active:
        course += (
            "本案由"
            + "、".join(i.name for i in active)
            + "组成调查组，各调查人员均已声明无应当回避的情形。"
        )
    if case.investigation_deadline:
        course += f"调查期限至{format_cn_date(case.investigation_deadline)}。"
    if case.extensions:
        ext = case.extensions[-1]
        course += f"经批准，调查期限延长至{format_cn_date(ext.new_deadline)}（{ext.reason}）。"
    blocks.append(p(course))
    if rep.course.strip():
        blocks.append(p(rep.course.strip()))
    blocks.append(h1("三、查明的事实"))
    blocks.append(p(rep.findings.strip()))
    blocks.append(p(_evidence_sentence(case)))
    blocks.append(h1("四、被调查对象的态度和陈述申辩"))
    if rep.attitude.strip():
        blocks.append(p(rep.attitude.strip()))
    for s in case.subjects:
        st = case.statement_for(s.id)
        if st is None:
            continue
        if st.kind == "放弃陈述申辩":
            blocks.append(p(f"{s.name}于{format_cn_date(st.made_on)}表示放弃陈述和申辩。"))
        else:
            blocks.append(
                p(
                    f"{s.name}于{format_cn_date(st.made_on)}进行了陈述申辩：{st.content.strip().rstrip('。')}。"
                )
            )
    for cf in case.conduct:
        who = case.subject(cf.subject_id).name
        attitude = "配合调查" if cf.cooperative else "存在阻挠、干扰调查的行为（第十条）"
        blocks.append(p(f"{who}{attitude}：{cf.description.strip().rstrip('。')}。"))
    blocks.append(h1("五、责任认定"))
    for n, item in enumerate(rep.items, start=1):
        s = case.subject(item.subject_id)
        text = f"{s.name}负{item.responsibility}（{REG}第四条）。"
        if item.mitigation:
            text += f"{item.mitigation}。"
        blocks.append(h2(f"（{_cn(n)}）{s.name}"))
        blocks.append(p(text))
    blocks.append(h1("六、处理建议及依据"))
    grounds = _grounds_text(case)
    for item in rep.items:
        s = case.subject(item.subject_id)
        if item.outcome == DecisionOutcome.ACCOUNTABLE:
            phrase = form_phrase(item.forms, item.sanction_kind, item.other_form_text)
            text = f"建议给予{s.name}{phrase}，依据为{REG}{grounds}及{form_basis(item.forms, item.sanction_kind)}。"
        else:
            text = f"建议对{s.name}{item.outcome}（{REG}第十一条）。"
        if item.reasons:
            text += f"理由：{item.reasons.strip().rstrip('。')}。"
        if item.transfer_to_judicial:
            text += "涉嫌犯罪，建议移送司法机关依法处理。"
        blocks.append(p(text))
    if rep.legal_basis.strip():
        blocks.append(p(f"以上建议的依据：{REG}{rep.legal_basis.strip().rstrip('。')}。"))
    blocks.append(p("妥否，请党组审定。"))
    blocks.append(space(1))
    lines = (
        "\n".join(f"调查人员：{i.name}　　签名：＿＿＿＿＿＿" for i in active) or "调查人员签名："
    )
    blocks.append(p(lines, indent=2, align="left"))
    blocks.append(sig(letterhead.discipline_body, rep.report_date, seal=False))
    return content(
        DocumentKind.INVESTIGATION_REPORT,
        f"关于{names}问责案件的调查报告",
        "",
        blocks,
        for_subject=False,
    )


def _cn(n: int) -> str:
    return cn_number(n)


# ---- 卷宗 -------------------------------------------------------------------------------------


def dossier(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    documents: Sequence[Mapping[str, Any]],
    made_on: date,
) -> dict[str, Any]:
    """卷宗: cover fields, the issued documents (by id, in issue order) and the case history."""
    subjects = "、".join(s.name for s in case.subjects)
    period = format_cn_date(case.proposed_on) + "至"
    period += format_cn_date(case.closed_on) if case.closed_on else "今（未结案）"
    fields = [
        ["案件编号", case.number],
        ["被问责对象", subjects],
        ["问责情形", _grounds_text(case) or "—"],
        ["办理期间", period],
        ["卷内文书", f"{len(documents)}件（另附案件办理记录）"],
    ]
    history_rows: list[Sequence[str | tuple[str, str]]] = [
        (("序号", "center"), ("时间", "center"), ("操作人", "center"), ("事项", "center"))
    ]
    for h in case.history:
        history_rows.append(
            (
                (str(h.seq), "center"),
                (format_cn_datetime(h.at), "left"),
                (h.actor, "left"),
                (h.action, "left"),
            )
        )
    history = content(
        DocumentKind.DOSSIER,
        "案件办理记录",
        "",
        [table(history_rows, widths=(12, 56, 28, 60), size=12.0)],
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
        documents=[int(d["id"]) for d in documents],
        history=history,
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
