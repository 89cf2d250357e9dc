"""ListingService: pages, counts, search (FTS5 trigram and short LIKE), filters, dashboard."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import RecusalMode, RecusalVerdict, SubjectKind, UnitKind
from app.domain.lifecycle import Stage
from app.domain.rules import RecusalSpec, SubjectSpec
from app.services.listing import CaseFilter, CaseStatus, SortKey
from tests.helpers.builders import advance, proposal


@pytest.fixture
def cases(svc, world):  # type: ignore[no-untyped-def]
    ids = {
        Stage.PROPOSED: advance(svc, world, Stage.PROPOSED),
        Stage.INVESTIGATING: advance(svc, world, Stage.INVESTIGATING),
        Stage.SERVED: advance(svc, world, Stage.SERVED),
    }
    other = svc.cases.propose_case(
        proposal(
            world,
            proposed_on=date(2025, 6, 2),
            summary="法制科对行政复议答复材料审核把关不严，造成败诉。",
            subjects=[SubjectSpec(SubjectKind.PERSON, "李赟", world.squad_id, world.officer_id)],
            grounds=[(7, 3)],
        )
    )
    ids["other"] = other
    return ids


def test_page_and_count(svc, cases) -> None:  # type: ignore[no-untyped-def]
    rows = svc.listing.page(CaseFilter())
    assert svc.listing.count_cases() == 4 == len(rows)
    by_id = {r.id: r for r in rows}
    inv = by_id[cases[Stage.INVESTIGATING]]
    assert inv.stage == Stage.INVESTIGATING.value
    assert inv.subjects == "城区一中队、王喆"
    assert inv.units == "城区一中队"
    assert inv.grounds == "第七条第（五）项、第八条第（二）项"
    # Investigation deadline in April 2026, clock at 2026-11-25.
    assert inv.status == CaseStatus.OVERDUE.value
    assert by_id[cases[Stage.PROPOSED]].status == CaseStatus.ACTIVE.value
    first, second = svc.listing.page(CaseFilter(), limit=2), svc.listing.page(offset=2, limit=2)
    assert {r.id for r in first} | {r.id for r in second} == set(by_id)
    assert not {r.id for r in first} & {r.id for r in second}


@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_key_orders_both_ways(svc, cases, sort) -> None:  # type: ignore[no-untyped-def]
    up = [r.id for r in svc.listing.page(sort=sort, descending=False)]
    down = [r.id for r in svc.listing.page(sort=sort, descending=True)]
    assert sorted(up) == sorted(down) and len(up) == 4


def test_sort_by_number_and_subject(svc, cases) -> None:  # type: ignore[no-untyped-def]
    numbers = [r.number for r in svc.listing.page(sort=SortKey.NUMBER, descending=False)]
    assert numbers == sorted(numbers)
    subjects = [r.subjects for r in svc.listing.page(sort=SortKey.SUBJECT, descending=True)]
    assert subjects[-1] == "李赟" or subjects[0] != subjects[-1]


def test_search_long_and_short_terms(svc, cases) -> None:  # type: ignore[no-untyped-def]
    def ids(q: str) -> set[int]:
        return {r.id for r in svc.listing.page(CaseFilter(text=q))}

    main = {cases[Stage.PROPOSED], cases[Stage.INVESTIGATING], cases[Stage.SERVED]}
    assert ids("占道经营") == main  # 4 characters: FTS5 trigram on SQLite
    assert ids("行政复议") == {cases["other"]}
    assert ids("王喆") == main  # 2 characters: LIKE on the base table
    assert ids("赟") == {cases["other"]}  # 1 character
    assert ids("败诉") == {cases["other"]}
    assert ids("占道 王喆") == main  # terms are ANDed
    assert ids("占道 李赟") == set()
    assert ids("不存在的词语") == set()
    assert ids('"引号') == set()  # FTS syntax characters are quoted, not parsed
    assert svc.listing.count_cases(CaseFilter(text="王喆")) == 3


def test_filters(svc, world, cases) -> None:  # type: ignore[no-untyped-def]
    def ids(**kw) -> set[int]:  # type: ignore[no-untyped-def]
        return {r.id for r in svc.listing.page(CaseFilter(**kw))}

    assert ids(stage=Stage.INVESTIGATING.value) == {cases[Stage.INVESTIGATING]}
    assert ids(year=2025) == {cases["other"]}
    assert cases["other"] not in ids(year=2026)
    assert ids(overdue=True) == {cases[Stage.INVESTIGATING]}
    assert ids(unit_id=world.section_id) == set()
    assert len(ids(unit_id=world.squad_id)) == 4
    assert svc.listing.years() == [2026, 2025]
    counts = svc.listing.stage_counts()
    assert counts[Stage.PROPOSED.value] == 2 and counts[Stage.SERVED.value] == 1
    assert counts[Stage.CLOSED.value] == 0


def test_recused_user_does_not_see_the_case(svc, world, cases) -> None:  # type: ignore[no-untyped-def]
    from app.services import Actor, build_services

    cid = cases[Stage.INVESTIGATING]
    staff = world.staff[2]
    svc.cases.record_recusal(
        cid,
        RecusalSpec(
            person_id=staff,
            role="调查人员",
            mode=RecusalMode.SELF,
            applicant="尹正清",
            grounds="与被问责人系近亲属",
            verdict=RecusalVerdict.GRANTED,
            decided_on=date(2026, 3, 6),
        ),
    )
    other = build_services(
        svc.db,
        actor=Actor("yin", "尹正清", person_id=staff),
        data_dir=svc.ctx.data_dir,
        clock=svc.ctx.clock,
    )
    assert cid not in {r.id for r in other.listing.page()}
    assert other.listing.count_cases() == 3
    # A search counted on its FTS table alone still leaves the recused case out.
    assert other.listing.count_cases(CaseFilter(text="王喆")) == 2
    assert other.listing.count_cases(CaseFilter(text="占道经营")) == 2
    assert svc.listing.count_cases(CaseFilter(text="王喆")) == 3
    assert cid not in {i.case_id for i in other.listing.due_items()}
    assert other.listing.find_case_id(svc.queries.get_case(cid).number) is None
    assert svc.listing.find_case_id(svc.queries.get_case(cid).number) == cid


def test_due_items_levels_and_warnings(svc, clock, cases) -> None:  # type: ignore[no-untyped-def]
    items = svc.listing.due_items()
    kinds = {(i.case_id, i.kind) for i in items}
    inv = cases[Stage.INVESTIGATING]
    assert (inv, "调查期限（第九条）") in kinds
    assert (inv, "办案期限") in kinds
    item = next(i for i in items if i.case_id == inv and i.kind.startswith("调查"))
    assert item.level == "overdue" and item.days_left < 0
    assert item.subjects == "城区一中队、王喆"
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert any("2027年" in w for w in svc.listing.dashboard().warnings)  # no 2027 schedule

    # Back in April the review windows of the served case were running.
    clock.now = datetime(2026, 4, 10, 9, 0)
    served = cases[Stage.SERVED]
    items = [i for i in svc.listing.due_items() if i.case_id == served]
    assert {i.kind for i in items} == {"复核申请期限（第十四条）"}
    assert {i.subjects for i in items} == {"城区一中队", "王喆"}
    assert all(i.level in ("ok", "soon") and i.days_left >= 0 for i in items)

    # Shortly before the 记过 period (12 months from 2026-04-01) ends.
    clock.now = datetime(2027, 3, 28, 9, 0)
    ending = [i for i in svc.listing.due_items() if i.kind == "处分期满"]
    assert [(i.case_id, i.subjects, i.due) for i in ending] == [(served, "王喆", date(2027, 4, 1))]
    assert ending[0].level == "soon"


# ----------------------------------------------------------------------------- search index


def _search_texts(svc) -> dict[int, str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.storage.models import Case

    with svc.db.read() as s:
        rows = s.execute(select(Case.id, Case.search_text).where(Case.voided.is_(False)))
        return {cid: text for cid, text in rows}


def _sequences(svc) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Case id → the sequence part of its number (WZ2026-0019 → 0019)."""
    from sqlalchemy import select

    from app.storage.models import Case

    with svc.db.read() as s:
        rows = s.execute(select(Case.id, Case.number).where(Case.voided.is_(False)))
        return {cid: number.split("-", 1)[1] for cid, number in rows}


