"""解除处分 (release of a sanction): pure rules, no database.

《中华人民共和国公务员法》第六十四条 sets the periods (警告 6 months, 记过 12, 记大过 18,
降级/撤职 24; 开除 has none); 第六十五条: a sanction other than 开除 is released when its
period ends if the person showed remorse and committed no new violation; after release,
pay grade, rank and post are no longer affected by it, but releasing 降级 or 撤职 does not
restore the former rank or post. The release is recorded on or after the day after the
period's last day, with the conduct during the period and the confirming officer.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from app.domain.dating import Clock, date_problems, number_year_problems
from app.domain.deadlines import add_months, sanction_period_end
from app.domain.enums import DecisionOutcome, DecisionStatus, ReviewOutcome, SanctionKind
from app.domain.interest import signer_problems
from app.domain.rules import RuleViolation, violation
from app.domain.text import is_blank

CSL = "《中华人民共和国公务员法》"
BASIS_PERIOD = f"{CSL}第六十四条"
BASIS_RELEASE = f"{CSL}第六十五条"
BASIS_BOTH = f"{CSL}第六十四条、第六十五条"
#: Periods run on when a further sanction comes within one (处分条例第十条), up to the release.
BASIS_RUN = f"《行政机关公务员处分条例》第十条及{BASIS_RELEASE}"
K = TypeVar("K")
NOT_RESTORED = (SanctionKind.DEMOTION.value, SanctionKind.DISMISSAL_FROM_POST.value)


class SanctionState(StrEnum):
    NONE = "无处分"
    IN_FORCE = "处分期内"
    ENDED = "期满待解除"
    RELEASED = "已解除"
    PERMANENT = "开除（不适用解除）"
    VOID = "已变更或撤销"


@dataclass(frozen=True)
class SanctionFacts:
    """What the rules need of one decision."""

    outcome: str
    sanction_kind: str | None
    effective_on: date
    sanction_end: date | None
    status: str = DecisionStatus.IN_FORCE.value
    released_on: date | None = None
    is_person: bool = True
    served_on: date | None = None  # the written decision's service (None: not served)
    #: 第十四条: the release of the sanction a review changed into this one. The changed
    #: sanction is lighter and its period counts from the original decision's effect, so it
    #: ended by then too: the release on record stands for it (no second release).
    carried_release: date | None = None


@dataclass(frozen=True)
class ReleaseSpec:
    released_on: date
    conduct: str  # 受处分期间的表现（悔改表现）
    confirmed_by: str
    new_violation: bool = False
    note: str = ""


def sanction_state(f: SanctionFacts, today: date) -> SanctionState:
    if f.status != DecisionStatus.IN_FORCE.value:
        return SanctionState.VOID
    if f.outcome != DecisionOutcome.ACCOUNTABLE.value or not f.sanction_kind:
        return SanctionState.NONE
    if f.released_on is not None or f.carried_release is not None:
        return SanctionState.RELEASED
    if f.sanction_kind == SanctionKind.EXPULSION.value or f.sanction_end is None:
        return SanctionState.PERMANENT
    return SanctionState.IN_FORCE if today <= f.sanction_end else SanctionState.ENDED


def period_start(effective_on: date, changed_from: date | None) -> date:
    """The day a sanction's period counts from (处分条例第十条 places it there in a run): its
    decision's effect, or for a decision a review changed (第十四条), the effect of the
    original decision — the changed sanction takes effect with the review, but its period
    was counted from the original (its ``sanction_end``), not made longer by the review."""
    return changed_from if changed_from is not None else effective_on


def earliest_release(f: SanctionFacts) -> date | None:
    """The first day a release may take effect: the day after the period's last day."""
    return None if f.sanction_end is None else f.sanction_end + timedelta(days=1)


@dataclass(frozen=True)
class LaterSanction:
    """Another sanction of the same person, in force (its number, kind, effective day and
    the end of its own period: None for 开除)."""

    doc_number: str
    sanction_kind: str
    effective_on: date
    sanction_end: date | None = None
    hidden: bool = False  # in a case hidden from the user who acts (第十二条): not described

    # Worked out once a sanction: a walk through the runs (_runs) reads them for every
    # sanction of the person, and the batch demo walks a person's hundreds again and again.
    @cached_property
    def own_end(self) -> date | None:
        """The last day of its own period (None: 开除)."""
        if self.sanction_kind == _EXPULSION:
            return None
        return self.sanction_end or sanction_period_end(self.sanction_kind, self.effective_on)

    @cached_property
    def longest_end(self) -> date:
        """The latest a run it extends may end: 48 months from its effect (第十条)."""
        return add_months(self.effective_on, MAX_PERIOD_MONTHS)


