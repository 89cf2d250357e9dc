"""Who signs for a unit: its head, but never one a decision in force has removed.

A 送达回证 served on a unit names the unit's 负责人 who signs for it. Three measures take the
leading post away: 责令辞职 (第十一条第（三）项; 《公务员法》第八十七条: 责令其辞去领导职务),
and of the sanctions 《公务员法》第六十二条 lists, 撤职 (the post) and 开除 (the person's
service: 《行政机关公务员处分条例》第九条, 解除其与单位的人事关系). Once such a decision is
in force (it cannot be dated after today, so it has taken effect), the roster's 「领导职务」
mark is stale, and the proof must not name him as the unit's head. A decision changed or
revoked on review (第十四条) no longer counts: only the version in force does. With no head
to name, the proof says 「某单位负责人」 and the signature names who signed (``signer``,
resolved when the service is recorded). Known limit: someone appointed head again after such
a decision is not named either (the roster keeps no date of appointment); the proof then
reads 「某单位负责人」, unless the officer writes the signer as the recipient.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.case import CaseState
from app.domain.enums import AccountabilityForm, DecisionStatus, SanctionKind, SubjectKind
from app.domain.rules import RuleViolation, SanctionSpec, violation

#: A unit id to the name of its signing head ("" when none).
HeadOf = Callable[[int | None], str]

#: The sanctions that end a person's post (撤职) or service (开除).
REMOVING = frozenset({SanctionKind.DISMISSAL_FROM_POST.value, SanctionKind.EXPULSION.value})
#: The accountability forms that end a leading post (责令辞职).
REMOVING_FORMS = frozenset({AccountabilityForm.ORDERED_RESIGNATION.value})


@dataclass(frozen=True)
class Leader:
    """A roster entry marked as holding a leading post in a unit."""

    person_id: int
    name: str
    active: bool = True


def takes_post(sanction_kind: str | None, forms: Iterable[str] = ()) -> bool:
    """Whether a measure takes its subject off his post: 撤职, 开除 or 责令辞职."""
    return str(sanction_kind) in REMOVING or any(str(f) in REMOVING_FORMS for f in forms)


def spec_takes_post(spec: SanctionSpec) -> bool:
    """:func:`takes_post` of what a report recommends or a decision imposes."""
    return takes_post(spec.sanction_kind, spec.forms)


def removes_from_post(
    status: str, sanction_kind: str | None, case_voided: bool = False, forms: Iterable[str] = ()
) -> bool:
    """Whether a decision takes its subject off his post: 撤职, 开除 or 责令辞职, in force, in
    a case that was not voided."""
    return (
        status == DecisionStatus.IN_FORCE
        and takes_post(sanction_kind, forms or ())
        and not case_voided
    )


def leads(roster_leader: bool, removed: bool) -> bool:
    """Whether a person proposed as a 问责对象 holds a leading post: the roster's 「领导职务」
    mark, unless a decision in force had taken the post away by the proposal's date (撤职、
    开除、责令辞职) — the mark is stale then, and what a leading post entails (责令辞职,
    《公务员法》第八十七条; 领导责任) no longer applies to him."""
    return roster_leader and not removed


def leads_after_redating(
    marked: bool, removed_then: bool, removed_now: bool, roster_leader: bool
) -> bool:
    """The 「领导职务」 mark of a person subject once the proposal's date is corrected, read at
    the new date as :func:`leads` reads it at a proposal. ``marked``: the mark the old date
    gave; ``removed_then`` / ``removed_now``: a decision in force had taken his post by the
    old / the new date; ``roster_leader``: the roster's mark today.

    A removal in effect by the new date takes the mark. A mark withheld only because of a
    removal comes back when the new date is before it, if the roster still marks him (it keeps
    no dates: a mark an administrator has since cleared is not restored). A mark the roster
    did not give at the proposal is not given by a date."""
    if removed_now:
        return False
    return marked or (removed_then and roster_leader)


def redated_mark_problems(
    name: str, new_day: date, measures: Iterable[SanctionSpec]
) -> list[RuleViolation]:
    """《公务员法》第八十七条: a correction of the proposal's date that takes the leader mark
    from a subject for whom the case recommends or decided 责令辞职 (a leading post's
    measure) would leave that measure on someone who held no leading post that day."""
    if not any(AccountabilityForm.ORDERED_RESIGNATION in m.forms for m in measures):
        return []
    return [
        violation(
            "《公务员法》第八十七条",
            f"提出日期改为{new_day.isoformat()}后，“{name}”在该日已因撤职、开除或责令辞职的决定"
            "不再担任领导职务，而本案对其建议或决定了责令辞职，责令辞职只适用于担任领导职务的"
            "人员；须先更正该建议或决定，才能这样更正提出日期",
            "proposed_on",
        )
    ]


def signing_head(leaders: Iterable[Leader], removed: Collection[int]) -> str:
    """The name of the head who signs for the unit, or '' when none may be named.

    The first active leader by roster id, passing over anyone a sanction in force removed
    (``removed``: person ids). A leader who has left (inactive) is never named.
    """
    for leader in sorted(leaders, key=lambda x: x.person_id):
        if leader.active and leader.person_id not in removed:
            return leader.name
    return ""


def removed_by(state: CaseState) -> frozenset[int]:
    """The persons the case's decisions in force take off their post (none once voided)."""
    return frozenset(removal_days(state))


