"""问责决定书, 送达回证 (of a 问责决定书 or a 复核决定书) and 复核决定书."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from app.documents import citations as cit
from app.documents.citations import CSL, REGULATION, SANCTION_REG, Ref
from app.documents.compose.content import (
    ContentError,
    Letterhead,
    content,
    h1,
    imprint,
    p,
    sig,
    table,
)
from app.documents.compose.wording import (
    TITLE_WORDS,
    _addressee,
    _decision,
    _drop_said,
    _evidence_sentence,
    _facts,
    _grounds_text,
    _is_person,
    _item_for,
    _meeting,
    _period_text,
    _statement_sentence,
    _subject_line,
    _with_subject,
    _you,
    appealable,
    clearing_refs,
    consequence_clauses,
    decision_refs,
    form_action,
    form_phrase,
    form_refs,
    not_suspended,
    reg,
    rights_notice,
    title_breaks,
)
from app.documents.text import format_cn_date, format_cn_datetime
from app.domain.deadlines import appeal_deadline
from app.domain.enums import (
    DecisionOutcome,
    DocumentKind,
    ResponsibilityType,
    ReviewOutcome,
    ServiceMethod,
)
from app.domain.holidays import HolidayCalendar
from app.domain.issuing import decision_document_name, subject_title
from app.domain.rules import SanctionSpec
from app.domain.severity import not_heavier
from app.domain.signing import signer

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
        p(_subject_line(sub, d.outcome)),
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
    # A decision that clears its subject (不予/免予问责) gives the reasons of what it decides:
    # 「处理的理由」, never 「问责的理由」.
    cleared = d.outcome != DecisionOutcome.ACCOUNTABLE
    blocks.append(h1("二、处理的理由" if cleared else "二、问责的理由"))
    grounds = _grounds_text(case)
    reason = ""
    # A leader answers for what happened under him (第四条), not as its doer: the facts narrate
    # another's conduct, so the reasons class 「上述问题」, and 「你对上述问题负…领导责任」 follows.
    led = item is not None and item.responsibility != ResponsibilityType.DIRECT
    conduct = "上述问题" if led else f"{you}的上述行为"
    # 不予问责 finds the conduct calls for no accountability: to class it under 第二条 (the
    # conduct the regulation holds to account) would say the opposite of the decision.
    if case.behaviour_type and d.outcome != DecisionOutcome.NOT_ACCOUNTABLE:
        reason += f"{conduct}属于{reg()}第二条规定的{case.behaviour_type}职责"
        reason += f"（{case.behaviour_subtype}）的情形" if case.behaviour_subtype else "的情形"
        # The fault is the doer's: a unit has no 主观 of its own, and a leader answers for
        # another's conduct (第四条) — 「你单位…主观上存在故意」 read as the unit's intent.
        if case.fault and not led and _is_person(sub):
            reason += f"，主观上存在{case.fault}"
        if case.consequences:
            reason += "，" + consequence_clauses(case.consequences)
        # (免予问责 too: conduct that calls for accountability, exempted for the reasons below)
        if grounds:
            reason += f"，符合该办法{grounds}规定的应当问责的情形。"
        else:
            reason += "。" if cleared else "，应当依法问责。"
    elif not cleared:
        reason += (
            f"{conduct}符合{reg()}{grounds}规定的应当问责的情形。"
            if grounds
            else f"{conduct}应当依法问责。"
        )
    if reason:
        blocks.append(p(reason))
    # 不予问责 holds him to no account: the report's finding of responsibility (and the
    # remedial action weighed under 第四条) is not stated as the bureau's (免予问责 keeps it).
    if item is not None and d.outcome != DecisionOutcome.NOT_ACCOUNTABLE:
        resp = f"经认定，{you}对上述问题负{item.responsibility}。"
        if item.mitigation.strip():
            resp += (
                f"{you}{item.mitigation.strip().rstrip('。')}，"
                "依照该办法第四条的规定，本局在处理时予以考虑。"
            )
        blocks.append(p(resp))
    said = _drop_said(d.reasons, item.responsibility if item is not None else "")
    if cleared:  # 「…情节显著轻微，不予问责」: the decision below says 不予问责 once
        said = _drop_said(said, d.outcome.removesuffix("问责"), suffix="问责")
    if said:
        blocks.append(p(_with_subject(said, you, sub.name)))
    st = case.statement_for(sub.id)
    if st is not None:
        blocks.append(p(_statement_sentence(st, you, heavier=not cleared)))
    blocks.append(
        h1("三、处理决定" if d.outcome != DecisionOutcome.ACCOUNTABLE else "三、问责决定")
    )
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
            # 职务犯罪 goes to the 监察机关 (《监察法》), another crime to the 公安、司法机关:
            # 「有关国家机关」 names both, as 《中国共产党纪律处分条例》 does.
            text += "对涉嫌犯罪的问题，依照该办法第十一条第二款的规定，移送有关国家机关依法处理。"
    else:
        text = f"{basis}，{via}决定对{sub.name}{d.outcome}。"
    blocks.append(p(text))
    blocks.append(p(_period_text(d)))
    if d.outcome == DecisionOutcome.ACCOUNTABLE:
        blocks.append(h1("四、权利告知"))
        appeal = appealable(d.forms, d.sanction_kind, d.other_form_text)
        blocks.append(p(rights_notice(sub, letterhead.bureau_name, appeal=appeal)))
    return _bureau_decision(
        DocumentKind.DECISION,
        letterhead,
        sub,
        d.doc_number,
        d.decided_on,
        blocks,
        name=decision_document_name(d.outcome),
        citations=[r.to_json() for r in refs],
    )


def _bureau_decision(  # type: ignore[no-untyped-def]
    kind: DocumentKind,
    letterhead: Letterhead,
    sub,
    number: str,
    decided_on: date,
    blocks: list[dict[str, Any]],
    *,
    name: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """A decision the bureau issues to a subject (问责决定书, 复核决定书): signed and dated by
    the bureau, titled 「<bureau><name>」 (``name``: the kind's, unless the decision's
    outcome names it) with the title broken between those words, and closed by the 版记
    (GB/T 9704 §7.4): copied to the discipline committee and, for a person, to his section or
    squad (Art. 13: served on 有关部门 as well), printed by the bureau's office that day."""
    blocks.append(sig(letterhead.bureau_name, decided_on))
    cc = [letterhead.discipline_body]
    if _is_person(sub) and sub.unit_name and sub.unit_name not in cc:
        cc.append(sub.unit_name)
    blocks.append(imprint(f"{letterhead.bureau_name}办公室", decided_on, cc))
    title = f"{letterhead.bureau_name}{name or kind}"
    return content(
        kind,
        title,
        number,
        blocks,
        recipient=sub.name,
        for_subject=True,
        subject_kind=str(sub.kind),
        **extra,
        **letterhead.mark(),
        title_breaks=title_breaks(title, (letterhead.bureau_name, *TITLE_WORDS)),
    )