#: 《行政机关公务员处分条例》第十条: 处分期最长不得超过48个月.
MAX_PERIOD_MONTHS = 48


def period_end(f: SanctionFacts, others: Sequence[LaterSanction]) -> date | None:
    """The last day of the period the person actually serves for this sanction.

    处分条例第十条: sanctioned again within a period, the period becomes what was left of it
    plus the new one, 48 months at most counted from the new one (「处分期最长不得超过48个月」
    bounds that period, never below the new sanction's own), and every sanction of that run
    is served until its end. None when the run includes 开除 (no period, nothing to release).
    """
    return _run(f, others)[1]


def run_ends(sanctions: Mapping[K, LaterSanction]) -> dict[K, date | None]:
    """Each of one person's sanctions in force (by key) with the last day of the period it is
    served (:func:`period_end`: the run of 处分条例第十条 it is part of); None when that run
    includes 开除. What is due (处分期满, ``app.domain.due``) and the 解除处分 list read this
    one definition.

    One walk through the person's sanctions gives every run (a person sanctioned hundreds
    of times took a walk per sanction: quadratic). It is the walk :func:`_run_of` takes for
    each sanction alone — the runs do not depend on where among those taking effect the same
    day a sanction is walked, as long as no period ends before it begins; otherwise, each
    sanction is walked alone, in its own place."""
    items = list(sanctions.items())
    if any((own := _own_end(o)) is not None and own < o.effective_on for _k, o in items):
        return {key: _run_of(mine, [o for k, o in items if k != key])[1] for key, mine in items}
    ordered = sorted(items, key=lambda kv: kv[1].effective_on)
    out: dict[K, date | None] = {}
    for positions, end in _runs([o for _k, o in ordered]):
        for i in positions:
            out[ordered[i][0]] = end
    return {key: out[key] for key, _o in items}


def _run(
    f: SanctionFacts, others: Sequence[LaterSanction]
) -> tuple[list[LaterSanction], date | None]:
    return _run_of(LaterSanction("", f.sanction_kind or "", f.effective_on, f.sanction_end), others)


def _run_of(
    mine: LaterSanction, others: Sequence[LaterSanction]
) -> tuple[list[LaterSanction], date | None]:
    """The person's other sanctions in this one's run, and the run's last day (see above)."""
    ordered = sorted([*others, mine], key=lambda x: x.effective_on)
    for positions, end in _runs(ordered):
        if any(ordered[i] is mine for i in positions):
            return [ordered[i] for i in positions if ordered[i] is not mine], end
    raise AssertionError("unreachable: mine is in a run")  # pragma: no cover


#: Where a walk through a person's sanctions in order of effect stands after one of them:
#: the position of its run's first sanction, the run's last day so far, whether the run
#: includes 开除 (it then has no end).
RunAt = tuple[int, "date | None", bool]


def _joined(at: RunAt | None, i: int, o: LaterSanction) -> RunAt:
    """The walk after sanction ``o`` at position ``i``: it extends the run it takes effect
    within (处分条例第十条: what was left plus its own period, 48 months at most), or
    begins one."""
    own = o.own_end
    if at is None:
        return i, own, own is None
    start, end, permanent = at
    if not (permanent or (end is not None and o.effective_on <= end)):
        return i, own, own is None
    if own is None or permanent or end is None:
        return start, end, True
    return start, min(own + (end - o.effective_on), o.longest_end), False


def _runs(ordered: Sequence[LaterSanction]) -> Iterator[tuple[list[int], date | None]]:
    """The runs of sanctions ``ordered`` by effect (their positions there) and each run's last
    day: each sanction that takes effect within the run extends it (None: 开除 in the run)."""
    at: RunAt | None = None
    for i, o in enumerate(ordered):
        now = _joined(at, i, o)
        if at is not None and now[0] != at[0]:
            yield list(range(at[0], i)), None if at[2] else at[1]
        at = now
    if at is not None:
        yield list(range(at[0], len(ordered))), None if at[2] else at[1]


@dataclass(frozen=True)
class PriorRun:
    """处分条例第十条: a sanction that took effect within the period of others — those
    sanctions (in order of effect), the day their period was to end (what was left of it
    counts from the new effect), and the end of the period the new one gives (what was left
    plus its own period), which its 决定书 states."""

    run: tuple[LaterSanction, ...]
    before: date
    end: date
    capped: bool  # 「处分期最长不得超过48个月」 shortened it


