"""The demo as a 机关纪委 officer reads it, from its database (plain SQL, not the services):
no meeting, hearing or service on a day off by law (a 党组会议 on 正月初二), facts that name
the subject each decision is about, and the wording a bureau writes (no 「邮政EMS」, no
「办公室办公室」). Both paths: the services one by one and the batch."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.domain.holidays import DEFAULT_CALENDAR
from app.services.beyond_demo import add_beyond_demo
from app.services.bulk import make_bulk_demo
from app.services.demo import make_demo
from tests.conftest import Clock, make_db

#: What an office does on a working day only (a lead may come in any day: not here).
OFFICE_ACTS = {
    "提出问责": "select id, proposed_on from cases",
    "党组会议": "select case_id, meeting_date from meetings",
    "处理决定": "select case_id, decided_on from decisions",
    "调查报告": "select case_id, report_date from reports",
    "调取证据": "select case_id, collected_on from evidence",
    "陈述申辩": "select case_id, made_on from statements",
    "表现认定": "select case_id, found_on from conduct_findings",
    "回避决定": "select case_id, decided_on from recusals",
    "调查人员到位": "select case_id, declared_on from investigators",
    "送达": "select case_id, substr(served_at, 1, 10) from services",
    "复核申请收到": "select case_id, received_on from review_applications",
    "复核决定": "select a.case_id, r.decided_on from review_decisions r "
    "join review_applications a on a.id = r.application_id",
    "结案": "select id, closed_on from cases where closed_on is not null",
    # the leads beyond the cases (add_beyond_demo): 纪委会议 and 签批 on a working day too
    "线索处置": "select lead_id, decided_on from lead_dispositions",
    "初核函询办结": "select lead_id, completed_on from lead_dispositions "
    "where completed_on is not null",
    # the officer confirms a release, and dates its 解除处分通知书, on a working day (57b: a
    # notice dated Saturday 2026-11-14); the release itself runs from the period's end
    "解除处分": "select case_id, released_on from sanction_releases",
}
#: 2025 春节 (1月28日除夕 to 2月4日), written out here rather than read from the app.
SPRING_FESTIVAL_2025 = {date(2025, 1, 28 + i) for i in range(4)} | {
    date(2025, 2, i) for i in range(1, 5)
}


def _demo(tmp: Path, path: str, n: int) -> sqlite3.Connection:
    from app.services import build_services
    from app.services.vault import StaticKeyProvider

    tmp.mkdir()
    db = make_db("sqlite", tmp)
    svc = build_services(db, data_dir=tmp, clock=Clock(), keys=StaticKeyProvider(b"k" * 32))
    if path == "services":
        make_demo(svc, n)
    else:
        make_bulk_demo(svc, n, chunk=100)
    add_beyond_demo(svc, random.Random(7), leads=40, releases=12)  # as `wenze demo` does
    url = str(db.engine.url)
    db.engine.dispose()
    return sqlite3.connect(url.removeprefix("sqlite:///"))


@pytest.fixture(scope="module", params=[("services", 60), ("batch", 400)], ids=lambda p: p[0])
def demo(request, tmp_path_factory) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    path, n = request.param
    return _demo(tmp_path_factory.mktemp("demo") / path, path, n)


def test_no_office_act_is_dated_on_a_day_off(demo: sqlite3.Connection) -> None:
    """A 党组会议 on 正月初二, statements heard and decisions served on Sundays: the demo dated
    acts on any day; a real office meets and serves on working days (the app's calendar)."""
    off: list[str] = []
    for what, sql in OFFICE_ACTS.items():
        for case_id, day in demo.execute(sql):
            d = date.fromisoformat(day[:10])
            if not DEFAULT_CALENDAR.is_workday(d) or d in SPRING_FESTIVAL_2025:
                off.append(f"{what} #{case_id} {d}")
    assert not off, f"{len(off)}: {off[:12]}"


def test_every_decision_names_its_own_subject(demo: sqlite3.Connection) -> None:
    """The decision on a case's unit or its leader stated the facts of the first officer only
    (「经查，赖晓……」 in 孟伟博's decision), and read as if about someone else."""
    wrong = [
        f"案{c} {name}: {facts}"
        for c, name, facts in demo.execute(
            "select d.case_id, s.name, d.facts from decisions d "
            "join case_subjects s on s.id = d.subject_id"
        )
        if name not in facts
    ]
    wrong += [
        f"复核 案{c} {name}: {facts}"
        for c, name, facts in demo.execute(
            "select d.case_id, s.name, r.facts from review_decisions r "
            "join review_applications a on a.id = r.application_id "
            "join decisions d on d.id = a.decision_id "
            "join case_subjects s on s.id = d.subject_id"
        )
        if name not in facts
    ]
    assert not wrong, f"{len(wrong)}: {wrong[:6]}"


def test_a_leaders_fact_names_a_leader(demo: sqlite3.Connection) -> None:
    """「赖晓对所属执法人员……监督不力」 with 赖晓 an ordinary 执法队员: the facts of a leader's
    clause (所属人员) named the first officer, not the leader among the subjects."""
    leaders = {
        (c, n) for c, n in demo.execute("select case_id, name from case_subjects where is_leader")
    }
    wrong = []
    for c, summary in demo.execute("select id, summary from cases where summary like '%所属%'"):
        named = summary.split("对所属")[0]
        if (c, named) not in leaders:
            wrong.append(f"案{c}: {summary}")
    assert not wrong, f"{len(wrong)}: {wrong[:6]}"


def test_service_places_read_as_a_bureau_writes(demo: sqlite3.Connection) -> None:
    """「邮政EMS寄至……」 (Latin letters in a Chinese record) and 「办公室办公室」 (the office of
    the unit named 办公室)."""
    places = {p for (p,) in demo.execute("select distinct place from services")}
    wrong = sorted(p for p in places if re.search("[A-Za-z]", p) or "办公室办公室" in p)
    assert not wrong, wrong
    assert any("中国邮政特快专递" in p for p in places)


#: Each squad's own beat (its name says where it is): written out here, not read from the app.
BEAT = {
    "城区一中队": "成山大道",
    "城区二中队": "人民广场",
    "石岛中队": "石岛海鲜市场",
    "港湾中队": "港湾街道",
    "崖头中队": "崖头街道",
    "宁津中队": "宁津街道",
    "俚岛中队": "俚岛镇",
}


def test_a_squads_facts_are_on_its_own_beat(demo: sqlite3.Connection) -> None:
    """「宁津中队 吕国在崖头街道执法检查中……」: a squad's officer was found at fault on another
    squad's beat, which no 机关纪委 would write of its own bureau."""
    wrong = [
        f"案{c} {unit}: {summary}"
        for c, unit, summary in demo.execute(
            "select c.id, s.unit_name, c.summary from cases c "
            "join case_subjects s on s.case_id = c.id and s.position = 0"
        )
        if unit in BEAT and any(p in summary for p in BEAT.values() if p != BEAT[unit])
    ]
    assert not wrong, f"{len(wrong)}: {wrong[:6]}"


#: What a squad does in the field (patrols, inspections, seizures): never a section's work.
FIELD_WORK = re.compile(r"执法检查中|执法工作中|执法中|执勤|巡查|强制措施中|拆除任务|排水设施|摊贩")


def test_a_sections_staff_are_not_faulted_for_field_work(demo: sqlite3.Connection) -> None:
    """「叶立明（执法监督科一级科员）在宁津街道执法检查中未按法定程序告知……」: a 科室 inspects
    and seizes nothing in the field; its staff answer for the office's own work (57b)."""
    wrong = [
        f"案{c} {unit}: {summary}"
        for c, unit, summary in demo.execute(
            "select c.id, s.unit_name, c.summary from cases c "
            "join case_subjects s on s.case_id = c.id and s.position = 0 "
            "join units u on u.id = s.unit_id where u.kind = '科室'"
        )
        if FIELD_WORK.search(summary)
    ]
    assert not wrong, f"{len(wrong)}: {wrong[:6]}"
    evidence = {
        t
        for (t,) in demo.execute(
            "select e.title from evidence e join case_subjects s on s.case_id = e.case_id "
            "and s.position = 0 join units u on u.id = s.unit_id where u.kind = '科室'"
        )
    }
    assert evidence and "现场检查笔录" not in evidence, evidence


#: What the facts say → the 第二条 kind a lawyer reads in them (written out, not read from the app).
SAID = {
    "超过法定时限": "不依照规定时间",
    "未在规定期限内完成": "不依照规定时间",
    "未按法定程序": "不依照规定程序",
    "推诿塞责": "推诿",
    "另搞一套": "拒绝",
}


def test_the_behaviour_named_is_what_the_facts_describe(demo: sqlite3.Connection) -> None:
    """「……超过法定时限扣押物品」 stated as 「不正确履行职责（不依照规定权限）」 and 「未按法定程序
    告知……」 as 「不履行职责（拒绝）」: 第二条's kind was drawn apart from the facts (57b)."""
    wrong = [
        f"案{c} {subtype}: {summary}"
        for c, subtype, summary in demo.execute("select id, behaviour_subtype, summary from cases")
        for said, kind in SAID.items()
        if said in summary and subtype != kind
    ]
    assert not wrong, f"{len(wrong)}: {wrong[:6]}"


def test_no_section_proposes_against_itself(demo: sqlite3.Connection) -> None:
    """第九条: a 职能科室 proposes accountability for what it found in another unit; the demo
    had 执法监督科 propose against its own officer."""
    wrong = list(
        demo.execute(
            "select distinct c.number, c.proposer_name from cases c "
            "join case_subjects s on s.case_id = c.id "
            "where c.proposer_type = '职能科室' and c.proposer_name = s.unit_name"
        )
    )
    assert not wrong, wrong


def test_party_group_minutes_are_numbered_as_a_bureau_numbers_them(
    demo: sqlite3.Connection,
) -> None:
    """「党组会议纪要〔2025〕328号」 in November: the demo numbered the minutes by the day of the
    year, as if the Party group met every day; it meets weekly (one number a meeting, one day
    a number, no more than a year has weeks)."""
    days: dict[str, set[str]] = {}
    for ref, day in demo.execute("select minutes_ref, meeting_date from meetings"):
        days.setdefault(ref, set()).add(day)
    numbers = {int(re.fullmatch(r"党组会议纪要〔\d{4}〕(\d+)号", ref)[1]) for ref in days}  # type: ignore[index]
    assert max(numbers) <= 53, sorted(numbers)[-5:]
    assert all(len(d) == 1 for d in days.values())
    held = [date.fromisoformat(d) for ds in days.values() for d in ds]
    assert len({d.isocalendar()[:2] for d in held}) >= len(set(held)) - 3  # weekly, not daily


def test_a_decision_left_at_an_office_is_witnessed_by_the_bureau(
    demo: sqlite3.Connection,
) -> None:
    """留置送达 at a unit's office of the bureau (《民事诉讼法》第八十九条: 基层组织或者所在单位的
    代表): the demo had a 村委会委员 or a 物业管理员 witness it inside the bureau."""
    wrong = [
        (place, witness)
        for place, witness in demo.execute(
            "select place, witness from services where method = '留置送达'"
        )
        if re.search("社区|村委会|物业", witness)
    ]
    assert not wrong, wrong[:6]