# ---- 送达回证 ---------------------------------------------------------------------------------


def recipient_of(sub, sv, head_of: Callable[[int | None], str]) -> str:  # type: ignore[no-untyped-def]
    """Who signed (app.domain.signing.signer). Services store it resolved; a record kept
    before they did (「本人」, the unit's name) is resolved against today's head."""
    return signer(sub.kind, sub.name, sub.unit_id, sv.recipient, head_of)


#: What stands in the recipient's signature box before the signature line (直接送达: nothing).
RECEIPT_NOTES = {
    ServiceMethod.LEFT_AT_PREMISES: "拒绝签收",
    ServiceMethod.POST: "以邮件签收回执为准（回执附后）",
    ServiceMethod.ENTRUSTED: "由受托单位转交，以受送达人签收为准",
}


def _entrusted(sv: Any) -> str:
    """委托送达's row: the unit entrusted and who served on its behalf (a service recorded
    before the unit was, leaves it blank to be written in by hand)."""
    unit = sv.entrusted_unit.strip()
    servers = "、".join(sv.servers)
    return f"{unit}\n代为送达人：{servers}" if servers else unit


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
    served = (decision_document_name(d.outcome), d.doc_number)
    return _proof_sheet(DocumentKind.SERVICE_PROOF, letterhead, case.subject(d.subject_id), sv,
                        head_of, served, d.outcome)  # fmt: skip


def review_service_proof(
    case,  # type: ignore[no-untyped-def]
    letterhead: Letterhead,
    review_id: int,
    head_of: Callable[[int | None], str],
    service: Any,
) -> dict[str, Any]:
    """送达回证 of a 复核决定书 (Art. 14, served in writing as Art. 13 requires): the same
    sheet, for the review decision's own service (``service``), signed by the applicant."""
    rd, _app, old = _review_of(case, review_id)
    if service is None:
        raise ContentError("该复核决定书尚未登记送达，不能制作送达回证（第十三条、第十四条）")
    sub = case.subject(old.subject_id)
    # What the subject stands as once the review decision is served: cleared by a 撤销
    # (「对…不予问责」), else under the decision kept or the one it was changed to.
    new = _decision(case, rd.new_decision_id) if rd.new_decision_id else None
    if rd.outcome == ReviewOutcome.REVOKE:
        outcome = str(DecisionOutcome.NOT_ACCOUNTABLE)
    else:
        outcome = new.outcome if new is not None else old.outcome
    return _proof_sheet(DocumentKind.REVIEW_SERVICE_PROOF, letterhead, sub, service, head_of,
                        (str(DocumentKind.REVIEW_DECISION), rd.doc_number), outcome)  # fmt: skip


