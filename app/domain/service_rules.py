"""第十三条 and 第十二条 on a service record (step 6): what it must be handed, what it must state,
and who may sign it — the 受送达人, the 送达人 and a 留置送达's 见证人 are three people, and
neither one who withdrew from the case nor a subject of it serves or witnesses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from app.domain.case import CaseState
from app.domain.enums import SERVICE_METHODS, ServiceMethod, SubjectKind
from app.domain.interest import named_in
from app.domain.rules import RuleViolation, ServiceSpec, blank_fields, unique, violation
from app.domain.text import is_blank, names_person


def service_input_problems(spec: ServiceSpec) -> list[RuleViolation]:
    """What a service record must be handed before any rule can read it (Art. 13: the
    回证 states when, to the minute, and by whom): a date with its time, and the servers
    one by one — a name passed as one text is not one server per character."""
    out: list[RuleViolation] = []
    if not isinstance(spec.served_at, datetime):
        out.append(
            violation("第十三条", "送达时间须写明日期和时刻（如2026年4月3日9时30分）", "served_at")
        )
    servers = spec.servers
    if (
        isinstance(servers, str)
        or not isinstance(servers, Sequence)
        or not all(isinstance(x, str) for x in servers)
    ):
        out.append(
            violation(
                "第十三条", "送达人须逐人列明（每位送达人一项），不能合写为一段文字", "servers"
            )
        )
    return out


def check_service(spec: ServiceSpec, decided_on: date) -> list[RuleViolation]:
    out = service_input_problems(spec)
    if out:
        return out
    if spec.method not in SERVICE_METHODS:
        out.append(violation("第十三条", "须选择送达方式：直接、留置、邮寄或委托送达", "method"))
    if spec.served_at.date() < decided_on:
        out.append(violation("第十三条", "送达时间不能早于处理决定日期", "served_at"))
    out += blank_fields(
        spec, "第十三条", {"place": "须写明送达地点", "recipient": "须写明受送达人"}
    )
    if all(is_blank(s) for s in spec.servers):
        out.append(violation("第十三条", "须写明送达人", "servers"))
    if spec.method == ServiceMethod.LEFT_AT_PREMISES:
        out += blank_fields(
            spec,
            "第十三条",
            {
                "witness": "留置送达须有见证人在场并签名",
                "refusal_reason": "留置送达须写明受送达人拒收的事由",
            },
        )
    out += party_problems(spec)
    if spec.method != ServiceMethod.ENTRUSTED and not is_blank(spec.entrusted_unit):
        out.append(
            violation(
                "第十三条",
                f"受托单位仅用于委托送达；{spec.method}不是由受托单位代为送达，请清空受托单位",
                "entrusted_unit",
            )
        )
    return out


def party_problems(spec: ServiceSpec) -> list[RuleViolation]:
    """第十三条: a 送达回证 proves service by three signatures — the 受送达人's, the 送达人's
    and, for 留置送达, a 见证人's attesting the refusal (参照《中华人民共和国民事诉讼法》第八十九条:
    由送达人、见证人签名). Each is another person: no one serves himself, and the witness is
    neither the one who refused nor one who served."""
    out: list[RuleViolation] = []
    recipient = "".join(spec.recipient.split())
    servers = [x for x in spec.servers if not is_blank(x)]
    if recipient not in ("", "本人") and any(
        names_person(x, recipient) or names_person(recipient, x) for x in servers
    ):
        out.append(
            violation(
                "第十三条", "受送达人不能同时是送达人，送达人是本局送达文书的工作人员", "servers"
            )
        )
    if spec.method == ServiceMethod.LEFT_AT_PREMISES and not is_blank(spec.witness):
        others = servers + ([recipient] if recipient not in ("", "本人") else [])
        if any(names_person(spec.witness, x) for x in others):
            out.append(
                violation(
                    "第十三条",
                    "留置送达的见证人须是送达人和受送达人以外的人（参照《中华人民共和国民事诉讼法》"
                    "第八十九条，如有关基层组织或者所在单位的代表），由其见证受送达人拒收",
                    "witness",
                )
            )
    return out


def recused_servers(state: CaseState, spec: ServiceSpec) -> list[RuleViolation]:
    """第十二条: one who withdrew from the case (不再参与本案的调查、审理和讨论) does not serve
    its decisions, nor sign its 送达回证 as 送达人 — from the day of the 回避决定 on (a service
    made before it stays as it was, and can be corrected); named as any signer is (「纪检干事
    严守法」 is 严守法: :func:`app.domain.interest.named_in`)."""
    served = spec.served_at.date() if isinstance(spec.served_at, datetime) else date.max
    recused = state.recused_names(on=served)
    return unique(
        violation("第十二条", f"{n}已回避本案，不能担任送达人", "servers")
        for said in spec.servers
        if not is_blank(said)
        for n in named_in(said, recused)
    )


def interested_parties(state: CaseState, spec: ServiceSpec) -> list[RuleViolation]:
    """第十二条: a person the case holds accountable has the strongest interest in it; as one
    who withdrew (:func:`recused_servers`), he neither serves its documents as 送达人 nor
    witnesses a 留置送达 of them as 见证人 — his own (「本人」 refused) or another subject's."""
    names = [s.name for s in state.subjects if s.kind is SubjectKind.PERSON and s.name]
    left = spec.method == ServiceMethod.LEFT_AT_PREMISES and not is_blank(spec.witness)
    roles = [("送达人", x) for x in spec.servers if not is_blank(x)]
    roles += [("见证人", spec.witness)] if left else []
    return unique(
        violation(
            "第十二条", f"{name}是本案的问责对象，与本案有利害关系，不能担任{role}", "servers"
        )
        for role, said in roles
        for name in named_in(said, names)
    )


def parties_problems(state: CaseState, spec: ServiceSpec) -> list[RuleViolation]:
    """第十二条 on who signs the 送达回证, against the case: :func:`recused_servers` and
    :func:`interested_parties`."""
    return recused_servers(state, spec) + interested_parties(state, spec)
