"""the approval day of a case time limit extended before 0019, from its audit record

0019 kept the day the 6-month case time limit's extension was approved (处分条例第四十四条)
on the case and left it NULL for the extensions already made; the 延长办案期限 act had
always written it in its audit record (``approved_on``). Replay compares the column with that
record, so each such case was named as edited outside the system and its documents refused.
The column is filled from the record, as 0020 filled the unit heads from theirs; a later
correction of the opening is then checked against it as any other.

Revision ID: 0025_time_limit_approved_on
Revises: 0019_time_limit_approval
"""

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0025_time_limit_approved_on"
down_revision = "0019_time_limit_approval"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT a.entity_id, a.after FROM audit_records a JOIN cases c ON c.id = a.entity_id"
            " WHERE a.action = '延长办案期限' AND a.entity = 'case'"
            " AND c.time_limit_approved_on IS NULL ORDER BY a.seq"
        )
    )
    days: dict[int, date] = {}
    for case_id, after in rows:
        value = json.loads(after) if isinstance(after, str) else after
        main = (value or {}).get("main", value) or {}
        day = main.get("approved_on")
        if isinstance(day, str):
            days[int(case_id)] = date.fromisoformat(day)  # the last one, as replay reads it
    if days:
        update = sa.text("UPDATE cases SET time_limit_approved_on = :d WHERE id = :c").bindparams(
            sa.bindparam("d", type_=sa.Date())
        )
        bind.execute(update, [{"c": c, "d": d} for c, d in sorted(days.items())])


def downgrade() -> None:
    """Nothing to undo: the column keeps what the audit record says (0019 drops it)."""
