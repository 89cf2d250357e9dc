"""What an officer may reword before a document is issued, and what stays as composed.

Art. 13/14: the written decision states the decision the Party group made and the subject's
right to apply for review within 30 days; the officer words the facts and the reasons, never
the decision. So the rule is positive — only *narrative* paragraphs may be reworded:

* a paragraph is narrative when it stands under one of its kind's narrative headings
  (:data:`NARRATIVE_SECTIONS`: the facts, the reasons, the course of the investigation);
  everything before the first heading (the addressee, the subject's or applicant's
  identity, the case number, the opening that recites the procedure) and under any other
  heading (the decision, its effect and period, the rights of review and appeal, the
  responsibility and the recommendation) is locked, as are the title, number, recipient and
  every other field, every heading, table and signature;
* a narrative paragraph is still locked when it was composed with legal content
  (a citation, an article, a review or appeal, an effective date, a responsibility) or
  names a person of the case (built from the record: correct the record instead);
* a reworded narrative paragraph may not bring in decision language (决定, 给予, 处分,
  复核, 申诉, 终局, 不得 …), a form or measure of treatment (警告, 诫勉, 免去职务, 扣发奖金,
  取消评先资格 …) or a citation beyond what it held before, nor name a person of the case
  whom the document is not about. A word the paragraph already held may stay.

The headings are the composers' own (decisions.py, case_forms.py, release_notice.py); a
heading renamed there and not here leaves its section locked, never open.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.enums import DocumentKind
from app.domain.rules import RuleViolation, violation
from app.domain.text import visible

K = DocumentKind

#: The headings (h1, as composed) whose paragraphs are the document's narrative.
NARRATIVE_SECTIONS: dict[str, frozenset[str]] = {
    K.DECISION: frozenset({"一、查明的事实和证据", "二、问责的理由", "二、处理的理由"}),
    K.REVIEW_DECISION: frozenset({"一、复核请求及理由", "二、复核查明的事实"}),
    K.RECUSAL_DECISION: frozenset({"一、回避事由"}),
    K.INVESTIGATION_REPORT: frozenset(
        {"二、调查依据和经过", "三、查明的事实", "四、被调查对象的态度和陈述申辩"}
    ),
    K.RELEASE_NOTICE: frozenset({"一、受处分期间的表现"}),
}

#: The article a refused edit cites, by kind.
EDIT_ARTICLE: dict[str, str] = {
    K.DECISION: "第十三条",
    K.SERVICE_PROOF: "第十三条",
    K.REVIEW_DECISION: "第十四条",
    K.REVIEW_SERVICE_PROOF: "第十四条",
    K.RECUSAL_DECISION: "第十二条",
    K.INITIATION_FORM: "第九条",
    K.INVESTIGATION_REPORT: "第九条",
    K.RELEASE_NOTICE: "公务员法第六十五条",
}

_ARTICLE = r"第[一二三四五六七八九十百零〇\d]+条"

#: A paragraph composed with any of these states legal content: it stays as composed.
LEGAL_CONTENT = re.compile(
    rf"《|{_ARTICLE}|复核|申诉|生效|处分期间|决定给予|责令|不予问责|免予问责"
    r"|直接责任|领导责任|经认定"
)

_CLAUSE = r"[^，,。；;：:！!？?]{0,10}"  # within one clause of the sentence

#: Decision language a reworded narrative paragraph may not bring in (longer words first):
#: the forms and sanctions of Art. 11 and the organisational and economic measures a
#: decision could impose (免去职务, 扣发奖金, 取消评先资格 …), so that a narrative paragraph
#: cannot state a treatment the decision record does not hold.
DECISION_WORDS = re.compile(
    rf"《|{_ARTICLE}|决定|给予|处分|问责|复核|申诉|终局|终审|不得|不服|生效|失效|撤销|维持"
    r"|责令|免予|不予|警告|记大过|记过|降级|撤职|开除|通报批评|书面检查|辞职|免职|停职|调离"
    r"|诫勉|移送|司法机关|直接责任|领导责任"
    rf"|免去|免除{_CLAUSE}职务|扣发|扣减|停发|取消{_CLAUSE}资格|降低{_CLAUSE}"
    r"(?:职务|职级|级别|等级|岗位|工资|薪级|档次|待遇)|降职|降岗|降薪|待岗|离岗|调岗|转岗"
    rf"|调整{_CLAUSE}岗位|暂停{_CLAUSE}(?:执法|职务|工作)|停止{_CLAUSE}(?:执法|职务)"
    rf"|收回{_CLAUSE}(?:执法证|证件)|解聘|辞退|除名|组织处理|批评教育|谈话提醒|提醒谈话"
    r"|留党察看|党纪|政务处分"
)

#: What the composed fields are called in a refusal.
FIELD_LABELS = {
    "schema": "内容格式",
    "kind": "文书种类",
    "number": "文号",
    "recipient": "受送达人",
    "whose": "被问责对象",
    "for_subject": "送达对象",
    "subject_kind": "被问责对象类别",
    "served_document": "所送达的文书",
    "citations": "引用的条款",
    "title_breaks": "标题分行",
    "issuer_mark": "版头的发文机关标志",
}

STRUCTURE = "文书的段落结构不能改动（不能增删段落、标题、表格或署名），只能修改事实和理由的措辞"


#: The text as read (compatibility forms folded, spaces and invisible marks dropped): one
#: definition with the domain's "left blank" test.
_plain = visible


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:30] + "…"


def narrative_blocks(content: Mapping[str, Any]) -> set[int]:
    """Indexes of the paragraphs that stand in one of the kind's narrative sections."""
    sections = NARRATIVE_SECTIONS.get(str(content.get("kind", "")), frozenset())
    out: set[int] = set()
    heading: str | None = None
    for n, b in enumerate(content.get("blocks", ())):
        if b.get("type") == "h1":
            heading = str(b.get("text", "")).strip()
        elif b.get("type") == "p" and heading in sections:
            out.add(n)
    return out


