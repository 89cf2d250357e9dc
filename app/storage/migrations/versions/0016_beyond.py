"""beyond the regulation (issue 16): lead dispositions, staff numbers, sanction releases

Revision ID: 0016_beyond
Revises: 0001
Create Date: 2026-11-30 14:30:00
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import (
    Table,
    column,
    create_tables,
    drop_tables,
    of_case,
    ref,
    stamped,
)

revision = "0016_beyond"
down_revision = "0001"


def tables() -> list[Table]:
    return [
        Table(
            "lead_dispositions",
            ref("lead_id", "leads", index=True),
            column("kind", sa.String(8), index=True),
            column("decided_on", sa.Date(), index=True),
            column("approver", sa.String(64)),
            column("approval_ref", sa.String(64)),
            column("reason", sa.Text()),
            column("revisit_on", sa.Date(), nullable=True),
            column("due_on", sa.Date(), nullable=True, index=True),
            column("completed_on", sa.Date(), nullable=True),
            column("report_text", sa.Text()),
            column("outcome", sa.String(8)),
            column("follows_id", sa.Integer(), nullable=True),
            *stamped(),
        ),
        Table(
            "staff_numbers",
            ref("person_id", "people", unique=True),
            column("staff_no", sa.String(32), unique=True),
            *stamped(),
        ),
        Table(
            "sanction_releases",
            of_case(),
            ref("decision_id", "decisions", unique=True),
            ref("subject_id", "case_subjects", index=True),
            column("sanction_kind", sa.String(8)),
            column("period_end", sa.Date()),
            column("released_on", sa.Date(), index=True),
            column("conduct", sa.Text()),
            column("confirmed_by", sa.String(64)),
            column("note", sa.Text()),
            *stamped(),
        ),
    ]


def upgrade() -> None:
    create_tables(tables())


def downgrade() -> None:
    drop_tables(tables())
