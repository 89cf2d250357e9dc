"""启动问责审批表, 回避决定书 and 调查报告."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from app.documents import citations as cit
from app.documents.compose.content import (
    ContentError,
    Letterhead,
    content,
    h1,
    h2,
    imprint,
    p,
    sig,
    space,
    table,
)
from app.documents.compose.wording import (
    _NO_OBJECTION,
    TITLE_WORDS,
    _clause_text,
    _drop_said,
    _evidence_sentence,
    _facts,
    _free_refs,
    _grounds_refs,
    _is_person,
    _meeting,
    _sentence,
    _with_subject,
    clearing_refs,
    declined,
    form_action,
    form_refs,
    meeting_phrase,
    on_the_case,
    reg,
    title_breaks,
)
from app.documents.text import format_cn_date
from app.domain.enums import (
    DecisionOutcome,
    DocumentKind,
    InvestigatorRole,
    RecusalMode,
    RecusalVerdict,
)
from app.domain.regulation import clause_label, cn_number

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
        # the first clause names the instrument; the clauses under it are of the same one
        (reg() if n == 0 else "")
        + clause_label(a, c)
        + (f"：{t}" if (t := _clause_text(a, c)) else "")
        for n, (a, c) in enumerate(case.grounds)
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
        ("调查期限", _deadline_cell(case)),
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


def _deadline_cell(case) -> str:  # type: ignore[no-untyped-def]
    """The deadline the meeting set (第九条), and the extension approved since, if any."""
    set_on = deadline_set(case)
    if set_on is None:
        return "不予启动，未确定调查期限" if declined(case) else "—"
    text = f"至{format_cn_date(set_on)}（{reg()}第九条）"
    if case.extensions:
        text += f"\n经批准延长至{format_cn_date(case.extensions[-1].new_deadline)}"
    return text


# ---- 回避决定书 -------------------------------------------------------------------------------


#: Who a 回避决定书 is copied to: the Party group that ordered the investigation (第九条).
RECUSAL_COPY_TO = "局党组"

# A recusal the person recused asked for, or one ordered: the decision is addressed to that
# person. (how they are named, how the recusal arose, what was asked)
_ADDRESSED_TO_RECUSED = {
    RecusalMode.SELF: ("申请人", "本人申请回避", "申请回避"),
    RecusalMode.ORDERED: ("回避人员", "依职权决定回避", "回避"),
}


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
    if mode in _ADDRESSED_TO_RECUSED:
        label, how, verb = _ADDRESSED_TO_RECUSED[mode]
        addressee = r.person_name
        blocks += [
            p(f"{addressee}同志：", indent=0),
            p(f"{label}：{r.person_name}，本案{r.role}（{how}）", indent=0),
        ]
        asked = f"{r.person_name}{verb}"
    else:
        addressee = r.applicant
        # the subject who applied, addressed as every document the bureau sends him
        person = any(x.name == addressee and _is_person(x) for x in case.subjects)
        blocks += [
            p(f"{addressee}同志：" if person else f"{addressee}：", indent=0),
            p(f"申请人：{r.applicant}（本案当事人）", indent=0),
            p(f"被申请回避人：{r.person_name}，本案{r.role}", indent=0),
        ]
        asked = f"{r.applicant}申请{r.person_name}回避"
    blocks += [
        # the case by what it is (as the 调查报告 is titled), not by the desk's register key
        # 「WZ2026-0019」, a Latin code the bureau never issued
        p(f"案件：关于{'、'.join(s.name for s in case.subjects)}问责案件", indent=0),
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
    # GB/T 9704 §7.4: numbered in the bureau's series (荣综执纪), it closes with its 版记 as the
    # bureau's decisions do — printed by the bureau's office (the committee has none of its own)
    # the day it is decided, copied to the 局党组 that charged the committee with the
    # investigation and named its investigators (第九条).
    blocks.append(imprint(f"{letterhead.bureau_name}办公室", r.decided_on, [RECUSAL_COPY_TO]))
    others = {addressee, r.person_name} - {""}
    # GB/T 9704 §7.3.1: the title names the issuing body — the committee that signs it —
    # and, longer than a line, breaks between words (「…执法局」「机关纪律检查委员会…」)
    title = f"{letterhead.discipline_body}{DocumentKind.RECUSAL_DECISION}"
    return content(
        DocumentKind.RECUSAL_DECISION,
        title,
        "",
        blocks,
        recipient="、".join(sorted(others, key=lambda n: n != addressee)),
        for_subject=True,
        title_breaks=title_breaks(title, (letterhead.bureau_name, "机关", *TITLE_WORDS)),
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
    # 第二条's words, as the 问责决定书 classes the conduct: 「执法过错」 would misname a case
    # under 第七条 (a task not done, a false report), which is no 执法 at all.
    conduct = f"{case.behaviour_type}职责" if case.behaviour_type else "不履行或者不正确履行职责"
    opening += (
        f"，机关纪委对{'、'.join(names)}涉嫌{conduct}问题进行了调查核实。现将调查情况报告如下："
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
    # Art. 12: the investigators on the case on the report's day are its members; one recused
    # by then is named with the recusal, never as someone who declared no conflict (a recusal
    # after the report is no part of it, whenever the report is printed).
    active = on_the_case(case)(InvestigatorRole.INVESTIGATOR, rep.report_date)
    # Art. 9 (限期调查): 「在确定的期限内」 only where the report met the deadline in force.
    due = case.extensions[-1].new_deadline if case.extensions else case.investigation_deadline
    late = due is not None and rep.report_date > due
    within = "" if late else "在确定的期限内"
    course = f"局党组会议决定启动问责程序后，机关纪委{within}进行了调查核实。"
    if active:
        course += (
            "本案由"
            + "、".join(i.name for i in active)
            + "组成调查组，上述调查人员均已声明无应当回避的情形。"
        )
    # 第十二条: every recusal decided during the investigation is part of its course — one
    # refused too (the member the subject objected to signs the report), and who replaced one.
    names_of = {i.person_id: i.name for i in case.investigators}
    for r in case.recusals:
        if r.decided_on <= rep.report_date:
            course += _recused(r, names_of.get(r.replacement_person_id or 0, ""))
    if (set_on := deadline_set(case)) is not None:
        course += f"调查期限至{format_cn_date(set_on)}。"
    if case.extensions:
        ext = case.extensions[-1]
        course += f"经批准，调查期限延长至{format_cn_date(ext.new_deadline)}（{_sentence(ext.reason).rstrip('。')}）。"
    if late:
        course += f"本报告于{format_cn_date(rep.report_date)}提交，已超过调查期限。"
    blocks.append(p(course))
    if rep.course.strip():
        blocks.append(p(_sentence(rep.course)))
    blocks.append(h1("三、查明的事实"))
    blocks.append(p(_facts(rep.findings)))
    blocks.append(p(_evidence_sentence(case, "相关材料")))  # never itself as its evidence
    blocks.append(h1("四、被调查对象的态度和陈述申辩"))
    if rep.attitude.strip():
        blocks.append(p(_sentence(rep.attitude)))
    for s in case.subjects:
        st = case.statement_for(s.id)
        if st is None:  # a heading with nothing under it reads as a page lost from the file
            blocks.append(p(f"截至本报告提交之日，{s.name}未提出陈述和申辩。"))
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
        said = cf.description.strip().rstrip("。")
        if cf.cooperative:  # 「积极配合调查，…」 already says it: never 「配合调查：积极配合调查」
            own = said.startswith(("积极配合", "配合", "主动配合", "能够配合", "能配合"))
            blocks.append(p(f"{who}{said}。" if own else f"{who}配合调查：{said}。"))
        else:  # the article with its instrument, never a bare 「（第十条）」
            blocks.append(p(f"{who}存在阻挠、干扰调查的行为：{said}，违反了{reg()}第十条的规定。"))
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
        # The reason first, then the recommendation, its outcome said once: never 「建议对陈志
        # 不予问责。陈志的问题情节显著轻微，不予问责。」
        said = item.reasons
        if item.outcome != DecisionOutcome.ACCOUNTABLE:
            said = _drop_said(said, item.outcome.removesuffix("问责"), suffix="问责")
        text = _with_subject(said, s.name) if said.strip() else ""
        if item.outcome == DecisionOutcome.ACCOUNTABLE:
            action = form_action(s.name, item.forms, item.sanction_kind, item.other_form_text)
            refs = _grounds_refs(case) + form_refs(item.forms, item.sanction_kind) + extra
            text += f"{cit.basis_clause(refs)}，建议{action}。"
        else:
            text += (
                f"{cit.basis_clause([*clearing_refs(item.outcome, s), *extra])}，"
                f"建议对{s.name}{item.outcome}。"
            )
        if item.transfer_to_judicial:
            text += "涉嫌犯罪的问题，建议移送有关国家机关依法处理。"  # as the decision says
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


def deadline_set(case) -> date | None:  # type: ignore[no-untyped-def]
    """The investigation's deadline as the Party group set it (第九条): the case carries the
    latest, extended one; the first extension kept what it replaced."""
    return case.extensions[0].old_deadline if case.extensions else case.investigation_deadline


def _recused(r, replacement: str = "") -> str:  # type: ignore[no-untyped-def]
    """第十二条: a recusal as it arose — never 「经指令回避，…决定回避」 — with the member who
    replaced the one recused; a refused application with the member it kept on the case."""
    on = format_cn_date(r.decided_on)
    if r.verdict != RecusalVerdict.GRANTED:
        who = f"{r.person_name}本人" if r.mode == RecusalMode.SELF else r.applicant
        return (
            f"{who}申请{r.person_name}回避，机关纪委于{on}经审查认为不属于应当回避的情形，"
            f"决定驳回，{r.person_name}继续参与调查。"
        )
    after = f"，由{replacement}接替" if replacement else ""
    if r.mode == RecusalMode.ORDERED:
        return f"机关纪委于{on}依职权决定{r.person_name}回避，其未参与此后的调查{after}。"
    how = "当事人" + r.applicant if r.mode == RecusalMode.SUBJECT else "本人"
    return f"{r.person_name}经{how}申请，于{on}决定回避，未参与此后的调查{after}。"


def _cn(n: int) -> str:
    return cn_number(n)