def removal_days(state: CaseState) -> dict[int, date]:
    """Each person the case's decisions in force take off their post, with the day it took
    effect (none once voided): a leader proposed before that day was one (:func:`leads`)."""
    out: dict[int, date] = {}
    for d in state.in_force():
        sub = state.subject(d.subject_id)
        live = d.status == DecisionStatus.IN_FORCE and not state.voided
        if sub and sub.person_id and live and spec_takes_post(d.sanction):
            out[sub.person_id] = min(d.effective_on, out.get(sub.person_id, date.max))
    return out


class HeadBook:
    """The signing heads of units while a batch of cases is applied in memory (the batch
    demo): the roster's leaders, less those each case's decisions in force remove; the
    service reads the same from the tables at each issue."""

    def __init__(self, leaders: Iterable[tuple[int, Leader]], removed: Iterable[int]) -> None:
        self._leaders: dict[int, list[Leader]] = {}
        self._unit_of: dict[int, int] = {}
        for unit_id, leader in leaders:
            self._leaders.setdefault(unit_id, []).append(leader)
            self._unit_of[leader.person_id] = unit_id
        # person -> the cases removing him (0: decisions on record before the batch)
        self._removing: dict[int, set[int]] = {p: {0} for p in removed}
        self._by_case: dict[int, frozenset[int]] = {}
        self._heads = {u: signing_head(ls, self._removing) for u, ls in self._leaders.items()}

    def head(self, unit_id: int | None) -> str:
        return self._heads.get(unit_id, "") if unit_id is not None else ""

    def case_changed(self, state: CaseState) -> None:
        """After an act on a case's decisions: who its decisions remove now."""
        now = removed_by(state) & self._unit_of.keys()
        before = self._by_case.get(state.id, frozenset())
        if now == before:
            return
        self._by_case[state.id] = now
        for person_id in now - before:
            self._removing.setdefault(person_id, set()).add(state.id)
        for person_id in before - now:
            cases = self._removing[person_id]
            cases.discard(state.id)
            if not cases:
                del self._removing[person_id]
        for unit_id in {self._unit_of[p] for p in now ^ before}:
            self._heads[unit_id] = signing_head(self._leaders[unit_id], self._removing)


def signer(kind: str, name: str, unit_id: int | None, given: str, head_of: HeadOf) -> str:
    """Who signs for a served subject, as the service record keeps it: a person by name; a
    unit through its head by name (第十三条). Resolved when the service is recorded, so the
    送达回证 and the dossier, drafted later, name the head who signed that day even if a
    later 撤职, 开除 or 责令辞职 has removed him."""
    given = (given or "").strip()
    if kind == SubjectKind.PERSON:
        return name if given in ("", "本人") else given
    if given in ("", "本人", name):
        given = head_of(unit_id)
    if not given:
        return f"{name}负责人"
    if "负责人" in given:
        return given  # the officer already wrote the title (「城区一中队负责人万轩」)
    return f"{given}（{name}负责人）"
