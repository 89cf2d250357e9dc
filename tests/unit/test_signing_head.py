"""Who signs for a unit on a 送达回证 (app.domain.signing): its head, never one a 撤职 or
开除 in force has removed (《公务员法》第六十二条) and never one who has left.

The rule alone (no database), then through the real services and the batch demo on the same
plans: a unit's head is given 撤职 in one case; in a later case the unit is served with the
recipient written as the unit itself, so the proof names the unit's head from the roster.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.case import CaseState, DecisionOrigin, DecisionRec, Subject
from app.domain.enums import DecisionStatus, DocumentKind, SubjectKind
from app.domain.lifecycle import Stage
from app.domain.rules import SanctionSpec
from app.domain.signing import (
    REMOVING,
    HeadBook,
    Leader,
    removed_by,
    signing_head,
    spec_takes_post,
)
from app.services.bulk import BatchDemo
from app.services.demo import Decide, Issue, Propose, Serve, run_plan
from app.storage.models import IssuedDocument
from tests.conftest import Clock
from tests.unit.test_golden_bulk import (
    SEED,
    _dump,
    _plans,
    _repeatable_nonces,
    _services,
    differences,
)

REMOVAL = SanctionSpec.of("予以问责", ["行政处分"], "撤职", reasons="r")
DEMERIT = SanctionSpec.of("予以问责", ["行政处分"], "记过", reasons="r")
HEAD = Subject(1, SubjectKind.PERSON, "万轩", person_id=7, unit_id=2, is_leader=True)


def _case(
    sanction: SanctionSpec, status: DecisionStatus = DecisionStatus.IN_FORCE, **kw
) -> CaseState:  # type: ignore[no-untyped-def]
    d = DecisionRec(
        5, 1, status, DecisionOrigin.PARTY_GROUP, date(2026, 4, 1), date(2026, 4, 1), sanction
    )
    values = dict(id=3, number="WZ2026-0003", stage=Stage.DECIDED, proposed_on=date(2026, 3, 2),
                  subjects=(HEAD,), decisions=(d,))  # fmt: skip
    values.update(kw)
    return CaseState(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the rule


def test_the_first_active_leader_not_removed_signs() -> None:
    leaders = [Leader(9, "周正"), Leader(7, "万轩"), Leader(4, "李默", active=False)]
    assert signing_head(leaders, set()) == "万轩"  # by roster id; one who left never signs
    assert signing_head(leaders, {7}) == "周正"
    assert signing_head(leaders, {7, 9}) == ""  # none to name: the proof says 「…负责人」
    assert signing_head([], set()) == ""


def test_only_a_removal_in_force_in_a_live_case_removes() -> None:
    assert removed_by(_case(REMOVAL)) == {7}
    expelled = SanctionSpec.of("予以问责", ["行政处分"], "开除", reasons="r")
    assert removed_by(_case(expelled)) == {7}
    assert {"撤职", "开除"} == set(REMOVING)
    assert removed_by(_case(DEMERIT)) == frozenset()
    assert removed_by(_case(REMOVAL, DecisionStatus.REVOKED)) == frozenset()
    assert removed_by(_case(REMOVAL, DecisionStatus.SUPERSEDED)) == frozenset()
    assert removed_by(_case(REMOVAL, voided=True)) == frozenset()
    unit = Subject(1, SubjectKind.SQUAD, "城区一中队", unit_id=2)
    assert removed_by(_case(REMOVAL, subjects=(unit,))) == frozenset()


def test_the_batch_book_follows_each_case_and_a_revocation_restores() -> None:
    book = HeadBook([(2, Leader(7, "万轩")), (2, Leader(9, "周正")), (5, Leader(11, "黄河"))], [])
    assert (book.head(2), book.head(5), book.head(None), book.head(99)) == ("万轩", "黄河", "", "")
    book.case_changed(_case(REMOVAL))
    assert book.head(2) == "周正"
    book.case_changed(_case(REMOVAL, id=4))  # a second case removing him too
    book.case_changed(_case(REMOVAL, DecisionStatus.REVOKED))  # the first revoked on review
    assert book.head(2) == "周正"  # the second still removes him
    book.case_changed(_case(REMOVAL, DecisionStatus.REVOKED, id=4))
    assert book.head(2) == "万轩"
    assert HeadBook([(2, Leader(7, "万轩"))], [7]).head(2) == ""  # removed before the batch


# --------------------------------------------------------------------------- services, batch


def _removal_then_unit_service(svc):  # type: ignore[no-untyped-def]
    """From the demo's plans: one taking a unit's head off his post (撤职, 开除 or 责令辞职),
    and a later one (the plans run in issue order) serving
    that unit (its recipient written as the unit, so the proof reads the roster), and the head."""
    plans = _plans(svc, 400, SEED)
    for i, plan in enumerate(plans):
        subjects = next(a for a in plan.acts if isinstance(a, Propose)).spec.subjects
        for act in plan.acts:
            if not isinstance(act, Decide):
                continue
            sub = subjects[act.spec.subject_id]
            if not (sub.is_leader and sub.person_id and spec_takes_post(act.spec.sanction)):
                continue
            for later in plans[i + 1 :]:
                pos = next(
                    (k for k, s in enumerate(next(a for a in later.acts if isinstance(a, Propose)).spec.subjects)
                     if s.person_id is None and s.unit_id == sub.unit_id),
                    None,
                )  # fmt: skip
                proof = Issue(DocumentKind.SERVICE_PROOF, ("decision", pos))
                if pos is None or proof not in later.acts:
                    continue
                unit = next(a for a in later.acts if isinstance(a, Propose)).spec.subjects[pos]
                later.acts = [
                    Serve(a.pos, dataclasses.replace(a.spec, recipient=unit.name))
                    if isinstance(a, Serve) and a.pos == pos
                    else a
                    for a in later.acts
                ]
                return plan, later, sub
    raise AssertionError("no plan removes a unit's head before the unit is served")


def _recipients(svc) -> list[str]:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        contents = s.scalars(
            select(IssuedDocument.content)
            .where(IssuedDocument.kind == str(DocumentKind.SERVICE_PROOF))
            .order_by(IssuedDocument.id)
        ).all()
    out = []
    for content in contents:
        content = json.loads(content) if isinstance(content, str) else content
        for block in content["blocks"]:
            for row in block.get("rows", []):
                cells = [c["text"] for c in row["cells"]]
                if cells and cells[0] == "受送达人":
                    out.append(cells[1])
    return out


def _served_unit(later, head):  # type: ignore[no-untyped-def]
    """The unit of the removed head that the later plan serves."""
    subjects = next(a for a in later.acts if isinstance(a, Propose)).spec.subjects
    return next(s for s in subjects if s.person_id is None and s.unit_id == head.unit_id)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("signing")
    clock = Clock()
    a = _services(tmp / "a", clock)
    removal, later, head = _removal_then_unit_service(a)
    return tmp, clock, removal, later, head


def test_a_removed_head_is_not_named_on_a_later_proof_by_the_services_or_the_batch(world) -> None:  # type: ignore[no-untyped-def]
    tmp, clock, removal, later, head = world
    unit = _served_unit(later, head)
    # Without the removal the roster's head signs for the unit: the test can see a name.
    alone = _services(tmp / "alone", clock)
    assert _plans(alone, 0, SEED) == []
    run_plan(alone, later)
    assert [r for r in _recipients(alone) if unit.name in r] == [
        f"{head.name}（{unit.name}负责人）"
    ]

    svc = _services(tmp / "svc", clock)
    assert _plans(svc, 0, SEED) == []
    # The same sealing nonces on both paths: a lead's audit record names its blob's digest.
    with _repeatable_nonces():
        for plan in (removal, later):
            run_plan(svc, plan)
    # The head signs his own proof as a person; for the unit, no one is named (the demo's
    # units have one leader each), so the signature on the proof names who signs.
    signed = [r for r in _recipients(svc) if unit.name in r]  # (the removal may serve it too)
    assert signed and set(signed) == {f"{unit.name}负责人"}, signed
    rows = _dump(svc)
    # The batch demo, in one transaction and with the removal committed before the unit's case.
    for chunk in (2, 1):
        b = _services(tmp / f"batch{chunk}", clock)
        assert _plans(b, 0, SEED) == []
        with _repeatable_nonces():
            BatchDemo(b.ctx, b).write([removal, later], chunk=chunk)
        diff = differences(rows, _dump(b))
        assert not diff, "\n".join(diff[:20])


def test_the_demo_never_names_a_head_it_removed(world) -> None:  # type: ignore[no-untyped-def]
    tmp, clock, *_ = world
    svc = _services(tmp / "plans", clock)
    plans = _plans(svc, 400, SEED)
    removed: set[int] = set()
    names = {p.id: p.name for p in svc.masterdata.list_people()}
    checked = 0
    for plan in plans:
        subjects = next(a for a in plan.acts if isinstance(a, Propose)).spec.subjects
        for act in plan.acts:
            if isinstance(act, Serve) and subjects[act.pos].person_id is None:
                checked += 1
                assert not any(names[p] in act.spec.recipient for p in removed), act.spec.recipient
            kind = str(act.spec.sanction.sanction_kind) if isinstance(act, Decide) else ""
            if kind in REMOVING and subjects[act.spec.subject_id].is_leader:
                removed.add(subjects[act.spec.subject_id].person_id)
    assert removed and checked > 20


def test_who_signed_is_kept_when_the_head_is_removed_later(world) -> None:  # type: ignore[no-untyped-def]
    """The service record keeps the head who signed that day: a 撤职 recorded afterwards
    does not change the 送达回证 or the dossier drafted later (第十三条)."""
    from app.storage.models import Case, Decision, Service

    tmp, clock, removal, later, head = world
    unit = _served_unit(later, head)
    svc = _services(tmp / "signed-then-removed", clock)
    assert _plans(svc, 0, SEED) == []
    run_plan(svc, later)
    signed = f"{head.name}（{unit.name}负责人）"
    with svc.db.read() as s:
        case_id, decision_id, service_id, stored = s.execute(
            select(Case.id, Decision.id, Service.id, Service.recipient)
            .join(Decision, Decision.case_id == Case.id)
            .join(Service, Service.decision_id == Decision.id)
            .where(Service.recipient.contains(unit.name))
        ).one()
    assert stored == signed  # written as the unit: resolved when recorded
    run_plan(svc, removal)  # the head is removed afterwards
    assert svc.documents._head_of(head.unit_id) == ""  # today nobody heads the unit
    proof = json.dumps(
        svc.documents.draft_document(case_id, DocumentKind.SERVICE_PROOF, decision_id),
        ensure_ascii=False,
    )
    assert signed in proof
    # The dossier's 办理过程 (drafted when the case closes) reads the same record.
    history = svc.documents._history(svc.queries.get_case(case_id))
    assert any(f"受送达人：{signed}" in str(row) for row in history)
    # A correction that writes the unit again is resolved as the act is: by today's roster.
    new_id = svc.cases.correct_service(service_id, "受送达人笔误", recipient=unit.name)
    with svc.db.read() as s:
        assert s.get(Service, new_id).recipient == f"{unit.name}负责人"


# --------------------------------------------------------------------------- 责令辞职

RESIGNATION = SanctionSpec.of("予以问责", ["责令辞职"], reasons="r")


def test_an_ordered_resignation_in_force_removes_the_head_too() -> None:
    """「责令辞职 中队长 still signs」: 责令辞职 (第十一条第（三）项) takes the leading post away
    (《公务员法》第八十七条: 责令其辞去领导职务) just as 撤职 does."""
    assert removed_by(_case(RESIGNATION)) == {7}
    both = SanctionSpec.of("予以问责", ["责令辞职", "通报批评"], reasons="r")
    assert removed_by(_case(both)) == {7}
    assert removed_by(_case(RESIGNATION, DecisionStatus.REVOKED)) == frozenset()
    assert removed_by(_case(RESIGNATION, voided=True)) == frozenset()
    criticism = SanctionSpec.of("予以问责", ["通报批评"], reasons="r")
    assert removed_by(_case(criticism)) == frozenset()
    book = HeadBook([(2, Leader(7, "万轩")), (2, Leader(9, "周正"))], [])
    book.case_changed(_case(RESIGNATION))
    assert book.head(2) == "周正"


def test_a_head_ordered_to_resign_is_not_named_by_the_services(world) -> None:  # type: ignore[no-untyped-def]
    """Through the services: the head's 撤职 in the demo plan made an ordered resignation
    instead; the unit served in the later case is signed for by 「…负责人」, not by him."""
    tmp, clock, removal, later, head = world
    unit = _served_unit(later, head)
    resign = dataclasses.replace(
        removal,
        acts=[
            Decide(dataclasses.replace(a.spec, sanction=RESIGNATION))
            if isinstance(a, Decide) and a.spec.sanction.sanction_kind
            and str(a.spec.sanction.sanction_kind) in REMOVING
            else a
            for a in removal.acts
        ],
    )  # fmt: skip
    svc = _services(tmp / "resigned", clock)
    assert _plans(svc, 0, SEED) == []
    with _repeatable_nonces():
        for plan in (resign, later):
            run_plan(svc, plan)
    assert svc.documents._head_of(head.unit_id) == ""
    signed = [r for r in _recipients(svc) if unit.name in r]  # (the removal may serve it too)
    assert signed and set(signed) == {f"{unit.name}负责人"}, signed


def test_the_demo_never_proposes_a_removed_head_in_his_old_post(world) -> None:  # type: ignore[no-untyped-def]
    """A head the demo took off his post (撤职, 开除, 责令辞职) is not proposed as his unit's
    leader in a case begun on or after that day (「问责对象：某某（中队长）」 after his
    resignation), whichever order the plans were drawn in."""
    tmp, clock, *_ = world
    svc = _services(tmp / "proposals", clock)
    removed: dict[int, date] = {}
    proposed: list[tuple[int, date, str]] = []
    for plan in _plans(svc, 400, SEED):
        spec = next(a for a in plan.acts if isinstance(a, Propose)).spec
        proposed += [(s.person_id, spec.proposed_on, s.name) for s in spec.subjects if s.is_leader]
        for act in plan.acts:
            sub = spec.subjects[act.spec.subject_id] if isinstance(act, Decide) else None
            if sub and sub.is_leader and spec_takes_post(act.spec.sanction):
                removed[sub.person_id] = min(
                    act.spec.decided_on, removed.get(sub.person_id, date.max)
                )
    assert removed and len(proposed) > 20
    for person_id, on, name in proposed:
        assert on < removed.get(person_id, date.max), (name, on, removed[person_id])