def prior_run(mine: LaterSanction, others: Sequence[LaterSanction]) -> PriorRun | None:
    """The run ``mine`` joined when it took effect (others of the person that took effect on
    or before it, in force): what its decision states as the period, the day it is issued.
    None when it began no run of another's (its own period stands) or the run has no end
    (开除). Those that come later move the run again (:func:`run_ends`) and state it in
    their own decisions."""
    return PersonRuns(others).prior(mine)


class PersonRuns:
    """One person's sanctions in force in order of effect (those of one day in the order
    given), walked once into their runs and walked on as sanctions are added: the run a
    new sanction joins (:func:`prior_run`) is read off where the walk stands on its day,
    not walked again through every earlier sanction (the batch demo issues decisions for
    persons sanctioned hundreds of times)."""

    def __init__(self, sanctions: Iterable[LaterSanction] = ()) -> None:
        self.items: list[LaterSanction] = sorted(sanctions, key=lambda o: o.effective_on)
        self.days = [o.effective_on for o in self.items]
        self.walk: list[RunAt] = []  # where the walk stands after each of the first items

    def add(self, sanction: LaterSanction) -> None:
        """One more sanction, after those of its day; the walk from there is walked again."""
        i = bisect_right(self.days, sanction.effective_on)
        self.items.insert(i, sanction)
        self.days.insert(i, sanction.effective_on)
        del self.walk[i:]

    def prior(self, mine: LaterSanction) -> PriorRun | None:
        """:func:`prior_run` of ``mine`` (none of these) against these sanctions. One walk:
        ``mine`` takes effect last among those of its day or before (as _run_of places it),
        so it joins the last run among them or begins one; that run's end is ``before``."""
        n = bisect_right(self.days, mine.effective_on)
        walk, items = self.walk, self.items
        for i in range(len(walk), n):
            walk.append(_joined(walk[-1] if walk else None, i, items[i]))
        own = _own_end(mine)
        if not n or walk[n - 1][2] or own is None:
            return None  # no run before it, or 开除 in its run: the run has no end
        start, before, _permanent = walk[n - 1]
        if before is None or mine.effective_on > before:
            return None
        left = before - mine.effective_on
        end = min(own + left, mine.longest_end)  # as _runs extends a run
        return PriorRun(tuple(items[start:n]), before, end, end < own + left)


def _own_end(o: LaterSanction) -> date | None:
    return o.own_end


_EXPULSION = SanctionKind.EXPULSION.value


def later_sanction_problems(
    f: SanctionFacts, others: Sequence[LaterSanction], released_on: date | None = None
) -> list[RuleViolation]:
    """《行政机关公务员处分条例》第十条: sanctioned again within the period, the period runs
    on to the sum of what was left of it and the new one (:func:`period_end`), so the
    sanction is not released before that run ends. ``released_on`` None: on any day."""
    if f.sanction_end is None:
        return []
    run, end = _run(f, others)
    if end is not None and (end <= f.sanction_end or (released_on and released_on > end)):
        return []
    last = max(run, key=lambda x: x.effective_on)
    said = (
        "受处分期间又受到其他处分，"
        if last.hidden
        else f"受处分期间于{last.effective_on.isoformat()}又受{last.sanction_kind}处分（{last.doc_number}），"
    )
    if end is None:
        return [violation(f"{BASIS_BOTH}", said + "开除处分不适用解除，不能解除", "decision")]
    return [
        violation(
            BASIS_RUN,
            said + f"处分期为尚未执行的期限与新处分期限之和，至{end.isoformat()}届满，"
            f"期满后（{(end + timedelta(days=1)).isoformat()}起）方可解除",
            "decision",
        )
    ]


@dataclass(frozen=True)
class Released:
    """A sanction of the person already released (its facts carry ``released_on``), with the
    person's other sanctions in force (:func:`period_end`'s ``others``)."""

    facts: SanctionFacts
    doc_number: str
    others: tuple[LaterSanction, ...] = ()
    hidden: bool = False  # in a case hidden from the user who acts (第十二条): not described