def test_digits_find_the_case_number_without_its_year(svc, world, cases) -> None:  # type: ignore[no-untyped-def]
    """「0019」 or 「19」 finds WZ2026-0019, as a clerk types it from a file cover; the
    digits still find text that holds them, and the year part is not searched."""
    seqs = _sequences(svc)
    served = cases[Stage.SERVED]
    seq = seqs[served]
    for term in (seq, seq.lstrip("0"), seq[-2:]):
        want = {cid for cid, q in seqs.items() if term in q}
        want |= {cid for cid, t in _search_texts(svc).items() if term in t}
        got = {r.id for r in svc.listing.page(CaseFilter(text=term))}
        assert served in got and got == want, term
        assert svc.listing.count_cases(CaseFilter(text=term)) == len(want), term
    # Two digit terms are ANDed like any others; the year alone is not a sequence.
    assert {r.id for r in svc.listing.page(CaseFilter(text=f"{seq} 9999"))} == set()
    year = svc.queries.get_case(served).number[2:6]
    assert not any(year in q for q in seqs.values())
    texts = _search_texts(svc)
    assert {r.id for r in svc.listing.page(CaseFilter(text=year))} == {
        cid for cid, t in texts.items() if year in t
    }


@pytest.mark.parametrize("scan_order", [False, True])
def test_short_terms_match_exactly_the_rows_containing_them(
    svc, cases, monkeypatch, scan_order
) -> None:  # type: ignore[no-untyped-def]
    """Every 1–2 character substring (and some absent ones) against a plain Python scan.

    Both page plans: matches driving the query, and rows read in order and probed (the plan
    for a term that matches most rows).
    """
    monkeypatch.setattr(type(svc.listing), "_common", lambda self, s, f: scan_order)
    texts = _search_texts(svc)
    terms = set()
    for t in texts.values():
        for i in range(len(t)):
            terms.add(t[i])
            terms.add(t[i : i + 2])
    terms = {t for t in terms if t.strip() == t and t}
    terms |= {"赟", "喆", "。", "（", "%", "_", "\\", '"', "无", "Zz", "丁丁"}
    assert len(terms) > 100
    seqs = _sequences(svc)
    for term in sorted(terms):
        want = {cid for cid, t in texts.items() if term.lower() in t.lower()}
        if term.isascii() and term.isdigit():  # digits also find a case number's sequence
            want |= {cid for cid, seq in seqs.items() if term in seq}
        got = {r.id for r in svc.listing.page(CaseFilter(text=term), limit=1000)}
        assert got == want, term
        assert svc.listing.count_cases(CaseFilter(text=term)) == len(want), term


