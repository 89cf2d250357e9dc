"""Wording shared by the case documents: subjects, grounds, forms, periods, rights."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from app.documents import citations as cit
from app.documents.citations import CSL, REGULATION, SANCTION_REG, Ref
from app.documents.compose.content import ContentError
from app.documents.text import format_cn_date
from app.domain.clearing import clearing_basis
from app.domain.deadlines import sanction_period_end, sanction_period_months
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    MeetingOutcome,
    MemberStatus,
    RecusalVerdict,
    SubjectKind,
)
from app.domain.issuing import form_phrase as form_phrase  # re-exported: the documents' name
from app.domain.issuing import subject_title
from app.domain.regulation import clause_label, load_regulation

# ---- shared wording ------------------------------------------------------------------------


def reg() -> str:
    """The regulation's title in 《》, read from the regulation resource."""
    return cit.cite(REGULATION)


def _is_person(sub) -> bool:  # type: ignore[no-untyped-def]
    return sub.kind == SubjectKind.PERSON


def _subject_line(sub, outcome: str = DecisionOutcome.ACCOUNTABLE) -> str:  # type: ignore[no-untyped-def]
    """「被问责人：王喆，城区一中队中队长。」; 「问责对象：…」 in a decision that clears him."""
    title = subject_title(outcome, _is_person(sub))
    if _is_person(sub):
        where = f"{sub.unit_name}{sub.post}" if sub.unit_name or sub.post else ""
        return f"{title}：{sub.name}" + (f"，{where}" if where else "") + "。"
    return f"{title}：{sub.name}（{sub.kind}）。"


def _addressee(sub) -> str:  # type: ignore[no-untyped-def]
    return f"{sub.name}同志" if _is_person(sub) else sub.name


def _you(sub) -> str:  # type: ignore[no-untyped-def]
    return "你" if _is_person(sub) else "你单位"


def _sentence(text: str) -> str:
    """Trim and end with one full stop (free text typed with or without one)."""
    text = text.strip().rstrip("。；;，,. ")
    return f"{text}。" if text else ""


def _with_subject(text: str, subject: str, name: str = "") -> str:
    """A free-text reason as a sentence with a subject: 「管理不严」 → 「城区一中队管理不严。」.

    ``name``: the subject's own name when ``subject`` is a pronoun (「你」): a reason that
    opens with it (「王喆不受理投诉」) already has its subject, never 「你王喆…」."""
    text = text.strip().rstrip("。；;，,. ")
    if not text:
        return ""
    own = ("你", "该", "其", "经", "本局", "局党组", "原", "申请人", "复核", subject)
    if name:
        own += (name,)
    if text.startswith(own):
        return f"{text}。"
    if text.startswith(("综合考虑", "鉴于", "考虑到", "因", "由于", "根据", "依照")):
        return f"本局{text}。"
    if text.startswith(("证据", "事实", "现有证据")):  # of the case, not a trait of the subject
        return f"本案{text}。"
    if text.startswith(("情节", "问题", "后果", "影响")):
        return f"{subject}的问题{text}。"
    if text.startswith(("造成", "给", "导致", "致使")):
        return f"{subject}的行为{text}。"
    return f"{subject}{text}。"


def _drop_said(reasons: str, responsibility: str, suffix: str = "") -> str:
    """Reasons without a clause that repeats what the document states elsewhere: the
    responsibility (「负直接责任」), or with ``suffix`` the outcome (「不予问责」: ``responsibility``
    「不予」, ``suffix`` 「问责」, also read as 「对其不予问责」)."""
    parts = [x for x in re.split(r"[，,；;]", reasons.strip().rstrip("。")) if x.strip()]
    if suffix:
        parts = [
            x
            for x in parts
            if not re.fullmatch(
                rf"(?:(?:决定|应当|依法|可以)*对?(?:其|你|你单位)?)?{responsibility}{suffix}",
                x.strip(),
            )
        ]
    elif responsibility:
        parts = [
            x for x in parts if x.strip().removeprefix("负有").removeprefix("负") != responsibility
        ]
    return "，".join(x.strip() for x in parts)


#: How a finding may already open: 「经查，」 before them says it twice (「经查，查明…」).
_FINDING_OPENERS = (
    "经查", "经调查", "经核查", "经复核", "复核查明", "经核实", "经审查", "经复查", "经初核",
    "调查查明",
)  # fmt: skip


