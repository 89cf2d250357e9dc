"""beyond the regulation (issue 16): lead dispositions, staff numbers, sanction releases

Revision ID: 0016_beyond
Revises: 0001
Create Date: 2026-11-30 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_beyond"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_dispositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("approver", sa.String(length=64), nullable=False),
        sa.Column("approval_ref", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revisit_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("report_text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("follows_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_dispositions_lead_id_leads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_dispositions")),
    )
    with op.batch_alter_table("lead_dispositions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_dispositions_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_dispositions_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lead_dispositions_decided_on"), ["decided_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lead_dispositions_due_on"), ["due_on"], unique=False)

    op.create_table(
        "staff_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("staff_no", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_staff_numbers_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_numbers")),
        sa.UniqueConstraint("person_id", name=op.f("uq_staff_numbers_person_id")),
        sa.UniqueConstraint("staff_no", name=op.f("uq_staff_numbers_staff_no")),
    )

    op.create_table(
        "sanction_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("sanction_kind", sa.String(length=8), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("conduct", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_sanction_releases_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_sanction_releases_decision_id_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["case_subjects.id"],
            name=op.f("fk_sanction_releases_subject_id_case_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanction_releases")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_sanction_releases_decision_id")),
    )
    with op.batch_alter_table("sanction_releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sanction_releases_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sanction_releases_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sanction_releases_released_on"), ["released_on"], unique=False
        )


def downgrade() -> None:
    op.drop_table("sanction_releases")
    op.drop_table("staff_numbers")
    op.drop_table("lead_dispositions")