def _own_names(draft: Mapping[str, Any], names: Iterable[str]) -> set[str]:
    """The persons the document is about: named in its recipient fields or in its head
    (the addressee and identity lines before the first heading)."""
    head = [str(draft.get("recipient", "")), str(draft.get("whose", ""))]
    for b in draft.get("blocks", ()):
        if b.get("type") == "h1":
            break
        if b.get("type") == "p":
            head.append(str(b.get("text", "")))
    text = _plain("\n".join(head))
    return {n for n in names if n in text}


def case_names(case: Any) -> set[str]:
    """Who a case's records name (a ``CaseDetail``): its subjects, proposer, investigators
    and recusal parties."""
    names = {s.name for s in case.subjects} | {case.proposer_name}
    names |= {i.name for i in case.investigators}
    for r in case.recusals:
        names |= {r.person_name, r.applicant}
    return {n.strip() for n in names if n and n.strip()}


def locked_changes(
    draft: Mapping[str, Any], edited: Mapping[str, Any], names: Iterable[str] = ()
) -> list[str]:
    """Why ``edited`` may not be issued in place of ``draft`` (empty when it may).

    ``names`` are the persons (and units) of the case: its subjects, investigators and
    recusal parties, and the proposer.
    """
    a, b = list(draft.get("blocks", [])), list(edited.get("blocks", []))
    if [x.get("type") for x in a] != [x.get("type") for x in b]:
        return [STRUCTURE]
    if edited.get("title") != draft.get("title"):
        return ["文书标题由系统生成，不能修改"]
    fields = {k for k in (*draft, *edited) if k != "blocks"}
    changed = sorted(
        k for k in fields if draft.get(k) != edited.get(k) or (k in draft) != (k in edited)
    )
    if changed:
        return [
            "文书的文号、受送达人、被问责对象和引用的条款等由案件记录生成，不能在编辑时修改"
            f"（{'、'.join(FIELD_LABELS.get(k, k) for k in changed)}）"
        ]
    people = sorted({_plain(n) for n in names if len(_plain(n)) >= 2}, key=len, reverse=True)
    own = _own_names(draft, people)
    narrative = narrative_blocks(draft)
    for n, (old, new) in enumerate(zip(a, b, strict=True)):
        if old.get("type") != "p":
            if old != new:
                return ["文书的标题、表格和署名不能修改"]
            continue
        if {k: v for k, v in old.items() if k != "text"} != {
            k: v for k, v in new.items() if k != "text"
        }:
            return ["段落的格式由系统生成，不能修改，只能修改事实和理由的措辞"]
        before, after = str(old.get("text", "")), new.get("text")
        if not isinstance(after, str):
            return ["段落文字必须是文本"]
        if before.strip() == after.strip():
            continue
        if n not in narrative:
            return [
                "称谓、被问责人（申请人）身份、处理决定、生效日期、复核申诉权利和署名等段落"
                "由决定记录生成，不能修改，只能修改事实和理由的措辞："
                f"「{_short(before)}」"
            ]
        if LEGAL_CONTENT.search(_plain(before)):
            return [
                "载明处理决定、法律依据、生效日期、责任认定或救济权利的段落须与决定记录一致，"
                f"不能修改：「{_short(before)}」"
            ]
        plain_before, plain_after = _plain(before), _plain(after)
        named = [p for p in people if p in plain_before]
        if named:
            return [
                f"载明{named[0]}等案件人员的段落由案件记录生成，不能修改；"
                f"如记录有误，请先更正记录：「{_short(before)}」"
            ]
        if not plain_after:
            return ["事实和理由的段落不能删空"]
        had = Counter(DECISION_WORDS.findall(plain_before))
        brought = [w for w, c in Counter(DECISION_WORDS.findall(plain_after)).items() if c > had[w]]
        if brought:
            return [
                "修改的措辞不能写入处理决定、处理措施、法律依据或救济权利的表述"
                f"（「{'」「'.join(brought)}」）：处理决定和复核、申诉权利以依据决定记录生成的"
                "段落为准，事实和理由段落只能叙述事实和理由"
            ]
        others = [p for p in people if p in plain_after and p not in own and p not in plain_before]
        if others:
            return [f"修改的措辞不能写入本文书所涉对象以外的案件人员（{others[0]}）"]
    return []


def edit_problems(
    kind: DocumentKind | str, draft: Mapping[str, Any], edited: Mapping[str, Any],
    names: Iterable[str] = (),
) -> list[RuleViolation]:  # fmt: skip
    """:func:`locked_changes` as refusals citing the article the document carries out."""
    article = EDIT_ARTICLE.get(str(kind), "第十三条")
    return [violation(article, p) for p in locked_changes(draft, edited, names)]