def released_run_problems(new: LaterSanction, released: Sequence[Released]) -> list[RuleViolation]:
    """处分条例第十条 and 公务员法第六十五条: a sanction that takes effect within the period of
    one already released runs that period on (:func:`period_end`) past its release, so the
    record would show a sanction released while its period still ran — the release
    :func:`check_release` refuses. Whatever records, moves or changes a sanction (a decision,
    its correction, a review that changes it) is refused there; on or after the release's
    period it is allowed (a new run)."""
    out: list[RuleViolation] = []
    for r in released:
        day = r.facts.released_on
        if day is None or later_sanction_problems(r.facts, r.others, day):
            continue  # not released, or already so on record: not this act's doing
        if not later_sanction_problems(r.facts, [*r.others, new], day):
            continue
        end = period_end(r.facts, [*r.others, new])
        said = (
            "该人员在其他案件中受到的处分已经解除"
            if r.hidden
            else f"该人员的{r.facts.sanction_kind}处分（{r.doc_number}）已于{day.isoformat()}解除"
        )
        runs = "处分期间不再届满" if end is None else f"处分期将延至{end.isoformat()}"
        out.append(
            violation(
                BASIS_RUN,
                f"{said}；本处分于{new.effective_on.isoformat()}生效，在该处分的处分期间内，"
                f"{runs}，已作出的解除处分将成为期内解除；生效日期不能在该处分的处分期间内",
                "effective_on",
            )
        )
    return out


def batch_problems(releases_on_record: int) -> list[RuleViolation]:
    """The batch demo path tries each sanction it writes against the sanctions of its own
    batch only; one taking effect within a period already released (:func:`released_run_problems`)
    would pass unseen, so the batch does not run beside releases on record."""
    if not releases_on_record:
        return []
    return [
        violation(
            BASIS_RUN,
            f"数据库中已有解除处分{releases_on_record}件，批量生成的处分可能落入已解除处分的"
            "期间；请使用新的数据目录，或逐件生成（少于2000件且不加 --bulk）",
            "cases",
        )
    ]


def confirmer_problems(
    confirmed_by: str, recused: Iterable[str], subjects: Iterable[str] = ()
) -> list[RuleViolation]:
    """第十二条: who confirms the release acts on the case, and the notice names him; one who
    withdrew from it may not (「纪委副书记 严守法」, 「严守法（副书记）」 name 严守法, as
    :func:`app.domain.text.names_person` reads a 送达人), nor a person who is a subject of
    the case (``subjects``): the sanctioned person does not confirm his own remorse, the
    strongest interest of all."""

    return signer_problems(
        confirmed_by, recused, subjects,
        case="本案", matter="解除处分", act="确认解除处分", field="confirmed_by",
    )  # fmt: skip


def _not_a_day(day: object) -> list[RuleViolation]:
    """A release is dated by a day: a text or a moment (a script's, an import's) failed the
    comparisons with the service's date in a TypeError, a crash where a refusal belongs."""
    if isinstance(day, date) and not isinstance(day, datetime):
        return []
    return [violation(BASIS_RELEASE, "解除日期须为日期（年月日）", "released_on")]


def check_release(
    f: SanctionFacts, spec: ReleaseSpec, clock: Clock, others: Sequence[LaterSanction] = ()
) -> list[RuleViolation]:
    """``others``: the person's other sanctions in force (:func:`later_sanction_problems`);
    ``clock``: today and the bureau's earliest date, which bound the release's date."""
    state = sanction_state(f, clock.today)
    if state is SanctionState.VOID:
        return [violation(BASIS_RELEASE, "该处理决定已变更或撤销，没有可解除的处分", "decision")]
    if state is SanctionState.NONE:
        return [violation(BASIS_RELEASE, "该处理决定没有给予行政处分，无需解除", "decision")]
    if state is SanctionState.RELEASED and f.released_on is None and f.carried_release:
        return [
            violation(
                f"第十四条及{BASIS_RELEASE}",
                f"复核变更前的原处分已于{f.carried_release.isoformat()}解除，变更后的处分期间"
                "自原处理决定生效之日起计算，亦已届满，随原处分的解除一并解除，不能重复解除",
                "decision",
            )
        ]
    if state is SanctionState.RELEASED:
        return [
            violation(
                BASIS_RELEASE,
                f"该处分已于{f.released_on.isoformat() if f.released_on else ''}解除，不能重复解除",
                "decision",
            )
        ]
    if state is SanctionState.PERMANENT:
        return [
            violation(
                BASIS_BOTH,
                "开除处分没有处分期间，解除处分只适用于开除以外的处分，不能解除",
                "decision",
            )
        ]
    if f.served_on is None:
        return [
            violation(
                f"第十三条及{BASIS_PERIOD}",
                "该处理决定尚未书面送达，处分期间尚未开始计算，不能解除处分",
                "decision",
            )
        ]
    if odd := _not_a_day(spec.released_on):
        return odd
    out: list[RuleViolation] = []
    first = earliest_release(f)
    if spec.released_on < f.served_on:
        out.append(
            violation(
                f"第十三条及{BASIS_RELEASE}",
                f"处理决定于{f.served_on.isoformat()}书面送达，解除处分的日期不能早于送达日期",
                "released_on",
            )
        )
    dated = date_problems(spec.released_on, "解除日期", clock, BASIS_RELEASE, "released_on")
    if dated:
        out += dated
    elif first is not None and spec.released_on < first:
        assert f.sanction_end is not None
        out.append(
            violation(
                BASIS_BOTH,
                f"{f.sanction_kind}处分的处分期间至{f.sanction_end.isoformat()}届满，"
                f"期满后（{first.isoformat()}起）方可解除，期内不能解除",
                "released_on",
            )
        )
    out += later_sanction_problems(f, others, spec.released_on)
    if spec.new_violation:
        out.append(
            violation(
                BASIS_RELEASE,
                "受处分期间又发生违纪违法行为的，不能解除处分，应当依法另行处理",
                "new_violation",
            )
        )
    if is_blank(spec.conduct):
        out.append(violation(BASIS_RELEASE, "须写明受处分期间的表现（有无悔改表现）", "conduct"))
    if is_blank(spec.confirmed_by):
        out.append(violation(BASIS_RELEASE, "须写明确认解除处分的人员", "confirmed_by"))
    if not f.is_person:
        out.append(violation(BASIS_RELEASE, "解除处分只适用于受处分的执法人员个人", "decision"))
    return out


