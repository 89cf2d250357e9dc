"""How heavy a treatment is: the ranks that 第十四条 (a review makes nothing heavier) and the
precedents compare. Pure; the rules in :mod:`app.domain.rules` call it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.enums import AccountabilityForm, DecisionOutcome, SanctionKind

if TYPE_CHECKING:
    from app.domain.rules import SanctionSpec

_FORM_RANK = {
    AccountabilityForm.WRITTEN_SELF_CRITICISM: 1,
    AccountabilityForm.CIRCULATED_CRITICISM: 2,
    AccountabilityForm.OTHER: 2,
    AccountabilityForm.ORDERED_RESIGNATION: 8,
}
_SANCTION_RANK = {
    SanctionKind.WARNING: 3,
    SanctionKind.DEMERIT: 4,
    SanctionKind.MAJOR_DEMERIT: 5,
    SanctionKind.DEMOTION: 6,
    SanctionKind.DISMISSAL_FROM_POST: 7,
    SanctionKind.EXPULSION: 9,
}


def severity(spec: SanctionSpec) -> int:
    """A rank for comparing outcomes; 0 means no accountability."""
    if spec.outcome is not DecisionOutcome.ACCOUNTABLE:
        return 0
    ranks = [_FORM_RANK.get(f, 0) for f in spec.forms]
    if spec.sanction_kind is not None:
        ranks.append(_SANCTION_RANK[spec.sanction_kind])
    return max(ranks, default=0)


def _ranked_max(spec: SanctionSpec) -> int:
    """The heaviest of ``spec``'s measures that have a rank of their own: every form but
    “其他方式”, whose weight depends on what it is (诫勉谈话 or 免职) and so ranks nothing."""
    ranks = [
        _FORM_RANK[f] for f in spec.forms if f in _FORM_RANK and f is not AccountabilityForm.OTHER
    ]
    if AccountabilityForm.ADMINISTRATIVE_SANCTION in spec.forms and spec.sanction_kind is not None:
        ranks.append(_SANCTION_RANK[spec.sanction_kind])
    return max(ranks, default=0)


def _retained(form: AccountabilityForm, new: SanctionSpec, old: SanctionSpec) -> bool:
    """A measure of ``new`` that ``old`` already imposed, no heavier: the same form, the same
    “其他方式” (written the same), a sanction kind no heavier than the original one."""
    if form not in old.forms:
        return False
    if form is AccountabilityForm.OTHER:
        text = new.other_form_text.strip()
        return bool(text) and text == old.other_form_text.strip()
    if form is AccountabilityForm.ADMINISTRATIVE_SANCTION:
        kinds = (new.sanction_kind, old.sanction_kind)
        return None not in kinds and _SANCTION_RANK[kinds[0]] <= _SANCTION_RANK[kinds[1]]  # type: ignore[index]
    return True


def not_heavier(new: SanctionSpec, old: SanctionSpec) -> bool:
    """Whether ``new`` is established to be no heavier than ``old`` (第十四条: a review does
    not make the treatment heavier). Established only where it can be: no accountability at
    all; every measure of ``new`` one ``old`` imposed (no heavier); or the measures added are
    ranked and ``new``'s heaviest ranks below ``old``'s. A “其他方式” other than the original
    (诫勉谈话 → 免职), or a measure added at the original's rank, is not established."""
    if new.transfer_to_judicial and not old.transfer_to_judicial:
        return False
    if new.outcome is not DecisionOutcome.ACCOUNTABLE:
        return True
    if old.outcome is not DecisionOutcome.ACCOUNTABLE:
        return False
    added = [f for f in new.forms if not _retained(f, new, old)]
    if not added:
        return True
    unranked = AccountabilityForm.OTHER in added or (
        AccountabilityForm.ADMINISTRATIVE_SANCTION in added and new.sanction_kind is None
    )
    return not unranked and _ranked_max(new) < _ranked_max(old)


def is_heavier(new: SanctionSpec, old: SanctionSpec) -> bool:
    """Heavier, or not shown to be lighter or equal (see :func:`not_heavier`)."""
    return not not_heavier(new, old)