def test_two_characters_do_not_match_across_a_gap(svc, cases) -> None:  # type: ignore[no-untyped-def]
    texts = _search_texts(svc)
    gaps = {
        t[i - 1] + t[i + 1] for t in texts.values() for i in range(1, len(t) - 1) if t[i] in " \n"
    }
    gaps = {g for g in gaps if g.strip() == g and not any(g in t for t in texts.values())}
    assert gaps  # e.g. the last character of a name and the first of its unit
    for g in gaps:
        assert svc.listing.page(CaseFilter(text=g)) == [], g


def test_short_term_index_follows_every_change(svc, db, cases) -> None:  # type: ignore[no-untyped-def]
    """Triggers (not services) keep the index: a direct UPDATE of search_text is seen."""
    from sqlalchemy import update

    from app.storage.models import Case

    cid = cases["other"]
    assert svc.listing.page(CaseFilter(text="鼋")) == []
    with db.session() as s:
        s.execute(update(Case).where(Case.id == cid).values(search_text="鼋鼍 新 文本"))
    assert [r.id for r in svc.listing.page(CaseFilter(text="鼋"))] == [cid]
    assert [r.id for r in svc.listing.page(CaseFilter(text="鼋鼍"))] == [cid]
    assert svc.listing.page(CaseFilter(text="赟")) == []  # the old text is gone from the index
    assert svc.listing.page(CaseFilter(text="败诉")) == []
    assert svc.listing.page(CaseFilter(text="鼍新")) == []


