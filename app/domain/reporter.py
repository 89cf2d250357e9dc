"""The reporter blob a lead holds is the one its audit trail names (第十条).

The blob is sealed under the data key and bound to its lead, but whoever holds the file can
still clear it (the lead then looks anonymous and the identity is lost) or put back an older
blob of the same lead (it opens, and shows a reporter the lead no longer names). Neither
needs a key. Every act that writes a lead's reporter therefore records the SHA-256 of the
blob it left (a digest of ciphertext under a random nonce says nothing about the reporter),
and the blob stored must be the one the last such record names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from app.domain.enums import LeadSource
from app.domain.issuing import flat_text, names_flat, names_reporter, reporter_terms
from app.domain.rules import RuleViolation, violation

#: The audit payload key of the digest.
DIGEST_KEY = "reporter_sha256"

#: What is shown instead of a reporter whose blob the trail does not back.
TRAIL_MISMATCH = "依据第十条，该线索的举报人信息与审计记录不符（数据文件可能被改动），不能显示。"


def reporter_digest(blob: bytes | None) -> str:
    """The digest recorded for a lead's blob ("" for no reporter on file)."""
    return hashlib.sha256(blob).hexdigest() if blob else ""


def reporter_trail_matches(blob: bytes | None, audited: str | None) -> bool:
    """Whether the stored blob is the one the last record naming a digest left; a lead no
    such record names (written by an earlier version) is not compared."""
    return audited is None or reporter_digest(blob) == audited


def is_anonymous(source: LeadSource | str, has_reporter: bool, asked: bool = False) -> bool:
    """匿名: a 举报 whose reporter withheld his name (none on file), or one who asked to be
    recorded as anonymous. A 报告 (第六条: a unit or person reporting on a matter) is never
    anonymous: without a reporter on file it names none, and no one withheld a name."""
    if LeadSource(source) is not LeadSource.ACCUSATION:
        return False
    return asked or not has_reporter


#: An address shorter than this (「城区」, the subject's own district) identifies no one: only
#: a longer one (「幸福小区3号楼501室」) is kept out of a text as the reporter's (第十条).
ADDRESS_MIN = 6


#: What a clerk types as the name of a reporter who gave none: it identifies no one, and
#: every text may say 「群众反映」.
PLACEHOLDER_NAMES = frozenset(
    {"群众", "匿名", "市民", "居民", "村民", "网民", "不详", "未知", "无"}
)


def identity_terms(name: str, phone: str, id_number: str, address: str) -> list[str]:
    """第十条: what of a reporter's identity a text for the subject or an export must not
    carry — his name (not a placeholder), telephone, ID number and a specific address (spaces
    not counting). His workplace is not among them: it is often the subject's own unit, which
    those texts name."""
    place = "".join(address.split())
    who = "" if "".join(name.split()) in PLACEHOLDER_NAMES else name
    return [who, phone, id_number] + ([place] if len(place) >= ADDRESS_MIN else [])


def content_problems(content: str, identities: Iterable[str]) -> list[RuleViolation]:
    """第十条: a lead's 内容 is listed to every user, while its reporter is sealed for the few
    who may see him: the content carries none of his ``identities``. The refusal names
    nothing of the reporter."""
    if not names_reporter(content, identities):
        return []
    return [
        violation(
            "第十条",
            "线索内容对所有用户可见，不得载明检举、举报人的身份信息（姓名、电话、身份证号、"
            "住址）：请从内容中删去，举报人信息只填入加密保存的举报人栏",
            "content",
        )
    ]


#: The free-text fields of a lead and its dispositions every user reads, as a refusal names
#: them (the lead's 内容 has its own refusal, :func:`content_problems`).
DISPOSITION_FIELDS = {
    "reason": "处置理由",
    "report_text": "初核报告或谈话函询情况",
    "void_reason": "作废理由",
    "correction_reason": "更正理由",  # 更正处置意见, 更正初核报告或谈话函询情况
    # Listed with the lead to every user as well (a letter's sender typed as the basis).
    "approver": "审批人",
    "approval_ref": "审批依据",
}