def _facts(text: str) -> str:
    """Facts open with 「经查，」 (the subject of a finding is the investigation), unless the
    officer's own words open it already; a bare 「查明…」 reads 「经查明，…」."""
    text = _sentence(text)
    if not text or text.startswith(_FINDING_OPENERS):
        return text
    if text.startswith("查明") and not text.startswith("查明的"):
        rest = text.removeprefix("查明").lstrip("，,：: ")
        return f"经查明，{rest}"
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


def form_action(name: str, forms: Sequence[str], kind: str | None, other: str) -> str:
    """The operative words: 「给予王喆通报批评、记过处分，并责令其作出书面检查」."""
    give: list[str] = []
    order: list[str] = []
    other_ways: list[str] = []
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
            # 「给予」 takes a sanction or a criticism, not 调离执法岗位: another way is stated
            # as what it is (「责令…」 joins the orders; anything else 「对其作出…的处理」).
            text = other.strip().rstrip("。")
            if text.startswith("责令") and len(text) > 2:
                order.append(text[2:])
            elif text:
                other_ways.append(text.removesuffix("的处理").removesuffix("处理"))
            else:
                other_ways.append("其他方式")
    parts = []
    if give:
        parts.append(f"给予{name}" + "、".join(give))
    if order:
        parts.append(f"责令{'其' if parts else name}" + "、".join(order))
    if other_ways:
        parts.append(f"对{'其' if parts else name}作出" + "、".join(other_ways) + "的处理")
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
        refs = clearing_refs(d.outcome, case.subject(d.subject_id))
    return cit.normalise(refs + _free_refs(d.basis))


def clearing_refs(outcome: str, sub) -> list[Ref]:  # type: ignore[no-untyped-def]
    """The basis of clearing ``sub`` (不予问责, 免予问责: app.domain.clearing), not 第九条
    alone — which says who decides, not why he is cleared."""
    return [Ref(inst, art) for inst, art in clearing_basis(outcome, _is_person(sub))]


def _period_text(d, effective: date | None = None, original=None, you: str = "你") -> str:  # type: ignore[no-untyped-def]
    """Effective date and, for a sanction, its period with the end date.

    For a decision changed on review, ``original`` is the decision it replaces: when the
    stored end date shows the period counted from the original's effective date (the
    sanction was in force during the review), the text says so. ``you``: how the document
    names the person (a 复核决定书 says 「申请人」).
    """
    eff_day = effective or d.effective_on
    eff = format_cn_date(eff_day)
    if not d.sanction_kind:
        return f"本决定自{eff}起生效。"
    months = sanction_period_months(d.sanction_kind)
    if months is None:
        # 开除 has no period: 公务员法第六十四条 lists the periods of the other five and says
        # nothing of it, so it is not cited for 开除; what 开除 does is 处分条例第九条's.
        return (
            f"本决定自{eff}起生效。依照{cit.phrase([Ref(SANCTION_REG, 9)])}的规定，"
            f"自本决定生效之日起，解除{you}与单位的人事关系，不得再担任公务员职务。"
        )
    start, note = eff_day, ""
    end = d.sanction_end or sanction_period_end(d.sanction_kind, eff_day)
    if original is not None and end != sanction_period_end(d.sanction_kind, eff_day):
        if end == sanction_period_end(d.sanction_kind, original.effective_on):
            start, note = original.effective_on, "（自原问责决定生效之日起计算）"
        else:
            end = sanction_period_end(d.sanction_kind, eff_day)
    text = (
        f"本决定自{eff}起生效。依照{cit.phrase([Ref(CSL, 64), Ref(SANCTION_REG, 7)])}的规定，"
        f"{d.sanction_kind}处分的处分期间为{months}个月{note}"
    )
    prior = getattr(d, "prior_run", None)  # a decision described without one: none
    if prior is not None:
        text += "。" + _run_sentence(prior, you, start)
    else:
        text += f"，自{format_cn_date(start)}起至{format_cn_date(end)}止。"
    return text + sanction_effect(d.sanction_kind)


#: How many of a run's decisions the sentence names (the latest; more are counted).
MOST_CITED = 3