def not_restored_sentence(kind: str) -> str:
    """The sentence the notice must carry for 降级 and 撤职 (第六十五条), else ''."""
    if kind in NOT_RESTORED:
        return f"解除{kind}处分的，不视为恢复原级别、原职务、原职级。"
    return ""


def review_after_release_problems(
    released_on: date | None, review_on: date, outcome: str
) -> list[RuleViolation]:
    """第十四条 and 第六十五条: a sanction released on ``released_on`` stood until then, so a
    review decision that changes or revokes it is not dated before its release (the record
    would show the release of a sanction no longer in force). On or after it, an error found
    is still corrected (第十四条：发现处理错误的，应当及时纠正)."""
    if released_on is None or outcome == ReviewOutcome.UPHOLD.value or review_on >= released_on:
        return []
    return [
        violation(
            f"第十四条及{BASIS_RELEASE}",
            f"该处分已于{released_on.isoformat()}解除，解除时处分仍然有效；"
            f"{outcome}该处理决定的复核决定日期（{review_on.isoformat()}）不能早于解除处分的日期",
            "decided_on",
        )
    ]


#: What a correction of a release may change (the sanction, its decision and period are
#: the record's own, re-derived; a new violation is never recorded as a release).
RELEASE_FIELDS = frozenset({"released_on", "conduct", "confirmed_by", "note"})


def release_correction_problems(
    f: SanctionFacts,
    spec: ReleaseSpec,
    clock: Clock,
    others: Sequence[LaterSanction] = (),
    review_on: date | None = None,
    notice_number: str = "",
) -> list[RuleViolation]:
    """第六十五条: a corrected release is a release — every check of :func:`check_release`
    on the corrected values, against the sanction as it stood when released (``f`` without
    the release on record). 第十四条: a release a review carried to the decision it changed
    (``review_on``, that review's date) stays dated on or before the review (the sanction
    was in force when released). An issued 解除处分通知书 keeps the number it took in its
    year (``notice_number``): the corrected date stays in that year, and the corrected
    notice is issued again under the same number."""
    if odd := _not_a_day(spec.released_on):
        return odd
    was = replace(f, status=DecisionStatus.IN_FORCE.value, released_on=None, carried_release=None)
    out = check_release(was, spec, clock, others)
    if review_on is not None:
        out += review_after_release_problems(spec.released_on, review_on, ReviewOutcome.CHANGE)
    if notice_number:
        out += number_year_problems(
            notice_number, spec.released_on, "解除日期", BASIS_RELEASE,
            "解除处分通知书的日期即解除日期，已按该年编号印发", "released_on",
        )  # fmt: skip
    return out


def correction_void_problems() -> list[RuleViolation]:
    """第十四条: a release of a decision revoked on review (or corrected, and not carried to
    the decision that replaced it) releases nothing that stands; it is not corrected."""
    return [
        violation(
            f"第十四条及{BASIS_RELEASE}",
            "所解除处分的处理决定已被更正或经复核撤销，没有可解除的处分，解除处分记录不能再更正",
            "decision",
        )
    ]