def _proof_sheet(  # type: ignore[no-untyped-def]
    kind: DocumentKind,
    letterhead: Letterhead,
    sub,
    sv: Any,
    head_of: Callable[[int | None], str],
    served: tuple[str, str],
    outcome: str,
) -> dict[str, Any]:
    """The 送达回证 sheet of the document ``served`` (its name and number) served by ``sv``;
    ``outcome`` is what the served document decides (被问责对象, or 问责对象 when it clears)."""
    left = sv.method == ServiceMethod.LEFT_AT_PREMISES
    recipient = recipient_of(sub, sv, head_of)
    sign = "（签名或盖章）　　　　年　　月　　日"

    def label(text: str) -> tuple[str, str]:
        return (text, "fit")

    rows: list[Sequence[str | tuple[str, str]]] = [
        (label("送达文书"), served[0], label("文号"), (served[1], "fit")),
        (label("发文机关"), letterhead.bureau_name),
        (label(subject_title(outcome)), f"{sub.name}（{sub.kind}）"),
        (label("受送达人"), recipient),
        (label("送达时间"), format_cn_datetime(sv.served_at)),
        (label("送达地点"), sv.place),
        (label("送达方式"), sv.method),
    ]
    if sv.method == ServiceMethod.ENTRUSTED:
        rows.append((label("受托单位"), _entrusted(sv)))
    rows += [
        (label("受送达人签收"), RECEIPT_NOTES.get(sv.method, "") + "\n" + sign),
        (label("送达人"), "、".join(sv.servers) + "\n" + sign),
    ]
    if left:
        rows.append((label("见证人"), (sv.witness or "") + "\n" + sign))
        rows.append((label("拒收事由"), sv.refusal_reason or "受送达人拒绝签收"))
    rows.append((label("备注"), sv.note or ""))
    signed = next(n for n, r in enumerate(rows) if r[0] == label("受送达人签收"))
    heights = {signed: 20, signed + 1: 20}  # the signature boxes
    if left:
        heights[signed + 2] = 20
    blocks = [
        table(rows, widths=(34, 44, 20, 58), min_heights=heights, one_page=True),
    ]
    return content(
        kind,
        "送达回证",
        "",
        blocks,
        recipient=recipient,
        whose=sub.name,
        for_subject=True,
        served_document=served[1],
    )


# ---- 复核决定书 -------------------------------------------------------------------------------


def split_request(text: str) -> tuple[str, str]:
    """An application's grounds as (request, reasons): 「认为处分过重，请求从轻」 → (从轻, 认为处分过重);
    a request alone (「要求从轻处理」) has no reasons: (从轻处理, "")."""
    text = text.strip().rstrip("。")
    for key in ("请求", "要求", "申请"):
        if text.startswith(key) and text[len(key) :].lstrip("：:，, "):
            return text[len(key) :].lstrip("：:，, "), ""
    for key in ("请求", "要求", "申请"):
        at = text.rfind(key)
        if at > 0:
            reasons = text[:at].rstrip("，,；; ")
            request = text[at + len(key) :].lstrip("：:，, ")
            if request and reasons:
                return request, reasons
    return "", text


def _sanction(d) -> SanctionSpec:  # type: ignore[no-untyped-def]
    """A decision view's treatment, as the rules compare it."""
    return SanctionSpec.of(
        d.outcome, d.forms, d.sanction_kind, d.other_form_text, d.transfer_to_judicial
    )


def _review_of(case, review_id: int):  # type: ignore[no-untyped-def]
    """The review decision, the application it decides and the decision reviewed."""
    rd = next((r for r in case.review_decisions if r.id == review_id), None)
    if rd is None:
        raise ContentError("案件中没有该复核决定")
    app = next(a for a in case.review_applications if a.id == rd.application_id)
    return rd, app, _decision(case, app.decision_id)