def _run_sentence(prior, you: str, start: date) -> str:  # type: ignore[no-untyped-def]
    """处分条例第十条: sanctioned within the period of others (``release.PriorRun``), the
    period is what was left of theirs plus the new one — the end the decision states, the
    one the system counts (处分期满, 解除处分). A sanction in a case hidden from the drafter
    (第十二条) is not described."""
    seen = [x for x in prior.run if not x.hidden]
    kinds = "、".join(dict.fromkeys(x.sanction_kind for x in seen)) or "其他"
    cited = [x.doc_number for x in seen if x.doc_number]
    numbers = "、".join(cited[-MOST_CITED:])  # the latest; a long run is counted, not listed
    if len(cited) > MOST_CITED:
        numbers += f"等{len(cited)}份决定"
    said = f"{numbers}，" if numbers else ""
    cap = "，最长不得超过48个月" if prior.capped else ""
    return (
        f"鉴于{you}在受{kinds}处分期间（{said}处分期至{format_cn_date(prior.before)}止）"
        f"受到本处分，依照{cit.phrase([Ref(SANCTION_REG, 10)])}的规定，"
        f"处分期为原处分期尚未执行的期限与本处分期间之和{cap}，"
        f"自{format_cn_date(start)}起至{format_cn_date(prior.end)}止。"
    )


def sanction_effect(kind: str) -> str:
    """What the period means (公务员法第六十四条): no promotion during it; from 记过 up, no
    rise in salary grade either; 撤职 also lowers the 级别."""
    text = "处分期间不得晋升职务、职级和级别"
    if kind in ("记过", "记大过", "降级", "撤职"):
        text += "，不得晋升工资档次"
    if kind == "撤职":
        text += "，并按照规定降低级别"
    return text + "。"


#: 公务员法第九十五条 lists what a civil servant may appeal (申诉): a 处分, 辞退, 降职, 不称职,
#: 免职 and a few other personnel acts — never a 书面检查 or a 通报批评, nor a 责令辞职 (its
#: 第八十七条 order to resign a leading post is no act the list names).
_NOT_APPEALABLE = frozenset(
    {
        AccountabilityForm.WRITTEN_SELF_CRITICISM,
        AccountabilityForm.CIRCULATED_CRITICISM,
        AccountabilityForm.ORDERED_RESIGNATION,
    }
)


#: Measures an officer may type as 其他方式 that 第九十五条 does not list either: its 第五十七条
#: names 谈话提醒、批评教育、诫勉 apart from 组织调整 and 处分 (and 公开道歉 is no personnel act);
#: a transfer off a post (调离执法岗位) is none of 第九十五条's acts (免职 and 降职 are).
_NOT_APPEALABLE_OTHER = re.compile(
    r"诫勉谈话|诫勉|谈话提醒|提醒谈话|批评教育|责令公开道歉"
    r"|调离[^、，,。；;和及并]{0,8}?岗位|调整[^、，,。；;和及并]{0,6}?岗位|调离|调岗"
)
_NOT_A_MEASURE = re.compile(r"[、，,。；;和及并\s]|对其|作出|予以|给予|的处理|处理")


def _other_appealable(text: str) -> bool:
    """An 其他方式 may be appealed unless every measure its text names is one 第九十五条 does
    not list: a text naming none, or anything else (免职, 降职), keeps the appeal told."""
    rest = _NOT_APPEALABLE_OTHER.sub("", text)
    return not text.strip() or bool(_NOT_A_MEASURE.sub("", rest))


def appealable(forms: Sequence[str], kind: str | None, other: str = "") -> bool:
    """Whether a person may appeal (公务员法第九十五条) what these forms impose; ``other``
    is the text of the 其他方式 (诫勉 and 调离 are not appealable, 免职 is)."""
    if kind:
        return True
    for f in forms:
        form = AccountabilityForm(f)
        if form is AccountabilityForm.OTHER:
            if _other_appealable(other):
                return True
        elif form not in _NOT_APPEALABLE:
            return True
    return False


def not_suspended(what: str, during: str = "复核、申诉") -> str:
    """「复核、申诉期间不停止人事处理的执行」 is 公务员法第九十六条第二款, for the 人事处理 its
    第九十五条 lists: said with that basis, and only where an appeal lies (no law says it of a
    通报批评 or a 调离)."""
    return f"依照{cit.cite(CSL)}第九十六条第二款的规定，{during}期间，不停止{what}的执行。"