def disposition_problems(
    texts: Mapping[str, str], identities: Iterable[str]
) -> list[RuleViolation]:
    """第十条: a lead's 处置理由 and 初核报告 are listed with the lead to every user, as its
    内容 is (:func:`content_problems`): they carry none of its reporter's ``identities``. The
    refusal names nothing of the reporter."""
    terms = list(identities)
    return [
        violation(
            "第十条",
            f"线索的{DISPOSITION_FIELDS.get(field, field)}对所有用户可见，不得载明检举、举报人的"
            "身份信息（姓名、电话、身份证号、住址）：请删去，举报人信息只在加密保存的举报人栏",
            field,
        )
        for field, text in texts.items()
        if names_reporter(text, terms)
    ]


#: The case's own words every user who may see the case reads — the case list's tooltip, its
#: detail, the search, the 案件办理记录 — as a refusal names them (第十条); the report's and the
#: decisions' facts are searched with them (case_store.search_text).
CASE_FIELDS = {
    "summary": "问题摘要",
    "proposer_name": "提出人",
    "findings": "调查报告认定的事实",
    "facts": "处理决定认定的事实",
    # Listed in the case's detail and 案件办理记录, and stated by the 调查报告 and the
    # 问责决定书 the subject is served (「证据有：…」, 「在陈述申辩中提出：…」).
    "evidence": "证据名称、说明或附件文件名",
    "statement": "陈述申辩内容",
    "conduct": "配合调查情况",
    "report": "调查报告的调查经过或被调查对象的态度",
    # and by the 复核决定书 (「申请人称…」, 「经复核查明…」)
    "review_application": "复核请求及理由",
    "review_decision": "复核决定认定的事实或理由",
    # Stated by the papers the subject receives as well: the 送达回证, the 调查报告 and 问责决定书
    # (「…，可以在处理时予以考虑」, 「调查期限延长至…（理由）」), the 回避决定书.
    "service": "送达记录的受送达人、见证人、送达地点、拒收事由或备注",
    "mitigation": "调查报告的从轻减轻情节",
    "extension": "延长调查期限的理由",
    "recusal": "回避决定的回避理由",
    "release": "解除处分记录的受处分期间表现或备注",
}
#: Why a lead is not linked to a case whose uncorrectable record names its reporter.
NOT_CORRECTABLE = "该记录登记后不能更正，此线索不能关联到该案件"
#: Where the words of a case a lead is being linked to are put right, by field.
CASE_FIX = {
    "findings": "请先更正该案件的调查报告",
    "facts": "请先更正该案件的处理决定",
    "evidence": "请先更正该案件的证据记录",
    "statement": "请先更正该案件的陈述申辩记录",
    "conduct": "请先更正该案件的配合调查情况记录",
    "report": "请先更正该案件的调查报告",
    "review_application": "请先更正该案件的复核申请记录",
    "review_decision": "请先更正该案件的复核决定",
    "service": "请先更正该案件的送达记录",
    "release": "请先更正该案件的解除处分记录",
    # Records no correction reaches: the lead is not linked to that case.
    "mitigation": NOT_CORRECTABLE,
    "extension": NOT_CORRECTABLE,
    "recusal": NOT_CORRECTABLE,
}

#: The case's records whose words its papers state, by their audit entity (a report's items:
#: report_item): the field their refusal names (:data:`CASE_FIELDS`) and the columns read
#: (第十条).
RECORD_TEXTS = {
    "evidence": ("evidence", ("title", "description", "attachment_name")),
    "statement": ("statement", ("content",)),
    "conduct": ("conduct", ("description",)),
    "report": ("report", ("course", "attitude")),  # its 认定事实 is searched: 「findings」
    "review_application": ("review_application", ("grounds",)),
    "review_decision": ("review_decision", ("facts", "reasons")),
    "service": ("service", ("recipient", "witness", "place", "refusal_reason", "note")),
    "report_item": ("mitigation", ("mitigation",)),
    "extension": ("extension", ("reason",)),
    "recusal": ("recusal", ("grounds",)),
    "sanction_release": ("release", ("conduct", "note")),  # the 解除处分通知书 states 表现
}