def _appeal_until(due: Any) -> str:
    """The last day to appeal as the reader can rely on it: a day already moved past a 法定
    休假日 says so (never 「至5月25日，遇法定节假日顺延」, which reads as if it moved again);
    「遇法定节假日顺延」 only where the holiday schedule of that year is not known."""
    last, nominal = due.last_day, due.nominal_day or due.last_day
    if last != nominal:
        return (
            f"申诉期限至{format_cn_date(nominal)}，因该日为法定休假日，顺延至{format_cn_date(last)}"
        )
    if due.warnings:
        return f"申诉期限至{format_cn_date(last)}，遇法定节假日顺延"
    return f"申诉期限至{format_cn_date(last)}"


#: how reviewers open a finding on the decision reviewed (「处理偏重」「定性不准」): its subject
#: is the 原问责决定, never the applicant (「申请人处理偏重」 says he handled something)
_OF_THE_DECISION = ("处理", "处分", "定性", "适用", "认定", "程序", "量纪", "问责")


def _review_reasons(text: str) -> str:
    """The reviewers' reasons as the sentence after 「本局认为，」 (no final 。)."""
    text = text.strip()
    if text.startswith(_OF_THE_DECISION):
        return f"原问责决定{text}".rstrip("。；;，,. ")
    return _with_subject(text, "申请人").rstrip("。")


def _restored(kind: str, *, revoked: bool) -> str:
    """What 处分条例第五十一条 gives back when a 处分 is changed (its 职务、级别、工资档次
    adjusted) or revoked (级别、工资档次 restored, a post as the former one, the name cleared;
    a 降级 or 撤职 is what took the grade and the post)."""
    basis = f"依照{cit.phrase([Ref(SANCTION_REG, 51)])}的规定"
    if not revoked:
        return f"因原处分被变更需要调整申请人职务、级别或者工资档次的，{basis}予以调整。"
    basis += "，"
    if kind in ("降级", "撤职"):
        return (
            f"{basis}恢复申请人的级别、工资档次，按照原职务安排相应的职务，"
            "并在适当范围内为其恢复名誉。"
        )
    return f"{basis}在适当范围内为申请人恢复名誉。"


def _applied(app: Any) -> str:
    """How the application came: under 第十四条 (within its 30 days of receipt), or after
    them and accepted for the reason the bureau recorded — never 「依照第十四条的规定申请复核」
    over a date the article does not allow."""
    if not getattr(app, "late", False):
        return f"依照{reg()}第十四条的规定申请复核。本局依法受理，"
    why = app.late_reason.strip().rstrip("。；;，, ")
    return f"申请复核，已超过{reg()}第十四条规定的自收到处理决定之日起30日的期限" + (
        f"；因{why.removeprefix('因')}，本局予以受理，" if why else "，本局予以受理，"
    )


