"""A bureau's database from an earlier version opens, migrates and verifies (nothing lost).

Found by opening the data directory that revision 036cd3b's ``wenze demo --cases 300`` wrote
(schema at 0001) with today's code:

- migration 0024_run_due reads the case through today's models, which name the columns of
  the other branches of 0001 (``meetings.investigation_days`` of 0011 …); Alembic ran 0024
  before 0011 and the upgrade stopped with "no such column", the database half migrated;
- ``wenze audit verify`` stopped with ``KeyError: 'decided_on'`` on a review decision's
  record of that version (it did not name the day), and named every decision a 变更 review
  made then as "没有任何审计记录写入过：数据被绕过系统添加": that version's 变更 record put the new
  sanction at the top of its payload (no ``new_sanction``) and replay made nothing of it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from app.domain.enums import DecisionOrigin, DecisionStatus
from app.services.replay import _knock_ons

VERSIONS = Path(__file__).resolve().parents[2] / "app" / "storage" / "migrations" / "versions"


def _graph() -> dict[str, set[str]]:
    """Each revision with its down revisions."""
    graph: dict[str, set[str]] = {}
    for path in VERSIONS.glob("*.py"):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text("utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                values[target.id] = ast.literal_eval(node.value)  # type: ignore[union-attr]
        after: set[str] = set()
        v = values.get("down_revision")
        after |= {v} if isinstance(v, str) else set(v or ())  # type: ignore[arg-type]
        graph[str(values["revision"])] = after
    return graph


def _ancestors(graph: dict[str, set[str]], rev: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[rev])
    while todo:
        r = todo.pop()
        if r not in seen:
            seen.add(r)
            todo += graph[r]
    return seen


def test_every_schema_only_revision_is_applied_before_a_script_reads_models() -> None:
    """migrate() first upgrades to schema_only_heads(): with their ancestors they are every
    revision that neither reads today's models nor follows one that does."""
    from app.migration_heads import first_targets, schema_only_heads

    graph = _graph()
    readers = {
        r
        for path in VERSIONS.glob("*.py")
        for r in graph
        if f'\nrevision = "{r}"' in (text := path.read_text("utf-8"))
        and ("from app.services" in text or "from app.storage.models" in text)
    }
    assert readers >= {"0023_run_end", "0024_run_due"}
    after_readers = readers | {r for r in graph if _ancestors(graph, r) & readers}
    first = set(schema_only_heads())
    assert first and not first & after_readers
    covered = first | set().union(*(_ancestors(graph, r) for r in first))
    assert covered == set(graph) - after_readers
    assert first_targets({"0001"}) == sorted(first)
    assert first_targets(set(first)) == []


def test_a_database_at_0001_with_runs_upgrades(svc, world, db) -> None:  # type: ignore[no-untyped-def]
    """A schema before 0011 and 0023 (036cd3b's was at 0001) with decisions in a 第十条 run
    upgrades to every head: 0011's columns exist before 0023/0024 read the models."""
    from alembic import command
    from sqlalchemy import text

    from app.storage.engine import alembic_config
    from tests.unit.test_due_runs import _run

    first, _second, end = _run(svc, world)
    cfg = alembic_config(db.url, db.engine)
    command.downgrade(cfg, "0023_run_end")
    command.downgrade(cfg, "0023_run_end@-1")
    with db.engine.begin() as conn:  # 0011 stepped back as its downgrade would, data kept
        conn.execute(text("DROP INDEX ix_services_review_decision_id"))
        conn.execute(text("DROP INDEX ix_cases_next_deadline_kind"))
        for table, column in (("services", "document_id"), ("services", "review_decision_id"),
                              ("meetings", "investigation_days"),
                              ("meetings", "investigation_until")):  # fmt: skip
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = '0011_rulebook'"))
    db.migrate()
    with db.read() as s:
        stored = s.execute(text("SELECT next_deadline FROM cases WHERE id = :i"), {"i": first})
        assert str(stored.scalar()) == str(end)
        assert s.execute(text("SELECT investigation_days FROM meetings")).all()


# A review decision's record as 036cd3b wrote it: a 撤销 (no day, no application) and a 变更
# (its new sanction at the top level).
REVOKED = {"doc_number": "荣综执纪复〔2026〕2号", "new_decision_id": 14, "outcome": "撤销",
           "overdue": False}  # fmt: skip
CHANGED = {"doc_number": "荣综执纪复〔2026〕3号", "forms": ["责令作出书面检查"],
           "new_decision_id": 18, "other_form_text": "", "outcome": "予以问责",
           "overdue": False, "reasons": "综合考虑其主动整改情况", "sanction_kind": None,
           "transfer_to_judicial": False}  # fmt: skip


def test_an_old_review_record_makes_its_new_decision() -> None:
    made = dict(_knock_ons("review_decision", 2, {}, REVOKED, {("review_decision", 2): 14}))
    assert made[("decision", 14)]["status"] == DecisionStatus.IN_FORCE.value
    assert made[("decision", 14)]["origin"] == DecisionOrigin.REVIEW_REVOKE.value
    assert "decided_on" not in made[("decision", 14)]  # that version did not record it
    made = dict(_knock_ons("review_decision", 3, {}, CHANGED, {("review_decision", 3): 18}))
    new = made[("decision", 18)]
    assert new["doc_number"] == CHANGED["doc_number"]
    assert new["origin"] == DecisionOrigin.REVIEW_CHANGE.value
    assert new["forms"] == ["责令作出书面检查"] and new["outcome"] == "予以问责"


# 登记初步核实报告 as d6b2577 wrote it: the follow-up disposition it made (拟立案) as ``next``
# in the first disposition's record, without its id (the row names the first in follows_id).
REPORTED = {"approval_ref": "纪委会议纪要〔2026〕3号", "approver": "纪委书记 周正",
            "completed_on": "2026-08-21", "decided_on": "2026-07-05", "due_on": "2026-09-03",
            "follows_id": None, "kind": "初步核实", "lead": "XS2026-0075", "outcome": "拟立案",
            "reason": "", "revisit_on": None,
            "next": {"approval_ref": "纪委会议纪要〔2026〕102号", "approver": "局党组书记 李明",
                     "completed_on": None, "decided_on": "2026-08-22", "due_on": None,
                     "follows_id": 2, "kind": "拟立案", "outcome": "", "reason": "",
                     "revisit_on": None}}  # fmt: skip


def test_an_old_disposition_record_makes_its_follow_up() -> None:
    """Else verify said 「线索XS2026-0075的处置意见（编号3）没有任何审计记录写入过」."""
    links = {("next_disposition", 2): 3}
    made = dict(_knock_ons("lead_disposition", 2, {}, REPORTED, links))
    assert made[("lead_disposition", 3)]["kind"] == "拟立案"
    assert made[("lead_disposition", 3)]["follows_id"] == 2
    assert not dict(_knock_ons("lead_disposition", 2, {}, REPORTED, {}))  # no such row


def test_follow_ups_are_found_by_the_row_they_follow(svc, db) -> None:  # type: ignore[no-untyped-def]
    from app.services.replay_moves import follow_up_links

    with db.read() as s:
        assert follow_up_links(s) == {}  # none yet: nothing to read as an old record's 'next'