def record_texts(entity: str, values: Mapping[str, object]) -> dict[str, str]:
    """The words of a case's record (``entity``: evidence, statement, conduct, report, a
    report_item, service, extension, recusal, review_application, review_decision; its
    ``values`` by column) the reporter check reads, by the field a refusal names; none for
    another record."""
    if entity not in RECORD_TEXTS:
        return {}
    field, columns = RECORD_TEXTS[entity]
    return {field: "\n".join(str(values.get(c) or "") for c in columns)}


def case_text_problems(
    texts: Mapping[str, str], identities: Iterable[str], *, case_number: str = ""
) -> list[RuleViolation]:
    """第十条: a case's 问题摘要 and 提出人 (``texts``) carry none of the ``identities`` of the
    reporters of its leads, as a lead's 内容 does not (:func:`content_problems`): they are
    listed and searched by every user who may see the case, not only by the few who may see
    the reporter. ``case_number``: the case a lead is being linked to (its words are put
    right by correcting its proposal). The refusal names nothing of the reporter."""
    terms = reporter_terms(identities)  # flattened once, not once a field
    if not terms:
        return []
    where = f"案件{case_number}的" if case_number else "案件的"

    def fix(field: str) -> str:
        if not case_number:
            return "请删去"
        return CASE_FIX.get(field, "请先更正该案件的提出问责记录")

    return [
        violation(
            "第十条",
            f"{where}{CASE_FIELDS.get(field, field)}对可查阅本案的所有用户可见（案件列表、详情和"
            f"查询），不得载明检举、举报人的身份信息（姓名、电话、身份证号、住址）：{fix(field)}，"
            "举报人信息只在加密保存的举报人栏",
            field,
        )
        for field, text in texts.items()
        if names_flat(flat_text(text or ""), terms)
    ]


def searched_text_problems(
    before: str, after: str, identities: Iterable[str]
) -> list[RuleViolation]:
    """第十条: an act on a case whose words (its report's 认定事实, a decision's facts) bring a
    reporter of its leads into what the case search reads (``before`` → ``after``): every user
    who may see the case, not only the few who may see the reporter, would find the case by
    his name or telephone. A term the search read before the act (a subject who shares the
    reporter's name) was brought by nothing this act wrote: not refused. The refusal names
    nothing of the reporter."""
    # each text flattened once, not once a term (names_reporter: the same test)
    found = [(t, reporter_terms([t])) for t in identities]
    found = [(t, flat) for t, flat in found if flat]
    if not found:
        return []
    flat_after, flat_before = flat_text(after), flat_text(before)
    brought = [
        t for t, flat in found if names_flat(flat_after, flat) and not names_flat(flat_before, flat)
    ]
    if not brought:
        return []
    return [
        violation(
            "第十条",
            "本次记录的文字（如调查报告、处理决定认定的事实）进入案件查询，对可查阅本案的所有用户"
            "可见，不得载明检举、举报人的身份信息（姓名、电话、身份证号、住址）：请删去，"
            "举报人信息只在加密保存的举报人栏",
            "facts",
        )
    ]


#: A case's reasons kept in clear with the case and in its audit record, as a refusal names
#: them (第十条): the correction's, the 作废's, the 延长办案期限's.
REASONS = {
    "reason": "更正理由与原记录一并",
    "void_reason": "案件的作废理由",
    "time_limit_reason": "延长办案期限的理由",
    "close_note": "结案说明",
}


def reason_problems(
    reason: str, identities: Iterable[str], field: str = "reason"
) -> list[RuleViolation]:
    """第十条: a case's reason (``field``: :data:`REASONS`) carries none of the ``identities``
    of the reporters of its leads. It is kept with the case and in the audit record, in clear
    in the data file, which reveals no reporter to its holder (see the threat model), and read
    by every user who reviews the case's history — as a lead's 作废理由 is checked. The
    refusal names nothing of the reporter."""
    if not names_reporter(reason or "", identities):
        return []
    return [
        violation(
            "第十条",
            f"{REASONS[field]}留存于审计记录，对可查阅本案的用户可见，不得载明检举、举报人的"
            "身份信息（姓名、电话、身份证号、住址）：请删去，写明事由即可",
            field,
        )
    ]