def test_number_terms(svc, world, cases) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.domain.enums import LeadChannel, LeadSource
    from app.services.listing import number_term
    from app.services.search_terms import NumberTerm
    from app.storage.models import DocNumber

    def ids(q: str) -> set[int]:
        found = {r.id for r in svc.listing.page(CaseFilter(text=q))}
        assert svc.listing.count_cases(CaseFilter(text=q)) == len(found), q
        return found

    served = cases[Stage.SERVED]
    number = svc.queries.get_case(served).number  # WZ2026-000N
    assert ids(number) == {served}
    assert ids(number.lower()) == {served}
    assert ids(number[:-1]) >= {served}  # prefix while typing
    every = {r.id for r in svc.listing.page()}
    assert ids("WZ2026") == every - {cases["other"]}
    assert ids("WZ2025-") == {cases["other"]}
    assert ids(number[2:]) == {served}  # 2026-000N without the letters
    assert ids("WZ2026-9999") == set()

    lead = svc.leads.register_lead(
        received_on=date(2026, 2, 20),
        source=LeadSource.REPORT,
        channel=LeadChannel.LETTER,
        content="反映城区一中队占道经营问题。",
    )
    svc.leads.link_lead(lead, served)
    lead_no = svc.leads.get_lead(lead).number if hasattr(svc.leads, "get_lead") else None
    if lead_no is None:
        from app.storage.models import Lead

        with svc.db.read() as s:
            lead_no = s.scalar(select(Lead.number).where(Lead.id == lead))
    assert ids(lead_no) == {served}
    assert ids(lead_no[:-2]) == {served}

    with svc.db.read() as s:
        docs = s.execute(
            select(DocNumber.number, DocNumber.year, DocNumber.seq, DocNumber.case_id)
        ).all()
    assert docs
    full, year, seq, case_id = docs[0]
    assert ids(full) == {case_id}
    for form in (
        f"〔{year}〕{seq}号",
        f"[{year}]{seq}号",
        f"({year}){seq}号",
        f"（{year}）{seq}号",
        f"［{year}］{seq}",
        f"〔{year}〕{seq}",
        f"【{year}】{seq}号",
    ):
        assert case_id in ids(form), form
        assert number_term(form).kind == "doc"
    assert ids(f"〔{year}〕{seq + 1000}号") == set()
    assert ids(f"〔{year - 5}〕") == set()
    assert ids(f"〔{year}〕") == {c for _, _, _, c in docs if c is not None}
    # A voided case leaves both the page and the count of a document-number search (set
    # behind the services' back: a served case cannot be voided, Art. 14).
    from sqlalchemy import update

    from app.storage.models import Case

    with svc.db.session() as s:
        s.execute(update(Case).where(Case.id == case_id).values(voided=True))
    assert case_id not in ids(f"【{year}】")
    assert number_term("占道经营") is None and number_term("2026") is None
    # Past the 9,999th case of a year the number grows a digit and is still a number.
    assert number_term("WZ2026-52777") == NumberTerm("case", prefix="WZ2026-52777")
    assert number_term("xs2026-10001").kind == "lead"
    assert number_term("2026-10001").kind == "case_or_lead"


def test_counts_are_cached_until_a_write(svc, db, world, cases) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from app.storage.models import Case

    f = CaseFilter(text="中队")
    n = svc.listing.count_cases(f)
    assert n == 4
    with db.session() as s:  # behind the services' back: no audit record, so no new head
        s.execute(update(Case).where(Case.id == cases["other"]).values(voided=True))
    assert svc.listing.count_cases(f) == 4  # served from the cache
    svc.cases.propose_case(proposal(world, summary="又一件：中队执法记录仪未开启。"))
    assert svc.listing.count_cases(f) == 4  # the write moved the head: 5 − the voided one
    assert svc.listing.count_cases() == 4


