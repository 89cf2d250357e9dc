"""rulebook: a service refers to the issued document it served; review decisions are served

Revision ID: 0011_rulebook
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_rulebook"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("review_decision_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_services_review_decision_id", ["review_decision_id"])
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("investigation_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("investigation_until", sa.Date(), nullable=True))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_next_deadline_kind", ["next_deadline", "next_deadline_kind"]
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_next_deadline_kind")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("investigation_until")
        batch_op.drop_column("investigation_days")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index("ix_services_review_decision_id")
        batch_op.drop_column("review_decision_id")
        batch_op.drop_column("document_id")
