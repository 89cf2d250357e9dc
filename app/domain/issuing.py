"""Which documents may be issued (Arts. 13–14, 《公务员法》第六十五条): a document states
a decision still standing, by the instrument the law gives it, and one already served is
not issued again. Asked by the document service under its write lock, before numbering."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from app.domain.case import CaseState
from app.domain.enums import AccountabilityForm, DecisionOutcome, DecisionStatus, DocumentKind
from app.domain.rules import RuleViolation, violation
from app.domain.variants import simplified

#: Documents whose number is taken when they are first issued, in the bureau's series of
#: decisions (机关代字〔年〕N号, 问责决定书 alike), and kept by every later version: a
#: 解除处分通知书 (《公务员法》第六十五条) rests on a release, a 回避决定书 (第十二条) on a
#: recusal, neither of which takes a number of its own; both are served as decisions are.
NUMBERED_AT_ISSUE = frozenset({DocumentKind.RELEASE_NOTICE, DocumentKind.RECUSAL_DECISION})


def stated_decision(case: Any, kind: DocumentKind, ref_id: int | None) -> int | None:
    """The decision whose sanction period a document states (处分条例第十条's run with it): a
    决定书's own, a 复核决定书's new one. ``case``: a CaseState or a CaseDetail (both list
    ``review_decisions`` with their ``new_decision_id``)."""
    if ref_id is None:
        return None
    if kind is DocumentKind.DECISION:
        return ref_id
    if kind is DocumentKind.REVIEW_DECISION:
        rd = next((r for r in case.review_decisions if r.id == ref_id), None)
        return rd.new_decision_id if rd is not None else None
    return None


#: Documents a case has one current version of, whichever version of the record it states:
#: the 调查报告 of a corrected report (a new version of the record) supersedes the one
#: issued on the old version, so the case never holds two current reports (第九条、第十三条).
ONE_PER_CASE = frozenset({DocumentKind.INVESTIGATION_REPORT})

#: An issue whose draft changed under it: another instance committed while it was laid out.
CHANGED_MEANWHILE = (
    "依据第十三条，文书须与案件记录一致：制作本文书期间，案件记录已被其他用户（或另一窗口）更改，"
    "本文书未印发。请重新打开该文书，核对内容后再印发"
)
#: An export whose officer was recused (or made a subject) while it ran.
HIDDEN_MEANWHILE = (
    "依据第十二条，导出期间有案件已不再对您开放（回避），导出已中止："
    "已导出的文件保留在所选文件夹中，其余文书未导出"
)


def voided_meanwhile(numbers: list[str], *, stopped: bool) -> str:
    """An export during which the cases ``numbers`` were voided (作废, by another user or
    window): left out as the export's selection leaves out a case voided before it began."""
    what = "导出已中止" if stopped else "未予导出，其余文书已导出"
    return (
        f"依据第十三条，导出期间案件{'、'.join(numbers)}已作废，其已印发的文书不发生效力、"
        f"不得送达，{what}：本次已写出的该案文书已从所选文件夹中移除，文书仍留存于本系统备查"
    )


#: What a verification says of an issued document whose record was corrected after it was
#: issued and which was not issued again: it states what is no longer on record.
RECORD_CORRECTED = "但所载记录此后已被更正，以更正后重新印发的文书为准"

#: The corrections (by their audit action) of what a 启动问责审批表 states — the proposal
#: (提出日期、提出主体、行为与后果、基本情况) and the initiation meeting (its date, minutes and
#: the period it set, 第九条): one made after the form was issued leaves it stating what is no
#: longer on record until it is issued again (as a corrected service its 送达回证).
PROPOSAL_CORRECTION = "更正提出问责"
INITIATION_CORRECTION = "更正党组会议决定"
FORM_CORRECTIONS = (PROPOSAL_CORRECTION, INITIATION_CORRECTION)

#: What the documents' list adds to a document to be issued again, by what was corrected.
REISSUE_NOTE = {
    DocumentKind.INITIATION_FORM: "（提出问责或党组会议记录已更正，须重新印发）",
    DocumentKind.SERVICE_PROOF: "（送达记录已更正，须重新印发）",
    DocumentKind.REVIEW_SERVICE_PROOF: "（送达记录已更正，须重新印发）",
}


def dossier_problems(outdated: Iterable[str]) -> list[RuleViolation]:
    """第十三条: the 卷宗 files each document as it was issued; one stating a record corrected
    since (``RECORD_CORRECTED``: a 调查报告, a 送达回证, an 审批表) would file what is no
    longer on record, so it is issued again first. ``outdated``: their contents entries."""
    return [
        violation(
            "第十三条",
            f"卷宗收录的{name}所载记录此后已被更正，须先重新印发该文书，再制作卷宗",
            "documents",
        )
        for name in outdated
    ]


def holds_accountable(outcome: str) -> bool:
    """Does a decision of ``outcome`` hold its subject accountable (予以问责; an empty
    outcome is a decision recorded before outcomes were)? 不予问责 and 免予问责 do not."""
    return outcome in ("", DecisionOutcome.ACCOUNTABLE)


def form_phrase(forms: Iterable[str], kind: str | None, other: str) -> str:
    """``通报批评、记过处分`` in Art. 11 order (a noun phrase, for lists and reports): the
    sanction named by its kind, another way by its words."""
    words = []
    for f in sorted((AccountabilityForm(x) for x in forms), key=lambda f: f.clause):
        if f is AccountabilityForm.ADMINISTRATIVE_SANCTION and kind:
            words.append(f"{kind}处分")
        elif f is AccountabilityForm.OTHER:
            words.append(other or "其他方式")
        else:
            words.append(f.value)
    return "、".join(words)


def decision_document_name(outcome: str) -> str:
    """What a decision's document is called: 问责决定书 when it holds the subject
    accountable, else after what it decides (不予问责决定书, 免予问责决定书) — a document
    that clears its subject is not titled as one that sanctions him."""
    if holds_accountable(outcome):
        return str(DocumentKind.DECISION)
    return f"{outcome}决定书"


def document_name(kind: str, outcome: str = "") -> str:
    """What an issued document of ``kind`` is called (its file name, a list): a decision's
    after what the decision it states decides (``outcome``), every other after its kind."""
    if kind == DocumentKind.DECISION:
        return decision_document_name(outcome)
    return str(kind)


def subject_title(outcome: str, person: bool | None = None) -> str:
    """How a document served on the subject names him: 被问责人 (a person), 被问责单位 (a
    unit) or, either, 被问责对象 where the decision holds him accountable; the neutral
    问责对象 where it clears him (不予问责, 免予问责) — one not held accountable is not
    introduced as one who was."""
    if not holds_accountable(outcome):
        return "问责对象"
    if person is None:
        return "被问责对象"
    return "被问责人" if person else "被问责单位"


def issue_problems(
    state: CaseState, kind: DocumentKind, ref_id: int | None, reworded: bool = False
) -> list[RuleViolation]:
    """Art. 13/14: only a decision in force is issued as a 问责决定书, and a 问责决定书 or
    复核决定书 already served is not issued again (a served decision changes by 复核); the
    送达回证 of a 复核决定书 follows its recorded service. ``reworded``: the officer edited
    the draft (:func:`reworded_report_problems`)."""
    if reworded and kind is DocumentKind.INVESTIGATION_REPORT:
        return reworded_report_problems(state)
    if ref_id is None:
        return []
    if kind is DocumentKind.DECISION:
        d = state.decision(ref_id)
        if d is None or d.status is not DecisionStatus.IN_FORCE:
            return [
                violation("第十三条", "该处理决定已被更正、变更或撤销，不能再印发其决定书", "ref")
            ]
        if d.origin.from_review:
            return [
                violation(
                    "第十四条",
                    f"该处理是复核决定（{d.doc_number}）作出的，以复核决定书载明并送达，"
                    "不能另行印发党组的问责决定书",
                    "ref",
                )
            ]
        if state.service_of(ref_id) is not None:
            return [
                violation(
                    "第十四条",
                    "该问责决定书已送达，不能重新印发；对已送达的决定有异议的，须通过复核程序处理",
                    "ref",
                )
            ]
    if kind is DocumentKind.REVIEW_DECISION and state.service_of_review(ref_id) is not None:
        return [violation("第十四条", "该复核决定书已送达，不能重新印发", "ref")]
    if kind is DocumentKind.REVIEW_SERVICE_PROOF:
        return review_proof_problems(state, ref_id)
    if kind is DocumentKind.RELEASE_NOTICE:
        return release_notice_problems(state, ref_id)
    return []


def reworded_report_problems(state: CaseState) -> list[RuleViolation]:
    """Art. 13/14: once a decision is served, the report's findings it rests on are what the
    subject was told, and their record is frozen (corrections.findings_problems); the
    调查报告 is then issued only as its record states it, never reworded into other facts."""
    if not any(s.review_decision_id is None for s in state.services):
        return []
    return [
        violation(
            "第十三条、第十四条",
            "处理决定已送达，调查报告查明的事实和经过是其认定的依据，已经冻结：调查报告只能按"
            "记录印发，不能改写措辞后印发；对认定的事实有异议的，须通过复核程序办理",
            "content",
        )
    ]


def review_proof_problems(state: CaseState, review_id: int) -> list[RuleViolation]:
    """Art. 13/14: a 复核决定书 is served in writing like the decision it reviews; its
    送达回证 records that service, so it is made only once the service is recorded."""
    if state.review_decision(review_id) is None:
        return [violation("第十四条", "案件中没有该复核决定，不能制作其送达回证", "ref")]
    if state.service_of_review(review_id) is None:
        return [
            violation(
                "第十三条、第十四条",
                "该复核决定书尚未登记送达，不能制作送达回证；请先登记复核决定书的送达",
                "ref",
            )
        ]
    return []


def release_notice_problems(state: CaseState, release_id: int) -> list[RuleViolation]:
    """《公务员法》第六十五条: a 解除处分通知书 releases a sanction in force; once review
    (第十四条) has revoked the decision, or a correction replaced it, there is no sanction
    left to release. A review that changed a released sanction into a lighter one carries
    the release to the new decision (its period counts from the original's effect, and ended
    by then too): the notice not yet issued is issued on it, stating the current decision."""
    rel = state.release(release_id)
    if rel is None:
        return [
            violation(
                "《公务员法》第六十五条",
                "解除处分记录不属于本案或已被更正；请印发更正后的解除处分记录的通知书",
                "ref",
            )
        ]
    d = state.decision(rel.decision_id)
    if d is not None and state.carried_to(d.id) is not None:
        return []
    if d is None or d.status is not DecisionStatus.IN_FORCE:
        return [
            violation(
                "第十四条及《公务员法》第六十五条",
                "所解除处分的处理决定已被更正、变更或撤销，没有可解除的处分，"
                "不能印发解除处分通知书（以复核决定书或新的决定为准）",
                "ref",
            )
        ]
    return []


#: The Chinese numerals a telephone, ID or house number may be spelt in, as their digits
#: (「一三九」「幺三九」, 「五〇一室」「五零一室」; the 大写 of a receipt, 「壹叁玖」, simplified
#: and traditional): one at a time, as such numbers are read out.
_NUMERALS = str.maketrans(
    "〇零幺一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖", "001123456789122334566789"
)


def _flat(text: str) -> str:
    """``text`` as the reporter check compares it: full-width forms as their ASCII (the input
    method's 「１３９」), Chinese numerals as digits (「一三九」), letters in one case (an ID
    number's 「x」), common traditional characters as simplified (「張偉」, app.domain.variants),
    and no spaces, line breaks, punctuation or invisible characters (「139-0000-0000」,
    「(139)0000.0000」, 「张　伟」)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_NUMERALS)
    folded = simplified(folded)
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")


#: :func:`_flat` for the reporter checks that flatten a text once for several terms.
flat_text = _flat


def names_reporter(text: str, identities: Iterable[str]) -> bool:
    """Whether ``text`` carries one of ``identities`` (a reporter's name, telephone, ID
    number or address: app.domain.reporter.identity_terms), however written: spaces,
    separators and full-width digits put into either not counting (第十条)."""
    terms = reporter_terms(identities)
    return bool(terms) and names_flat(_flat(text), terms)


def reporter_terms(identities: Iterable[str]) -> list[str]:
    """``identities`` as :func:`names_reporter` looks for them (flattened, from two characters
    on): the text is flattened only when one is left (most cases have no reporter)."""
    return [t for t in map(_flat, identities) if len(t) >= 2]


def names_flat(flat: str, terms: Iterable[str]) -> bool:
    """Whether a text flattened by :func:`_flat` carries one of :func:`reporter_terms`."""
    return any(t in flat for t in terms)


def own_unit_terms(terms: list[str], name: str, subject_units: Iterable[str]) -> list[str]:
    """第六条/第十条: a unit reporting (``name``) that is the unit of a subject of the case is
    named by every document of the case as that subject's unit — not as the reporter: its name
    is no term there (its telephone and address stay). Any other unit's name stays a term."""
    if not name or _flat(name) not in {_flat(u) for u in subject_units if u}:
        return terms
    return [t for t in terms if t != name]


def subject_name_terms(terms: list[str], name: str, subject_names: Iterable[str]) -> list[str]:
    """第十条: a person reporting whose ``name`` is that of a subject of the case (a 报告 by the
    official himself, or a namesake) is named by every paper of the case as that subject —
    saying nothing of who reported: his name is no term there (his telephone, ID number and
    address stay), as a unit reporting on its own staff is not (:func:`own_unit_terms`)."""
    return own_unit_terms(terms, name, subject_names)


#: What the 案件台账 shows instead of a summary that names a reporter (第十条).
WITHHELD_SUMMARY = "（案情摘要载有举报人身份信息，依据第十条不予导出）"

#: Why a reporter check cannot be made: the case has a reporter on file whose identity the
#: user's key does not open (no 查看举报人信息, or a blob that does not open for its lead).
UNREADABLE = (
    "本案线索登记有举报人，当前用户无法读取其信息（未获“查看举报人信息”授权，"
    "或举报人信息与线索不符），无法核对"
)

#: What the 案件台账 shows instead of a summary that cannot be checked (第十条): the words
#: stay in the system; a key holder's export carries them once checked.
UNCHECKED_SUMMARY = (
    f"（{UNREADABLE}案情摘要是否载有举报人身份信息，依据第十条不予导出；"
    "请由有权查看举报人信息的人员导出）"
)


def exported_summary(summary: str, identities: Iterable[str] | None) -> str:
    """第十条: the case summary as an export carries it — withheld whole when an officer's
    wording brought a reporter's identity into it (the ledger leaves the system; a part
    cut out of the wording could still point at the reporter), and when it cannot be checked
    (``identities`` None: a reporter on file the exporter's key does not open)."""
    if identities is None:
        return UNCHECKED_SUMMARY if summary.strip() else summary
    return WITHHELD_SUMMARY if names_reporter(summary, identities) else summary


#: What the 案件台账 shows instead of a proposer whose name is a reporter's (第十条).
WITHHELD_PROPOSER = "（提出人载有举报人身份信息，依据第十条不予导出）"

#: What it shows instead of a proposer the exporter's key cannot check (第十条).
UNCHECKED_PROPOSER = (
    "（本案线索登记有举报人，当前用户无法核对提出人是否载有其身份信息，依据第十条不予导出；"
    "请由有权查看举报人信息的人员导出）"
)


def exported_proposer(name: str, identities: Iterable[str] | None) -> str:
    """第十条: the proposer's name as an export carries it — withheld when it names a reporter
    of the case's leads, and when it cannot be checked (``identities`` None), as the summary
    is (:func:`exported_summary`)."""
    if identities is None:
        return UNCHECKED_PROPOSER if name.strip() else name
    return WITHHELD_PROPOSER if names_reporter(name, identities) else name


def reporter_problems(
    text: str, identities: Iterable[str] | None, *, for_subject: bool = True, dossier: bool = False
) -> list[RuleViolation]:
    """第十条: a document the subject receives carries no identity of a reporter of the
    case's leads (name, telephone, ID number, address), however an officer's wording brought it in.
    Nor does any other issued document (``for_subject`` False: a 调查报告, 审批表, 卷宗): every
    user who may see the case reads, prints and exports it (`docs export`), and the design
    keeps the reporter out of exports. The refusal names nothing of the reporter: whoever
    issues may not be one who may see it. A case whose reporter the issuer's key does not open
    (``identities`` None) cannot be checked, and is refused: never issued unchecked.
    ``dossier``: ``text`` is a 卷宗's — its cover, 案件办理记录 and bound papers, which are
    corrected in the records they come from, not in the dossier."""
    what = "送达问责对象的文书" if for_subject else "印发的文书可供查阅本案的人员打印、导出，"
    if identities is None:
        return [
            violation(
                "第十条",
                f"{what}不得载明检举、举报人的身份信息，{UNREADABLE}文书是否载有"
                "其身份信息，不能由当前用户印发；请由有权查看举报人信息的人员核对后印发",
                "content",
            )
        ]
    if not names_reporter(text, identities):
        return []
    fix = DOSSIER_FIX if dossier else "文书中出现了本案线索所登记的举报人信息，请删去后再印发"
    return [violation("第十条", f"{what}不得载明检举、举报人的身份信息：{fix}", "content")]


def draft_print_problems(
    title: str, text: str, identities: Iterable[str] | None
) -> list[RuleViolation]:
    """第十条: a draft put on paper (``title``, its words ``text``) leaves the system as an
    issued paper does — a printed 草稿 may be read by the subject or handed to him for his
    陈述申辩 — yet no one has checked it at issue. It is printed only when it carries no
    identity of a reporter of the case's leads; one the printer's key cannot check
    (``identities`` None) is not printed, as it is not issued. On screen the draft stays
    readable (its words are the case's records, read by every user who may see the case), so
    that one who may see reporters finds what to correct. The refusal names nothing of the
    reporter."""
    if identities is None:
        return [
            violation(
                "第十条",
                f"打印的文书不得载明检举、举报人的身份信息，{UNREADABLE}《{title}》草稿是否载有"
                "其身份信息，不能由当前用户打印；请由有权查看举报人信息的人员核对后打印",
                "unchecked",
            )
        ]
    if not names_reporter(text, identities):
        return []
    return [
        violation(
            "第十条",
            f"打印的文书不得载明检举、举报人的身份信息：《{title}》草稿中出现了本案线索所登记的"
            "举报人信息，不能打印或印发；请更正其所在的记录（如事实、理由、受送达人）后再打印",
            "content",
        )
    ]


#: How a 卷宗 naming a reporter is put right: where its words come from (第十条).
DOSSIER_FIX = (
    "卷宗的封面、案件办理记录或所装订的文书中出现了本案线索所登记的举报人信息；请更正其所在的"
    "记录（如提出人、受送达人）或印发该文书的新版本后，再印发卷宗"
)


def export_problems(
    case_number: str, title: str, text: str, identities: Iterable[str] | None, verb: str = "导出"
) -> list[RuleViolation]:
    """第十条: an issued document leaving the system (`docs export`, a case's 导出) carries
    no identity of a reporter of its case's leads — one issued before this was checked at
    issue, or before the lead was linked or its reporter entered. ``identities`` None (the
    exporter's key does not open them) is not refused here: every document issued since is
    checked against the reporters then on file. The refusal names the document, never the
    reporter. ``verb``: how it leaves (导出, or 打印 on the documents panel)."""
    if identities is None or not names_reporter(text, identities):
        return []
    return [
        violation(
            "第十条",
            f"{verb}的文书不得载明检举、举报人的身份信息：案件{case_number}的《{title}》中出现了"
            f"本案线索所登记的举报人信息，本次未{verb}任何文书；请更正相关记录后重新印发该文书",
            "content",
        )
    ]


def unchecked_export_problems(
    case_number: str, title: str, verb: str = "导出"
) -> list[RuleViolation]:
    """第十条: an issued document whose case was given a lead with a reporter (or had one
    written onto a linked lead) after it was issued — so its check at issue did not read that
    reporter — does not leave the system through a user whose key cannot check it now. The
    refusal names the document, never the reporter."""
    return [
        violation(
            "第十条",
            f"{verb}的文书不得载明检举、举报人的身份信息：案件{case_number}的《{title}》印发后，"
            f"本案又关联了登记有举报人的线索（或线索的举报人信息有改动），{UNREADABLE}该文书"
            f"是否载有其身份信息，本次未{verb}任何文书；请由有权查看举报人信息的人员{verb}",
            "content",
        )
    ]


def export_name_problems(
    name: str,
    identities: Iterable[Iterable[str] | None],
    verb: str = "导出",
    *,
    whose: str = "本案",
    what: str = "文书",
) -> list[RuleViolation]:
    """第十条: the name an officer gives an export (a folder, a file) is kept by its audit
    records, which the 审计员 reads: it may not carry a reporter of the exported cases'
    leads (``identities``: each case's, None where the key does not open them). The refusal
    repeats neither the name nor the reporter (``whose``: the cases, ``what``: what was not
    exported — 文书, or a report's 报表)."""
    if not any(found is not None and names_reporter(name, found) for found in identities):
        return []
    return [
        violation(
            "第十条",
            f"{verb}所取的文件名或文件夹名不得载明检举、举报人的身份信息：该名称中出现了{whose}线索"
            f"所登记的举报人信息（审计记录会记下该名称），本次未{verb}任何{what}；请另取名称",
            "name",
        )
    ]


#: The columns of an issued document that its issuing audit record names: the code printed
#: on the paper and the hash of the frozen words (app.services.documents.issue_document).
ISSUED_TRAIL_FIELDS: dict[str, str] = {"verification_code": "校验码", "content_sha256": "内容摘要"}


def issued_trail_problems(
    stored: dict[str, Any], audited: dict[str, Any] | None, seq: int | None, sealed: bool
) -> list[str]:
    """What of an issued document's row (``stored``) its issuing audit record does not back.

    The content hash and the code are unkeyed: whoever holds the file can rewrite a frozen
    decision and recompute both, and the row then agrees with itself. Only the record written
    when it was issued (``audited``, its ``seq``; ``sealed`` False when its seal does not
    verify under the key in memory) says what was issued. A field the record does not name
    (an older payload) is not compared."""
    if audited is None:
        return ["没有印发该文书的审计记录"]
    if not sealed:
        return [f"印发该文书的第{seq}条审计记录没有有效的密钥签名"]
    return [
        f"{label}与印发时的第{seq}条审计记录不符"
        for name, label in ISSUED_TRAIL_FIELDS.items()
        if name in audited and stored.get(name) != audited[name]
    ]


#: What 核验校验码 adds to a valid answer when no audit key is in memory (the command line
#: without ``--user``) on a keyed chain: the 印发 record's seal was not checked, and a made-up
#: seal written with the file is found only with the key (review 51d).
SEAL_UNCHECKED = (
    "。注意：未登录，印发该文书的审计记录的密钥签名未核验，数据文件被绕过系统改动时"
    "未必能发现；请加 --user 用户名 登录后再核验"
)


def issued_trail_refusal(title: str, problems: list[str]) -> str:
    """The refusal to print, export or vouch for a document its audit record does not back."""
    return (
        f"依据第十三条和审计记录（文书印发后内容冻结，其校验码和内容摘要记入审计链），"
        f"文书《{title}》的{'；'.join(problems)}（数据文件可能被绕过系统改动），"
        "已停止打印、导出和核验；请运行 wenze audit verify 核查并报告管理员。"
    )


def voided_export_problems(
    number: str, voided: bool, verb: str = "导出", *, draft: bool = False
) -> list[RuleViolation]:
    """Art. 13: a voided case decides nothing, so the documents issued in it (never served:
    a case is not voided once a decision was) are not sent out of the system as PDFs that
    read like documents in force, nor put on paper (``verb`` 打印: the documents panel),
    nor its drafts (``draft``). They stay on record in the case, and a copy printed before
    the voiding still says, by its verification code, that the case was voided
    (``wenze verify-doc``)."""
    if not voided:
        return []
    what = "文书草稿不再印发" if draft else "已印发的文书不发生效力、不得送达"
    return [
        violation(
            "第十三条",
            f"案件{number}已作废，其{what}，不予{verb}；"
            "文书仍留存于本系统备查，此前印出的文书可用校验码核验（wenze verify-doc）",
            "case",
        )
    ]


def served_version_problems(kind: DocumentKind, version: int) -> list[RuleViolation]:
    """Art. 13: a service records the issued document served; a version reissued since the
    officer's page showed it (another user, another window) is not the one he served."""
    return [
        violation(
            "第十三条",
            f"该{kind}在您打开本页面后已被重新印发为第{version}版（由其他用户或另一窗口印发），"
            f"送达未登记：请核对实际送达的版本，送达第{version}版后再登记",
            "document",
        )
    ]
