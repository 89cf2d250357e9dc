"""each case's opening and report days stored as its records give them

The first version corrected a record with one generic 更正: a corrected 启动问责 meeting got
a new version with its new day and the case row kept the old ``opened_on``. The rules read
the day off the meeting since session 50 (第九条), and replay compares the row with it: such
a case was named as edited outside the system and its documents refused. Both days are
stored as ``app.domain.case.derive_dates`` gives them (the current 启动 meeting's day; the
current report's day), in the terms replay checks them in.

Revision ID: 0026_case_dates
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_case_dates"
down_revision = "0001"

OPENING = (
    "SELECT m.meeting_date FROM meetings m WHERE m.case_id = cases.id"
    " AND m.kind = '启动问责' AND m.superseded_by_id IS NULL AND m.outcome = '启动' LIMIT 1"
)
REPORT = (
    "SELECT r.report_date FROM reports r WHERE r.case_id = cases.id"
    " AND r.superseded_by_id IS NULL LIMIT 1"
)


def upgrade() -> None:
    bind = op.get_bind()
    for column, found in (("opened_on", OPENING), ("reported_on", REPORT)):
        bind.execute(
            sa.text(
                f"UPDATE cases SET {column} = ({found}) WHERE {column} IS DISTINCT FROM ({found})"
                if bind.dialect.name == "postgresql"
                else f"UPDATE cases SET {column} = ({found}) WHERE {column} IS NOT ({found})"
            )
        )


def downgrade() -> None:
    """Nothing to undo: the days are the records'."""