def review_decision(  # type: ignore[no-untyped-def]
    case, letterhead: Letterhead, review_id: int, calendar: HolidayCalendar | None = None
) -> dict[str, Any]:
    """复核决定书 (Art. 14): request, reasons, facts, 维持/变更/撤销, effect and appeal route.

    ``calendar``: the bureau's holiday calendar (MasterDataService.calendar: the package's
    schedules and the administrator's table), so the printed appeal deadline is the one the
    case's deadlines are counted on; without it, the package's schedules alone."""
    rd, app, old = _review_of(case, review_id)
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
            f"于{format_cn_date(app.received_on)}{_applied(app)}"
            "由原调查人员以外的工作人员进行了复核，现已复核终结。"
        ),
        h1("一、复核请求及理由"),
    ]
    request, reasons_of_app = split_request(app.grounds)
    if not request or request == "复核":
        request = f"撤销或者变更{old.doc_number}问责决定"
    elif request in ("撤销", "变更"):
        request = f"{request}{old.doc_number}问责决定"
    elif request in ("从轻", "减轻"):
        request = f"{request}处理"
    blocks.append(p(f"申请人请求：{request.rstrip('。')}。"))
    said = reasons_of_app.rstrip("。")
    if said:  # a request with no reasons given is not printed as its own reason
        blocks.append(
            p(f"申请人{said}。" if said.startswith("认为") else f"申请人提出的理由：{said}。")
        )
    blocks += [
        h1("二、复核查明的事实"),
        p(_facts(rd.facts) or "复核查明的事实与原问责决定认定的事实一致。"),
        h1("三、复核决定"),
    ]
    outcome = ReviewOutcome(rd.outcome)
    reasons = _review_reasons(rd.reasons)
    new = _decision(case, rd.new_decision_id) if rd.new_decision_id else None
    if outcome is ReviewOutcome.UPHOLD:
        # The reviewers' own reasons: a fixed verdict before them would assert findings (程序合法,
        # 处理适当) the review may not have made, and repeat those it did.
        text = f"本局认为，{reasons}。依照{reg()}第十四条的规定，决定维持{old.doc_number}问责决定。"
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
        if new is not None and new.outcome != DecisionOutcome.ACCOUNTABLE:  # changed to 免予问责
            action, refs = f"对{sub.name}{new.outcome}", clearing_refs(new.outcome, sub)
        basis = cit.phrase([Ref(REGULATION, 14), *refs])
        verdict = "" if ("纠正" in reasons or "变更" in reasons) else "，原问责决定的处理应予纠正"
        if verdict and reasons.startswith("原问责决定"):  # 「原问责决定处理偏重，应予纠正」
            verdict = "，应予纠正"
        # Said only where the rule of 第十四条 established it (rules.not_heavier), not of
        # every change: a record made before that rule, or corrected since, may not hold it.
        lighter = new is not None and not_heavier(_sanction(new), _sanction(old))
        text = (
            f"本局认为，{reasons}{verdict}。依照{basis}的规定，"
            f"决定变更{old.doc_number}问责决定，改为{action}。"
            + ("变更后的处理不重于原处理，不因申请复核而加重。" if lighter else "")
        )
        effect = f"本复核决定自{made}起生效，原{old.doc_number}问责决定同时由本决定取代，不再执行。"
        if new is not None and new.sanction_kind:
            period = _period_text(new, rd.decided_on, old, "申请人").split("。", 1)[1]
            effect += period.replace(
                f"{new.sanction_kind}处分", f"变更后的{new.sanction_kind}处分", 1
            )
        elif old.sanction_kind:
            effect += f"原{old.sanction_kind}处分及其处分期间自本决定生效之日起终止。"
        if old.sanction_kind and (new is None or new.sanction_kind != old.sanction_kind):
            effect += _restored(old.sanction_kind, revoked=False)
    else:
        undone = form_phrase(old.forms, old.sanction_kind, old.other_form_text)
        verdict = "" if "撤销" in reasons else "，原问责决定应予撤销"
        if verdict and reasons.startswith("原问责决定"):
            verdict = "，应予撤销"
        text = (
            f"本局认为，{reasons}{verdict}。依照{reg()}第十四条的规定，"
            f"决定撤销{old.doc_number}问责决定，对{sub.name}不予问责。"
        )
        # 「对…作出的记过处分」 names a sanction given; an order (责令作出书面检查, 责令辞职) or
        # another way is named as the decision worded it: never 「作出的责令作出书面检查」
        what = f"对{sub.name}作出的{undone or '处理'}"
        if undone and not all(w.endswith(("处分", "通报批评")) for w in undone.split("、")):
            action = form_action(sub.name, old.forms, old.sanction_kind, old.other_form_text)
            # 「对其作出调离执法岗位的处理」 already names the 处理: never 「…的处理的处理」
            what = action if action.endswith("的处理") else f"{action}的处理"
        effect = (
            f"本复核决定自{made}起生效。原问责决定{what}一并撤销"
            + ("，处分期间随之终止" if old.sanction_kind else "")
            + "，有关材料不作为对申请人不利处理的依据。"
        )
        if old.sanction_kind:
            effect += _restored(old.sanction_kind, revoked=True)
    blocks.append(p(text))
    blocks.append(p(effect))
    # 公务员法第九十五条: an appeal lies against what the review leaves in force — nothing
    # after a 撤销 (the applicant is cleared), nothing for a criticism alone.
    kept = None if outcome is ReviewOutcome.REVOKE else (new or old)
    if (
        person
        and kept is not None
        and appealable(kept.forms, kept.sanction_kind, kept.other_form_text)
    ):
        blocks.append(h1("四、申诉权利"))
        due = appeal_deadline(rd.decided_on, calendar)
        blocks.append(
            p(
                f"申请人对本复核决定不服的，可以依照{cit.phrase([Ref(CSL, 95)])}的规定，"
                f"自接到本复核决定之日起15日内，向同级公务员主管部门或者{letterhead.bureau_name}"
                f"的上一级机关提出申诉（于本决定作出当日接到的，{_appeal_until(due)}）。"
                + not_suspended("本复核决定", "申诉")
            )
        )
    return _bureau_decision(
        DocumentKind.REVIEW_DECISION, letterhead, sub, rd.doc_number, rd.decided_on, blocks
    )
