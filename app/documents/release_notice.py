"""解除处分通知书: the written notice of a sanction's release (公务员法第六十五条).

Composed as the same editable JSON content as the case documents and laid out by the same
GB/T 9704 engine (:func:`app.documents.compose.to_doc` → :func:`layout.render_pdf`). It
states the original decision and the facts it found (处分条例第四十五条), the period, the
conduct, the release date and, for 降级 and 撤职, that the former rank and post are not
restored. No reporter data exists here to leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from app.documents.compose import (
    Letterhead,
    content,
    h1,
    imprint,
    p,
    sig,
    space,
    title_breaks,
    to_doc,
)
from app.documents.compose.wording import TITLE_WORDS
from app.documents.layout import RenderResult, render_pdf
from app.documents.text import format_cn_date
from app.domain.release import CSL, not_restored_sentence

KIND = "解除处分通知书"
TITLE = "解除处分通知书"


@dataclass(frozen=True)
class NoticeFacts:
    """What the notice states; every value comes from the stored decision and release."""

    name: str
    unit_name: str
    post: str
    case_number: str
    decision_number: str
    decided_on: date
    sanction_kind: str
    effective_on: date
    sanction_end: date
    released_on: date
    conduct: str
    confirmed_by: str
    own_end: date | None = None  # the decision's own period end, where 第十条 ran it on
    #: A decision changed on review (第十四条) counts its period from the original's effect;
    #: ``original`` is (decided on, number, what it decided: 「给予你记大过处分」) of the
    #: decision it replaced.
    period_from: date | None = None
    original: tuple[date, str, str] | None = None
    #: 处分条例第四十五条第二款 (its item 二): the facts the decision in force found.
    facts: str = ""


def _period(f: NoticeFacts) -> str:
    """The period served: the decision's own, or the run 处分条例第十条 made of it."""
    start = format_cn_date(f.period_from or f.effective_on)
    if f.own_end is None or f.own_end == f.sanction_end:
        return (
            f"依照{CSL}第六十四条的规定，处分期间自{start}起至"
            f"{format_cn_date(f.sanction_end)}止，现已期满。"
        )
    return (
        f"依照{CSL}第六十四条的规定，处分期间自{start}起至"
        f"{format_cn_date(f.own_end)}止；你在受处分期间又受到处分，依照《行政机关公务员处分条例》"
        f"第十条的规定，处分期为尚未执行的期限与新处分期限之和，至"
        f"{format_cn_date(f.sanction_end)}止，现已期满。"
    )


def _imposed(f: NoticeFacts, bureau: str) -> str:
    """Which decision imposed the sanction: the 问责决定, or the 复核决定 that changed it."""
    if f.original is None:
        return (
            f"{format_cn_date(f.decided_on)}，{bureau}以{f.decision_number}"
            f"决定给予你{f.sanction_kind}处分。"
        )
    on, number, what = f.original
    return (
        f"{format_cn_date(on)}，{bureau}以{number}问责决定{what}；"
        f"{format_cn_date(f.decided_on)}，经复核，以{f.decision_number}复核决定变更为"
        f"{f.sanction_kind}处分。"
    )


def _found(f: NoticeFacts) -> str:
    """处分条例第四十五条第二款: a release states, as the decision did (its item 二), the facts
    the sanction was given for — never a bare 文号 the reader must look up."""
    text = _sentence(f.facts)
    for opening in ("经查，", "经查明，", "经调查核实，", "经复核，", "复核查明："):
        text = text.removeprefix(opening)
    return f"该决定认定：{text}" if text else ""


def _sentence(text: str) -> str:
    text = text.strip().rstrip("。；;，,. ")
    return f"{text}。" if text else ""


def compose(f: NoticeFacts, letterhead: Letterhead, number: str = "") -> dict[str, Any]:
    """The notice; ``number`` is the one it took when first issued (empty before: the
    document service numbers it in the bureau's series of decisions as it issues it)."""
    who = f.name + (f"（{f.unit_name}{f.post}）" if f.unit_name or f.post else "")
    blocks: list[dict[str, Any]] = [
        p(f"{f.name}同志：", indent=0),
        p(_imposed(f, letterhead.bureau_name) + _found(f) + _period(f)),
        h1("一、受处分期间的表现"),
        p(_sentence(f.conduct) + "受处分期间没有再发生违纪违法行为。"),
        h1("二、决定"),
        # 第六十五条: the sanction ends by itself when its period is over; the confirmation
        # (the day recorded, the notice's date) states it, never moves it later. The confirming
        # officer's title and name run together (「纪委书记 周正」 would print a stray gap).
        p(
            f"依照{CSL}第六十五条的规定，处分期满后自动解除。经{''.join(f.confirmed_by.split())}确认，"
            f"对{who}的{f.sanction_kind}处分自{format_cn_date(f.sanction_end + timedelta(days=1))}"
            "起解除。"
        ),
        p("解除处分后，晋升工资档次、级别和职务、职级不再受原处分的影响。"),
    ]
    extra = not_restored_sentence(f.sanction_kind)
    if extra:
        blocks.append(p(f"依照{CSL}第六十五条的规定，{extra}"))
    blocks.append(space(1))
    # No 附注 of the case number: 「WZ2025-0010」 is the desk's own register key, not a number
    # the bureau issues; the person is told the decision by its 文号 above (GB/T 9704 §7.3.6
    # keeps the 附注 for what the text needs explained).
    blocks.append(sig(letterhead.bureau_name, f.released_on))
    # GB/T 9704 §7.4: numbered in the bureau's series and given to the person, it closes as
    # the decision it releases did — copied to the committee and the person's section or squad
    # (which keeps his record), printed by the bureau's office that day.
    cc = [letterhead.discipline_body, *([f.unit_name] if f.unit_name else [])]
    blocks.append(imprint(f"{letterhead.bureau_name}办公室", f.released_on, cc))
    # GB/T 9704 §7.3.3: the title names the issuing body, as every other document's does.
    title = f"{letterhead.bureau_name}{TITLE}"
    breaks = title_breaks(title, (letterhead.bureau_name, *TITLE_WORDS))
    return content(KIND, title, number, blocks, recipient=f.name, for_subject=True,  # type: ignore[arg-type]
                   title_breaks=breaks, **letterhead.mark())  # fmt: skip


def render(c: dict[str, Any], out: str | Path | IO[bytes]) -> RenderResult:
    return render_pdf(to_doc(c), out, invariant=True)