def rights_notice(sub, bureau: str, what: str = "本决定", appeal: bool = True) -> str:  # type: ignore[no-untyped-def]
    """Art. 14 review for every subject; the civil servant's appeal (公务员法第九十五条) for
    persons, where what is decided is one the law lets them appeal (``appeal``)."""
    you = "如" if _is_person(sub) else f"{_you(sub)}如"
    if not _is_person(sub) or not appeal:
        return (
            f"{you}对{what}不服，可以自收到{what}书之日起30日内，依照{reg()}第十四条的规定，"
            f"向{bureau}申请复核。"
        )
    return (
        f"{you}对{what}不服，可以自收到{what}书之日起30日内，"
        f"依照{cit.phrase([Ref(REGULATION, 14), Ref(CSL, 95)])}的规定，向{bureau}申请复核；"
        f"对复核决定不服的，可以自接到复核决定之日起15日内，向同级公务员主管部门或者"
        f"{bureau}的上一级机关提出申诉；也可以不经复核，自知道{what}之日起30日内直接提出申诉。"
        + not_suspended(what)
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


def _evidence_sentence(case, on_file: str = "调查报告及相关材料") -> str:  # type: ignore[no-untyped-def]
    """The evidence of the facts; with none registered, ``on_file`` (the 调查报告 itself
    says 「相关材料」: it is not its own evidence)."""
    titles = [f"{e.title}" for e in case.evidence if e.title]
    if not titles:
        return f"上述事实有{on_file}在卷佐证。"
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


def declined(case) -> bool:  # type: ignore[no-untyped-def]
    """The Party group declined to open the case (第九条): no investigation, no accountability."""
    init = _meeting(case, "启动问责")
    return init is not None and (init.outcome or "").strip() == MeetingOutcome.NOT_START


def _decision(case, decision_id: int):  # type: ignore[no-untyped-def]
    for d in case.decisions:
        if d.id == decision_id:
            return d
    raise ContentError(f"案件中没有编号为{decision_id}的处理决定")


_NO_OBJECTION = {"无异议", "无", "对事实无异议", "没有异议", "无意见"}


def _statement_sentence(st, you: str, heavier: bool = True) -> str:  # type: ignore[no-untyped-def]
    """What the subject said in his defence; ``heavier``: the decision imposes something, so
    it says it is not made heavier for the defence (a decision that clears him cannot be)."""
    if st.kind == "放弃陈述申辩":
        # A statement of what the subject did, dated — never 「你放弃…的权利」, which reads
        # as the bureau telling him to waive it (第十三条: the decision states his rights).
        return f"{you}于{format_cn_date(st.made_on)}表示放弃陈述和申辩的权利。"
    said = st.content.strip().rstrip("。")
    if said in _NO_OBJECTION:
        return f"{you}在陈述申辩中对上述事实无异议。"
    return f"{you}在陈述申辩中提出：{said}。对{you}提出的事实和理由，本局已进行审查，" + (
        "并在作出决定时予以考虑；不因陈述申辩而加重处理。"
        if heavier
        else "并在作出决定时予以考虑。"
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
    "不予问责决定书",
    "免予问责决定书",
    "问责决定书",
    "复核决定书",
    "回避决定书",
    "问责案件的",
    "调查报告",
    "送达回证",
    "启动问责审批表",
    "问责案件卷宗",
    "解除处分通知书",
)


def on_the_case(case) -> Callable[[str, date], list]:  # type: ignore[no-untyped-def]
    """Who of a role was on the case on a day (第十二条), each person once: taken up on or
    before it (his declaration), and not recused by then — a member recused later still made
    the acts before his recusal; one who joined later made none of them. The 调查报告 and the
    卷宗's 案件办理记录 name the team of the act's own day, whenever they are printed."""
    granted = [r for r in case.recusals if r.verdict == RecusalVerdict.GRANTED]

    def left(member) -> date | None:  # type: ignore[no-untyped-def]
        if member.status == MemberStatus.ACTIVE:
            return None
        since = member.declared_on or date.min
        days = [r.decided_on for r in granted if r.person_id == member.person_id]
        return min((d for d in days if d >= since), default=since)

    spans = [(i, i.declared_on or date.min, left(i)) for i in case.investigators]

    def members(role: str, on: date) -> list:  # type: ignore[no-untyped-def]
        on_it = (m for m, start, end in spans if m.role == role and start <= on < (end or date.max))
        return list({m.person_id: m for m in on_it}.values())

    return members