@pytest.mark.parametrize("sort", [SortKey.NUMBER, SortKey.STAGE, SortKey.DEADLINE])
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_equal_one_big_page(svc, world, cases, sort, descending) -> None:  # type: ignore[no-untyped-def]
    for i in range(7):
        svc.cases.propose_case(proposal(world, summary=f"第{i}件补充案件：巡查不到位。"))
    whole = [r.id for r in svc.listing.page(sort=sort, descending=descending, limit=1000)]
    assert len(whole) == 11
    paged: list[int] = []
    while True:
        rows = svc.listing.page(offset=len(paged), limit=3, sort=sort, descending=descending)
        paged += [r.id for r in rows]
        if len(rows) < 3:
            break
    assert paged == whole
    assert len(svc.listing._cursors) >= 3  # pages after the first continued by key
    # An offset no page ended at still works (OFFSET), and agrees.
    assert [
        r.id for r in svc.listing.page(offset=5, limit=4, sort=sort, descending=descending)
    ] == whole[5:9]
    # A year filter (read from the number; walked row by row under the deadline order).
    year = CaseFilter(year=2026)
    in_year = [r.id for r in svc.listing.page(year, sort=sort, descending=descending, limit=99)]
    number = {r.id: r.number for r in svc.listing.page(limit=1000)}
    assert in_year == [i for i in whole if number[i].startswith("WZ2026-")]
    assert 0 < len(in_year) < len(whole) and svc.listing.count_cases(year) == len(in_year)


def test_dashboard_reads_the_stored_due_date(svc, clock, world, cases) -> None:  # type: ignore[no-untyped-def]
    """One indexed range over cases.next_deadline picks the cases; only those are worked out."""
    from app.services import Actor, build_services

    inv, served = cases[Stage.INVESTIGATING], cases[Stage.SERVED]
    dash = svc.listing.dashboard()
    assert [(i.case_id, i.kind, i.level) for i in dash.items] == [
        (inv, "调查期限（第九条）", "overdue"),
        (inv, "办案期限", "overdue"),
    ]
    assert dash.total_items == 2
    item = dash.items[0]
    assert item.subjects == "城区一中队、王喆" and item.days_left < 0 and "第九条" in item.basis
    # The same items the full computation finds for that case, and no other case's.
    assert dash.items == [i for i in svc.listing.due_items() if i.case_id == inv]
    assert dash.stage_counts[Stage.INVESTIGATING.value] == 1
    # With room for no case, the total still counts the case that is due.
    assert svc.listing.dashboard(limit=0).items == []
    assert svc.listing.dashboard(limit=0).total_items == 1

    # Shortly before the 记过 period (12 months from 2026-04-01) ends: within the horizon.
    clock.now = datetime(2027, 3, 28, 9, 0)
    dash = svc.listing.dashboard()
    assert {(i.case_id, i.kind) for i in dash.items} == {
        (inv, "调查期限（第九条）"),
        (inv, "办案期限"),
        (served, "处分期满"),
    }
    ending = next(i for i in dash.items if i.case_id == served)
    assert (ending.due, ending.level, ending.subjects) == (date(2027, 4, 1), "soon", "王喆")
    # Once the period has ended nothing is owed: it lapses; the overdue investigation stays.
    clock.now = datetime(2027, 4, 20, 9, 0)
    assert {i.case_id for i in svc.listing.dashboard().items} == {inv}

    # Voided and recused cases are not on anyone's dashboard.
    svc.cases.void_case(inv, "重复立案")
    assert svc.listing.dashboard().items == []
    clock.now = datetime(2027, 3, 28, 9, 0)
    svc.cases.record_recusal(
        served,
        RecusalSpec(
            person_id=world.staff[2],
            role="调查人员",
            mode=RecusalMode.SELF,
            applicant="尹正清",
            grounds="与被问责人系近亲属",
            verdict=RecusalVerdict.GRANTED,
            decided_on=date(2026, 3, 6),
        ),
    )
    other = build_services(
        svc.db,
        actor=Actor("yin", "尹正清", person_id=world.staff[2]),
        data_dir=svc.ctx.data_dir,
        clock=svc.ctx.clock,
    )
    assert other.listing.dashboard().items == []
    assert {i.case_id for i in svc.listing.dashboard().items} == {served}


