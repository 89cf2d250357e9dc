"""the heads of a case's unit subjects while it is open, as a table

A unit's head answers for the unit (Art. 4: 一把手负总责), so a case against his unit is
hidden from him and he may not act on it (Art. 12). Moved or demoted later, he keeps that
interest: the table keeps every head of a unit subject, at the proposal or appointed while
the case was open. Until now only the proposal's audit record kept who the heads were, so
the hidden-case query (which runs on every read) could not see former heads. The table is
filled from those audit records for the cases already there.

Revision ID: 0020_case_unit_heads
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

from app.storage.migrations.helpers import Table, create_tables, drop_tables, of_case, ref

revision = "0020_case_unit_heads"
down_revision = "0001"


def tables() -> list[Table]:
    return [
        Table(
            "case_unit_heads",
            of_case(),
            ref("person_id", "people", index=True),
            unique={"uq_case_unit_heads": ["case_id", "person_id"]},
        )
    ]


def upgrade() -> None:
    create_tables(tables())
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT case_id, after FROM audit_records WHERE action = '提出问责' AND entity = 'case'"
            " AND entity_id = case_id ORDER BY seq"
        )
    )
    people = {r[0] for r in bind.execute(sa.text("SELECT id FROM people"))}
    heads: set[tuple[int, int]] = set()
    for case_id, after in rows:
        value = json.loads(after) if isinstance(after, str) else after
        main = (value or {}).get("main", value) or {}
        heads.update((case_id, int(p)) for p in main.get("unit_heads", ()) if int(p) in people)
    if heads:
        bind.execute(
            sa.text("INSERT INTO case_unit_heads (case_id, person_id) VALUES (:c, :p)"),
            [{"c": c, "p": p} for c, p in sorted(heads)],
        )


def downgrade() -> None:
    drop_tables(tables())
