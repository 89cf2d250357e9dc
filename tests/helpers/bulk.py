"""Bulk-load many cases with direct inserts (for scale tests and benchmarks, not scenarios).

Going through the services takes ~50 ms a case; 100,000 cases that way would take over an
hour. This helper writes cases, subjects and grounds with executemany in one transaction
(the FTS5 trigger still indexes search_text), so a 100k database builds in seconds.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, text

from app.domain.lifecycle import Stage
from app.storage.models import Case, CaseGround, CaseSubject, Unit

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰喆赟堃"
PLACES = ["东山街道", "宁津街道", "港湾街道", "斥山街道", "崖头街道", "城西街道", "石岛管理区"]
MATTERS = ["占道经营", "违法建设", "渣土运输", "户外广告", "油烟扰民", "噪声扰民", "违规停车"]
FAILINGS = ["推诿塞责", "超期未办", "执法不规范", "未按规定公示", "擅自改变处罚种类"]
STAGES = [
    (Stage.CLOSED, 55),
    (Stage.INVESTIGATING, 10),
    (Stage.PROPOSED, 5),
    (Stage.REPORTED, 5),
    (Stage.DECIDED, 5),
    (Stage.SERVED, 10),
    (Stage.REVIEWING, 3),
    (Stage.NOT_INITIATED, 7),
]


def ensure_units(db) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    """The units cases are spread over (created when the table is empty)."""
    with db.session() as s:
        units = s.execute(select(Unit.id, Unit.name)).all()
        if not units:
            now = datetime(2026, 1, 1)
            names = [(f"城区{n}中队", "执法中队") for n in "一二三四五六"] + [
                ("法制科", "科室"),
                ("督查科", "科室"),
            ]
            for i, (name, kind) in enumerate(names):
                s.add(Unit(name=name, kind=kind, created_at=now, sort_order=i))
            s.flush()
            units = s.execute(select(Unit.id, Unit.name)).all()
    return [(u.id, u.name) for u in units]


def bulk_cases(
    db,  # type: ignore[no-untyped-def]
    n: int,
    *,
    seed: int = 7,
    start_year: int = 2019,
    today: date = date(2026, 11, 25),
    batch: int = 5000,
) -> int:
    """Insert ``n`` cases numbered WB{year}-{seq} with one or two subjects and grounds."""
    rng = random.Random(seed)
    units = ensure_units(db)
    stages = [s for s, _ in STAGES]
    weights = [w for _, w in STAGES]
    span = (today - date(start_year, 1, 1)).days
    with db.session() as s:
        # SQLite: indexing row by row through the FTS trigger is ~4x slower than one rebuild,
        # so the insert trigger is set aside (its exact SQL kept) and the index rebuilt after.
        trigger_sql = None
        if db.is_sqlite:
            trigger_sql = s.scalar(
                text("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='cases_fts_ai'")
            )
            if trigger_sql:
                s.execute(text("DROP TRIGGER cases_fts_ai"))
        first_id = (s.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0) + 1
        seq_by_year: dict[int, int] = {}
        for start in range(0, n, batch):
            cases, subjects, grounds = [], [], []
            for i in range(start, min(start + batch, n)):
                cid = first_id + i
                proposed = date(start_year, 1, 1) + timedelta(days=rng.randrange(span))
                seq_by_year[proposed.year] = seq_by_year.get(proposed.year, 0) + 1
                stage = rng.choices(stages, weights)[0]
                unit_id, unit_name = rng.choice(units)
                person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])
                summary = (
                    f"{unit_name}在{rng.choice(PLACES)}{rng.choice(MATTERS)}"
                    f"整治中{rng.choice(FAILINGS)}。"
                )
                due = None
                kind = ""
                if stage not in (Stage.CLOSED, Stage.NOT_INITIATED, Stage.PROPOSED):
                    due = today + timedelta(days=rng.randint(-20, 60))
                    kind = "调查期限" if stage is Stage.INVESTIGATING else "办案期限"
                opened = proposed + timedelta(days=3) if stage is not Stage.PROPOSED else None
                cases.append(
                    {
                        "id": cid,
                        "number": f"WB{proposed.year}-{seq_by_year[proposed.year]:05d}",
                        "stage": stage.value,
                        "proposer_type": "主管领导",
                        "proposer_name": "分管副局长",
                        "proposed_on": proposed,
                        "behaviour_type": "不履行",
                        "behaviour_subtype": "推诿",
                        "fault": "过失",
                        "consequences": ["贻误工作"],
                        "summary": summary,
                        "opened_on": opened,
                        "investigation_deadline": due if stage is Stage.INVESTIGATING else None,
                        "time_limit_extended": False,
                        "closed_on": proposed + timedelta(days=90)
                        if stage is Stage.CLOSED
                        else None,
                        "close_note": "",
                        "voided": False,
                        "void_reason": "",
                        "next_deadline": due,
                        "next_deadline_kind": kind,
                        "search_text": f"{summary}\n{unit_name} {unit_name}\n{person} {unit_name}",
                        "created_at": datetime(proposed.year, proposed.month, proposed.day),
                        "created_by": "bulk",
                        "row_version": 1,
                    }
                )
                subjects.append(
                    {
                        "case_id": cid,
                        "position": 0,
                        "kind": "执法中队",
                        "unit_id": unit_id,
                        "person_id": None,
                        "name": unit_name,
                        "unit_name": unit_name,
                        "post": "",
                        "is_leader": False,
                    }
                )
                subjects.append(
                    {
                        "case_id": cid,
                        "position": 1,
                        "kind": "执法人员",
                        "unit_id": unit_id,
                        "person_id": None,
                        "name": person,
                        "unit_name": unit_name,
                        "post": "执法队员",
                        "is_leader": False,
                    }
                )
                for art, clause in {(7, rng.randint(1, 11)), (8, rng.randint(1, 5))}:
                    grounds.append({"case_id": cid, "article": art, "clause": clause})
            s.execute(insert(Case), cases)
            s.execute(insert(CaseSubject), subjects)
            s.execute(insert(CaseGround), grounds)
        if trigger_sql:
            s.execute(text("INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')"))
            s.execute(text(trigger_sql))
    return n