def test_subject_and_unit_columns_sort_by_pinyin(svc, world) -> None:  # type: ignore[no-untyped-def]
    """问责对象 and 单位 order by pinyin in the database (SQLite and PostgreSQL), both ways,
    across the pages of a keyset or offset scroll — not by code point (张 < 陈 there)."""
    md = svc.masterdata
    units = {n: md.create_unit(n, UnitKind.SQUAD) for n in ("张村中队", "安平中队", "王家中队")}
    names = ["张伟", "王芳", "李娜", "陈静", "赵磊", "安然"]
    for i, (name, unit) in enumerate(zip(names, [*units] * 2, strict=True)):
        person = md.create_person(name, units[unit], "执法队员")
        svc.cases.propose_case(
            proposal(
                world,
                proposed_on=date(2026, 3, 2 + i),
                summary=f"{name}执法记录仪未按规定全程开启。",
                subjects=[SubjectSpec(SubjectKind.PERSON, name, units[unit], person)],
                grounds=[(7, 3)],
            )
        )
    rows = svc.listing.page(sort=SortKey.SUBJECT, descending=False)
    assert [r.subjects for r in rows] == ["安然", "陈静", "李娜", "王芳", "张伟", "赵磊"]
    assert sorted(names) != [r.subjects for r in rows]  # code-point order differs
    down = svc.listing.page(sort=SortKey.SUBJECT, descending=True, limit=2)
    down += svc.listing.page(sort=SortKey.SUBJECT, descending=True, offset=2, limit=10)
    assert [r.subjects for r in down] == ["赵磊", "张伟", "王芳", "李娜", "陈静", "安然"]
    by_unit = [r.units for r in svc.listing.page(sort=SortKey.UNIT, descending=False)]
    assert by_unit == ["安平中队"] * 2 + ["王家中队"] * 2 + ["张村中队"] * 2


def test_a_period_that_ran_out_is_not_overdue(svc, clock, world) -> None:  # type: ignore[no-untyped-def]
    """A review window (Art. 14) or a sanction period running out is not a missed duty: the
    case is not 已逾期 in the list or its filter, while a missed investigation deadline is."""
    from datetime import timedelta

    from app.domain.due import DeadlineKind

    served = advance(svc, world, Stage.SERVED)
    late = advance(svc, world, Stage.INVESTIGATING)
    row = {r.id: r for r in svc.listing.page()}[served]
    assert row.next_deadline_kind in (
        DeadlineKind.REVIEW_WINDOW.label,
        DeadlineKind.SANCTION_END.label,
    )
    clock.now = datetime.combine(row.next_deadline + timedelta(days=3), datetime.min.time())
    rows = {r.id: r for r in svc.listing.page()}
    assert rows[served].status == CaseStatus.ACTIVE.value
    assert rows[late].status == CaseStatus.OVERDUE.value
    overdue = {r.id for r in svc.listing.page(CaseFilter(overdue=True))}
    assert served not in overdue and late in overdue


def test_chart_counts_and_bars_agree_with_raw_sql(svc, db, cases) -> None:  # type: ignore[no-untyped-def]
    """The dashboard charts count in SQL; a bar's cases are exactly those it counts."""
    from sqlalchemy import text

    end = svc.ctx.today()
    counts = svc.listing.chart_counts(end)
    assert len(counts.months) == 12 and counts.start == date(end.year - 1, end.month + 1, 1)
    with db.read() as s:
        total = s.execute(
            text("SELECT count(*) FROM cases WHERE voided = :f AND proposed_on BETWEEN :a AND :b"),
            {"f": False, "a": counts.start, "b": end},
        ).scalar()
        per_unit = dict(
            s.execute(
                text(
                    "SELECT s.unit_name, count(DISTINCT s.case_id) FROM case_subjects s "
                    "JOIN cases c ON c.id = s.case_id WHERE c.voided = :f AND "
                    "c.proposed_on BETWEEN :a AND :b AND s.unit_name <> '' GROUP BY s.unit_name"
                ),
                {"f": False, "a": counts.start, "b": end},
            ).all()
        )
    assert counts.total == total == 3  # the 2025-06 case is outside the twelve months
    assert dict(counts.units) == per_unit
    for name, n in counts.units:
        rows = svc.listing.chart_cases(end, unit=name)
        assert len(rows) == n and all(name in r.units for r in rows)
    for key, label, n in counts.clauses:
        rows = svc.listing.chart_cases(end, clause=key)
        assert len(rows) == n and all(label in r.grounds for r in rows)
    for month, n in counts.months:
        assert len(svc.listing.chart_cases(end, month=month)) == n
