"""The monthly report, checked number by number against independent SQL of the database.

The scenario is built through the real services; the expected numbers come from raw SQL
written here (not from app.services.reporting), then the exported workbook is reopened.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import text

from app.domain import deadlines
from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    LeadChannel,
    LeadSource,
    RecusalMode,
    RecusalVerdict,
    ReviewOutcome,
    SanctionKind,
    ServiceMethod,
    StatementKind,
    SubjectKind,
)
from app.domain.lifecycle import Stage
from app.domain.regulation import clause_label
from app.domain.rules import (
    DecisionSpec,
    InitiationSpec,
    RecusalSpec,
    ReportItemSpec,
    ReportSpec,
    ReviewApplicationSpec,
    ReviewDecisionSpec,
    SanctionSpec,
    ServiceSpec,
    SubjectSpec,
)
from app.readmodels import Period
from app.services import build_services
from app.services.base import Actor
from app.services.vault import StaticKeyProvider
from tests.helpers.builders import LEADER_SANCTION, SQUAD_SANCTION, World, proposal

D = date


def minutes_of(day: date) -> str:
    """One minutes number a meeting day (the tests hold meetings on any day they need)."""
    return f"党组会议纪要〔{day.year}〕{day.timetuple().tm_yday}号"


def drive(
    svc,
    w: World,
    target: Stage,
    *,
    proposed: date,
    opened: date | None = None,
    days: int = 30,
    reported: date | None = None,
    decided: date | None = None,
    served: date | None = None,
    grounds: list[tuple[int, int]] | None = None,
    person_only: bool = False,
    sanctions: tuple[SanctionSpec, ...] = (SQUAD_SANCTION, LEADER_SANCTION),
) -> int:  # type: ignore[no-untyped-def]
    """Drive one case through the services with the dates given (the builders' steps)."""
    extra = {"grounds": grounds} if grounds else {}
    if person_only:
        extra["subjects"] = [SubjectSpec(SubjectKind.PERSON, "李赟", w.squad_id, w.officer_id)]
        sanctions = sanctions[-1:]
    cid = svc.cases.propose_case(proposal(w, proposed_on=proposed, **extra))
    if target is Stage.PROPOSED:
        return cid
    if target is Stage.NOT_INITIATED:
        svc.cases.decide_initiation(
            cid, InitiationSpec(opened, minutes_of(opened), False, reason="情节显著轻微")
        )
        return cid
    svc.cases.decide_initiation(
        cid, InitiationSpec(opened, minutes_of(opened), True, investigation_days=days)
    )
    if target is Stage.INVESTIGATING:
        return cid
    svc.cases.assign_investigator(cid, w.staff[0], declared_no_conflict=True, declared_on=opened)
    svc.cases.assign_investigator(cid, w.staff[1], declared_no_conflict=True, declared_on=opened)
    case = svc.queries.get_case(cid)
    for sub in case.subjects:
        svc.cases.record_statement(
            cid, sub.id, kind=StatementKind.DEFENCE, made_on=reported, content="无异议"
        )
    svc.cases.submit_report(
        cid,
        ReportSpec(
            reported,
            "经查属实。",
            "第七条第（五）项、第十一条",
            [
                ReportItemSpec(sub.id, "直接责任", sanction)
                for sub, sanction in zip(case.subjects, sanctions, strict=True)
            ],
        ),
    )
    if target is Stage.REPORTED:
        return cid
    for sub, sanction in zip(case.subjects, sanctions, strict=True):
        svc.cases.record_decision(
            cid,
            DecisionSpec(
                sub.id, decided, decided, minutes_of(decided), sanction, "=经查属实", "第七条"
            ),
        )
    if target is Stage.DECIDED:
        return cid
    for d in svc.queries.get_case(cid).decisions_in_force():
        svc.documents.issue_document(cid, "问责决定书", d.id)
        svc.cases.record_service(
            d.id,
            ServiceSpec(
                datetime.combine(served, datetime.min.time()) + timedelta(hours=9),
                "局机关纪委办公室",
                ServiceMethod.DIRECT,
                "受送达人",
                ["纪晓岚", "崔明远"],
            ),
        )
    return cid


def _serve_review(svc, w: World, cid: int, *, applied: date, decided: date | None, outcome):  # type: ignore[no-untyped-def]
    """Apply for review of the person's decision and, if ``decided``, decide it."""
    case = svc.queries.get_case(cid)
    person_decision = next(
        d for d in case.decisions_in_force() if case.subject(d.subject_id).kind == "执法人员"
    )
    app_id, _ = svc.cases.apply_review(
        person_decision.id, ReviewApplicationSpec(applied, "认为处分过重")
    )
    if decided is None:
        return
    svc.cases.assign_reviewer(cid, w.staff[2], declared_no_conflict=True, declared_on=applied)
    svc.cases.assign_reviewer(cid, w.staff[3], declared_no_conflict=True, declared_on=applied)
    new = None
    if outcome is ReviewOutcome.CHANGE:
        new = SanctionSpec.of(
            DecisionOutcome.ACCOUNTABLE,
            [AccountabilityForm.ADMINISTRATIVE_SANCTION],
            SanctionKind.WARNING,
            reasons="改为警告",
        )
    svc.cases.decide_review(
        app_id, ReviewDecisionSpec(decided, outcome, "理由充分", "复核查明", new_sanction=new)
    )


@pytest.fixture
def scenario(svc, world):  # type: ignore[no-untyped-def]
    """A year of cases whose November 2026 figures are known by construction."""
    cases: dict[str, int] = {}
    cases["A"] = drive(svc, world, Stage.PROPOSED, proposed=D(2026, 11, 3), grounds=[(7, 1)])
    cases["B"] = drive(
        svc, world, Stage.INVESTIGATING, proposed=D(2026, 11, 2), opened=D(2026, 11, 4)
    )
    cases["C"] = drive(  # investigation deadline passed in October: overdue
        svc, world, Stage.INVESTIGATING, proposed=D(2026, 10, 8), opened=D(2026, 10, 10), days=10
    )
    cases["D"] = drive(
        svc,
        world,
        Stage.SERVED,
        proposed=D(2026, 9, 1),
        opened=D(2026, 9, 3),
        reported=D(2026, 10, 20),
        decided=D(2026, 11, 5),
        served=D(2026, 11, 10),
        grounds=[(7, 5), (8, 2), (7, 11)],
        sanctions=(
            SanctionSpec.of(DecisionOutcome.NOT_ACCOUNTABLE, reasons="已整改"),
            LEADER_SANCTION,
        ),
    )
    cases["E"] = drive(  # reported, never decided: six-month case limit passed
        svc,
        world,
        Stage.REPORTED,
        proposed=D(2026, 3, 30),
        opened=D(2026, 4, 1),
        reported=D(2026, 4, 28),
        grounds=[(8, 5)],
    )
    cases["F"] = drive(
        svc,
        world,
        Stage.SERVED,
        proposed=D(2026, 8, 1),
        opened=D(2026, 8, 3),
        reported=D(2026, 8, 20),
        decided=D(2026, 9, 1),
        served=D(2026, 9, 2),
    )
    _serve_review(
        svc,
        world,
        cases["F"],
        applied=D(2026, 9, 20),
        decided=D(2026, 11, 12),
        outcome=ReviewOutcome.CHANGE,
    )
    cases["G"] = drive(
        svc,
        world,
        Stage.SERVED,
        proposed=D(2026, 7, 1),
        opened=D(2026, 7, 2),
        reported=D(2026, 7, 20),
        decided=D(2026, 8, 3),
        served=D(2026, 8, 5),
        person_only=True,
    )
    svc.cases.close_case(cases["G"], closed_on=D(2026, 11, 16), note="归档")
    cases["L"] = drive(  # a review applied for and never decided: overdue
        svc,
        world,
        Stage.SERVED,
        proposed=D(2026, 8, 10),
        opened=D(2026, 8, 11),
        reported=D(2026, 8, 25),
        decided=D(2026, 9, 1),
        served=D(2026, 9, 2),
    )
    _serve_review(svc, world, cases["L"], applied=D(2026, 9, 25), decided=None, outcome=None)
    cases["K"] = drive(
        svc, world, Stage.NOT_INITIATED, proposed=D(2026, 11, 1), opened=D(2026, 11, 6)
    )
    cases["H"] = drive(svc, world, Stage.PROPOSED, proposed=D(2026, 11, 9))
    svc.cases.void_case(cases["H"], "重复登记")
    cases["I"] = drive(
        svc, world, Stage.INVESTIGATING, proposed=D(2026, 11, 10), opened=D(2026, 11, 11)
    )
    svc.cases.record_recusal(
        cases["I"],
        RecusalSpec(
            world.staff[3],
            "调查人员",
            RecusalMode.SELF,
            "严守法",
            "系当事人近亲属",
            RecusalVerdict.GRANTED,
            D(2026, 11, 12),
        ),
    )
    cases["J"] = drive(svc, world, Stage.PROPOSED, proposed=D(2025, 11, 10), grounds=[(7, 3)])
    # Leads: two in November, one voided, one in October, one linked to the hidden case.
    lead = lambda day, **kw: svc.leads.register_lead(
        received_on=day,
        source=LeadSource.ACCUSATION,
        channel=LeadChannel.LETTER,
        content="反映执法人员推诿",
        anonymous=True,
        **kw,
    )
    lead(D(2026, 11, 2))
    lead(D(2026, 11, 20))
    svc.leads.void_lead(lead(D(2026, 11, 21)), "误登")
    lead(D(2026, 10, 30))
    svc.leads.link_lead(lead(D(2026, 11, 8)), cases["I"])
    # The report is made by the recused staff member: case I is invisible to them.
    viewer = build_services(
        svc.db,
        actor=Actor("yan", "严守法", person_id=world.staff[3]),
        data_dir=svc.ctx.data_dir,
        clock=svc.ctx.clock,
        keys=StaticKeyProvider(b"k" * 32),
    )
    return viewer, cases


# ----------------------------------------------------------------------------- independent SQL


# A Party group decision as last corrected: not one a correction replaced (README).
CORRECTED_AWAY = (
    "AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.replaces_id = d.id "
    "AND n.origin = '党组决定') "
)


class Oracle:
    """Raw SQL over the database, written from the README counting rules."""

    def __init__(self, db, viewer_person: int) -> None:  # type: ignore[no-untyped-def]
        self.engine = db.engine
        self.person = viewer_person

    def q(self, sql: str, **params):  # type: ignore[no-untyped-def]
        params = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    def one(self, sql: str, **params) -> int:  # type: ignore[no-untyped-def]
        return int(self.q(sql, **params)[0][0] or 0)

    @property
    def vis(self) -> str:
        return (
            "c.voided = false AND c.id NOT IN (SELECT case_id FROM recusals "
            f"WHERE person_id = {self.person} AND verdict = '准许')"
        )

    def counts(self, a: date, b: date, ref: date) -> dict[str, int]:
        v, nxt = self.vis, b + timedelta(days=1)
        out = {
            "leads": self.one(
                "SELECT count(*) FROM leads l LEFT JOIN cases c ON c.id = l.case_id "
                f"WHERE l.voided = false AND l.received_on BETWEEN :a AND :b "
                "AND (l.case_id IS NULL OR l.case_id NOT IN (SELECT case_id FROM recusals "
                f"WHERE person_id = {self.person} AND verdict = '准许'))",
                a=a,
                b=b,
            ),
            "proposed": self.one(
                f"SELECT count(*) FROM cases c WHERE {v} AND c.proposed_on BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "initiated": self.one(
                "SELECT count(DISTINCT m.case_id) FROM meetings m JOIN cases c ON c.id = m.case_id "
                f"WHERE {v} AND m.kind = '启动问责' AND m.outcome = '启动' "
                "AND m.superseded_by_id IS NULL AND m.meeting_date BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "not_initiated": self.one(
                "SELECT count(DISTINCT m.case_id) FROM meetings m JOIN cases c ON c.id = m.case_id "
                f"WHERE {v} AND m.kind = '启动问责' AND m.outcome = '不予启动' "
                "AND m.meeting_date BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "investigating": self.one(
                f"SELECT count(*) FROM cases c WHERE {v} AND c.opened_on <= :r "
                "AND (c.reported_on IS NULL OR c.reported_on > :r)",
                r=ref,
            ),
            "decided_cases": self.one(
                f"SELECT count(*) FROM cases c WHERE {v} AND c.decided_on BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "decisions": self.one(
                "SELECT count(*) FROM decisions d JOIN cases c ON c.id = d.case_id "
                f"WHERE {v} AND d.origin = '党组决定' {CORRECTED_AWAY}"
                "AND d.decided_on BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "accountable": self.one(
                "SELECT count(*) FROM decisions d JOIN cases c ON c.id = d.case_id "
                f"WHERE {v} AND d.origin = '党组决定' {CORRECTED_AWAY}AND d.outcome = '予以问责' "
                "AND d.decided_on BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "served": self.one(
                "SELECT count(*) FROM services x JOIN cases c ON c.id = x.case_id "
                f"WHERE {v} AND x.superseded_by_id IS NULL AND x.review_decision_id IS NULL "
                "AND x.served_at >= :a "
                "AND x.served_at < :n",
                a=a,
                n=nxt,
            ),
            "closed": self.one(
                f"SELECT count(*) FROM cases c WHERE {v} AND c.stage = '已结案' "
                "AND c.closed_on BETWEEN :a AND :b",
                a=a,
                b=b,
            ),
            "overdue_investigation": self.one(
                f"SELECT count(*) FROM cases c WHERE {v} AND c.opened_on <= :r "
                "AND c.investigation_deadline < :r "
                "AND (c.reported_on IS NULL OR c.reported_on > :r)",
                r=ref,
            ),
            "overdue_review": self.one(
                "SELECT count(*) FROM review_applications ra JOIN cases c ON c.id = ra.case_id "
                f"WHERE {v} AND ra.received_on <= :r AND ra.due_on < :r AND NOT EXISTS ("
                "SELECT 1 FROM review_decisions rd WHERE rd.application_id = ra.id "
                "AND rd.decided_on <= :r)",
                r=ref,
            ),
        }
        for outcome, key in (
            ("维持", "review_upheld"),
            ("变更", "review_changed"),
            ("撤销", "review_revoked"),
        ):
            out[key] = self.one(
                "SELECT count(*) FROM review_decisions rd JOIN cases c ON c.id = rd.case_id "
                f"WHERE {v} AND rd.outcome = :o AND rd.decided_on BETWEEN :a AND :b",
                o=outcome,
                a=a,
                b=b,
            )
        undecided = self.q(
            f"SELECT c.opened_on, c.time_limit_extended FROM cases c WHERE {v} "
            "AND c.opened_on <= :r AND (c.decided_on IS NULL OR c.decided_on > :r)",
            r=ref,
        )
        out["overdue_time_limit"] = sum(
            1
            for opened, ext in undecided
            if deadlines.case_time_limit(_d(opened), extended=bool(ext)).last_day < ref
        )
        out["reviewed"] = out["review_upheld"] + out["review_changed"] + out["review_revoked"]
        out["overdue"] = (
            out["overdue_investigation"] + out["overdue_time_limit"] + out["overdue_review"]
        )
        return out

    def in_force(self, a: date, b: date) -> list[tuple[str, list[str], str | None]]:
        rows = self.q(
            "SELECT d.outcome, d.forms, d.sanction_kind FROM decisions d "
            f"JOIN cases c ON c.id = d.case_id WHERE {self.vis} AND d.status = '有效' "
            "AND d.decided_on BETWEEN :a AND :b",
            a=a,
            b=b,
        )
        return [(o, f if isinstance(f, list) else json.loads(f), k) for o, f, k in rows]


def _d(value) -> date:  # type: ignore[no-untyped-def]
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


SUMMARY_KEYS = [
    "leads", "proposed", "initiated", "not_initiated", "investigating", "decided_cases",
    "decisions", "accountable", "served", "reviewed", "review_upheld", "review_changed",
    "review_revoked", "closed", "overdue", "overdue_investigation", "overdue_time_limit",
    "overdue_review",
]  # fmt: skip


def _table(ws, first_row: int) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Label -> values for a table starting at ``first_row``, up to the 合计 row."""
    out = {}
    for row in ws.iter_rows(min_row=first_row, values_only=True):
        if row[0] is None or row[0] == "合计":
            break
        out[row[0]] = list(row[1:])
    return out


def test_monthly_numbers_match_independent_queries(scenario, svc, world, tmp_path):  # type: ignore[no-untyped-def]
    viewer, cases = scenario
    path = tmp_path / "月报.xlsx"
    viewer.reports.export_monthly(path, Period.month(2026, 11))
    wb = openpyxl.load_workbook(path)
    oracle = Oracle(svc.db, world.staff[3])
    ref = D(2026, 11, 25)  # the fixed clock: the month is not over yet
    expected = [
        oracle.counts(D(2026, 11, 1), D(2026, 11, 30), ref),
        oracle.counts(D(2026, 1, 1), D(2026, 11, 30), ref),
        oracle.counts(D(2025, 11, 1), D(2025, 11, 30), D(2025, 11, 30)),
    ]
    # The scenario is what it claims to be (guards the oracle against a vacuous pass).
    nov = expected[0]
    assert (nov["proposed"], nov["initiated"], nov["not_initiated"]) == (3, 1, 1)
    assert (nov["decisions"], nov["served"], nov["review_changed"], nov["closed"]) == (2, 2, 1, 1)
    assert nov["leads"] == 2 and expected[2]["proposed"] == 1 and nov["accountable"] == 1
    assert (nov["overdue_investigation"], nov["overdue_time_limit"], nov["overdue_review"]) == (
        1, 1, 1)  # fmt: skip
    assert nov["investigating"] == 2  # B and C; the recused case I is invisible
    ws = wb["汇总"]
    rows = list(ws.iter_rows(min_row=4, max_row=3 + len(SUMMARY_KEYS), values_only=True))
    for key, row in zip(SUMMARY_KEYS, rows, strict=True):
        for col, exp in enumerate(expected):
            assert row[col + 1] == exp[key], (key, col, row)
    assert "本期无问责案件" not in " ".join(str(c.value) for r in ws.iter_rows() for c in r)

    # By unit: subjects of cases proposed, and first decisions, per unit.
    v = oracle.vis
    units = {name: uid for uid, name in oracle.q("SELECT id, name FROM units")}
    table = _table(wb["按单位"], 4)
    assert set(table) == set(units)
    for name, values in table.items():
        got = []
        for a in (D(2026, 11, 1), D(2026, 1, 1)):
            got.append(
                oracle.one(
                    "SELECT count(*) FROM case_subjects s JOIN cases c ON c.id = s.case_id "
                    f"WHERE {v} AND s.unit_id = :u AND c.proposed_on BETWEEN :a AND :b",
                    u=units[name],
                    a=a,
                    b=D(2026, 11, 30),
                )
            )
            for extra in ("", "AND d.outcome = '予以问责'"):
                got.append(
                    oracle.one(
                        "SELECT count(*) FROM decisions d JOIN case_subjects s ON s.id = d.subject_id "
                        f"JOIN cases c ON c.id = d.case_id WHERE {v} AND s.unit_id = :u "
                        f"AND d.origin = '党组决定' {CORRECTED_AWAY}{extra} "
                        "AND d.decided_on BETWEEN :a AND :b",
                        u=units[name],
                        a=a,
                        b=D(2026, 11, 30),
                    )
                )
        assert values == got, name
    assert sum(r[0] for r in table.values()) == 6  # A, B and K, two subjects each

    # By clause: all sixteen clauses, cases proposed in the period.
    table = _table(wb["按情形"], 4)
    assert len(table) == 16
    for art, n in [(7, i) for i in range(1, 12)] + [(8, i) for i in range(1, 6)]:
        got = [
            oracle.one(
                "SELECT count(*) FROM case_grounds g JOIN cases c ON c.id = g.case_id "
                f"WHERE {v} AND g.article = :art AND g.clause = :n "
                "AND c.proposed_on BETWEEN :a AND :b",
                art=art,
                n=n,
                a=a,
                b=D(2026, 11, 30),
            )
            for a in (D(2026, 11, 1), D(2026, 1, 1))
        ]
        assert table[clause_label(art, n)] == got, (art, n)

    # By form and sanction kind: decisions in force, by their date.
    forms_ws = wb["按方式"]
    form_table = _table(forms_ws, 4)
    start = next(i for i, r in enumerate(forms_ws.iter_rows(values_only=True), 1) if r[0] == "警告")
    kind_table = _table(forms_ws, start)
    for a, col in ((D(2026, 11, 1), 0), (D(2026, 1, 1), 1)):
        forms, kinds = Counter(), Counter()
        for outcome, fl, kind in oracle.in_force(a, D(2026, 11, 30)):
            if outcome != "予以问责":
                forms[outcome] += 1
                continue
            forms.update(fl)
            if kind:
                kinds[kind] += 1
        for label, values in form_table.items():
            assert values[col] == forms[label], (label, col)
        for label, values in kind_table.items():
            assert values[col] == kinds[label], (label, col)
        assert sum(forms.values()) > 0
    assert kind_table["警告"][0] == 1  # the review change in November

    # Detail: one row per subject of every case with activity in the month.
    detail = wb["明细"]
    numbers = [r[1] for r in detail.iter_rows(min_row=4, values_only=True) if r[1]]
    expected_rows = oracle.q(
        "SELECT c.number FROM case_subjects s JOIN cases c ON c.id = s.case_id "
        f"WHERE {v} AND (c.proposed_on BETWEEN :a AND :b OR c.opened_on BETWEEN :a AND :b "
        "OR c.reported_on BETWEEN :a AND :b OR c.decided_on BETWEEN :a AND :b "
        "OR c.closed_on BETWEEN :a AND :b "
        "OR c.id IN (SELECT case_id FROM decisions WHERE decided_on BETWEEN :a AND :b) "
        "OR c.id IN (SELECT case_id FROM services WHERE served_at >= :a AND served_at < :n) "
        "OR c.id IN (SELECT case_id FROM review_applications WHERE received_on BETWEEN :a AND :b) "
        "OR c.id IN (SELECT case_id FROM review_decisions WHERE decided_on BETWEEN :a AND :b))",
        a=D(2026, 11, 1),
        b=D(2026, 11, 30),
        n=D(2026, 12, 1),
    )
    assert sorted(numbers) == sorted(r[0] for r in expected_rows)
    # Case D's decision facts begin with "=": stored as text, never as a formula.
    for row in detail.iter_rows(min_row=4):
        for cell in row:
            assert cell.data_type != "f"

    # Deadline sheet: the three overdue items are listed with their cases.
    listed = {(r[1], r[2]) for r in wb["期限"].iter_rows(min_row=4, values_only=True) if r[1]}
    number = dict(oracle.q("SELECT id, number FROM cases"))
    assert {
        (number[cases["C"]], "调查期限"),
        (number[cases["E"]], "办案期限"),
        (number[cases["L"]], "复核决定期限"),
    } <= listed
    assert number[cases["I"]] not in {n for n, _ in listed}


def test_hidden_and_voided_cases_never_appear(scenario, svc, tmp_path):  # type: ignore[no-untyped-def]
    viewer, cases = scenario
    path = tmp_path / "m.xlsx"
    viewer.reports.export_monthly(path, Period.month(2026, 11))
    text_all = _all_text(openpyxl.load_workbook(path))
    number = {cid: svc.queries.get_case(cid).number for cid in (cases["H"], cases["I"])}
    assert number[cases["H"]] not in text_all  # voided
    assert number[cases["I"]] not in text_all  # recused viewer
    # The unrestricted user sees case I (and the report counts it).
    svc.reports.export_monthly(path, Period.month(2026, 11))
    assert number[cases["I"]] in _all_text(openpyxl.load_workbook(path))


def _all_text(wb) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(
        str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value
    )
