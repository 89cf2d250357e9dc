"""What a decision that clears its subject rests on (不予问责, 免予问责): one rule, cited by the
decision, the investigation report's recommendation and a review decision changing to it.

第九条 gives the decision to the Party group but says nothing of when not to hold anyone to
account; citing it alone left a 免予问责决定书 without a ground. The grounds are:

- 不予问责 — the conduct is not what the regulation holds to account: 第二条 (only a failure
  to perform, 由于故意或者过失, 以致 its consequences, is pursued) and 第四条 (坚持实事求是、
  追究过错与责任相对应), decided by the Party group under 第九条.
- 免予问责 — the conduct calls for accountability, and is exempted: 第四条 (执法问责与改进工作
  相结合、教育与惩戒相结合; 执法问责对象应当主动纠正错误，积极采取补救措施) under 第九条, whose
  last sentence sends what the law governs to the law: for a civil servant,
  《行政机关公务员处分条例》第十四条第二款 (违纪行为情节轻微，经过批评教育后改正的，可以免予
  处分). A unit (科室, 中队) is no civil servant: the regulation alone.

Instruments are named by the keys of app.documents.citations (``regulation``, ``处分条例``).
"""

from __future__ import annotations

from app.domain.enums import DecisionOutcome

REGULATION = "regulation"
SANCTION_REG = "处分条例"

#: The regulation's articles each clearing outcome rests on.
CLEARING_ARTICLES: dict[DecisionOutcome, tuple[int, ...]] = {
    DecisionOutcome.NOT_ACCOUNTABLE: (2, 4, 9),
    DecisionOutcome.EXEMPTED: (4, 9),
}

#: 《行政机关公务员处分条例》第十四条: its second paragraph is the exemption of a civil servant.
EXEMPTION_ARTICLE = 14
EXEMPTION_WORDING = "行政机关公务员违纪行为情节轻微，经过批评教育后改正的，可以免予处分。"


def clearing_basis(outcome: str, person: bool) -> list[tuple[str, int]]:
    """(instrument key, article) of the basis of a decision clearing its subject; [] for a
    decision that holds him to account (its grounds and forms are its basis)."""
    try:
        kind = DecisionOutcome(outcome)
    except ValueError:
        return []
    out = [(REGULATION, a) for a in CLEARING_ARTICLES.get(kind, ())]
    if kind is DecisionOutcome.EXEMPTED and person:
        out.append((SANCTION_REG, EXEMPTION_ARTICLE))
    return out
