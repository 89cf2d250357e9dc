"""rulebook: a service refers to the issued document it served; review decisions are served

Revision ID: 0011_rulebook
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from app.storage.migrations.helpers import Added, add_columns, drop_columns

revision = "0011_rulebook"
down_revision = "0001"

ADDED: Added = {
    "services": {"document_id": sa.Integer(), "review_decision_id": sa.Integer()},
    # How the Party group set the investigation period, so a corrected date re-derives it.
    "meetings": {"investigation_days": sa.Integer(), "investigation_until": sa.Date()},
}


def upgrade() -> None:
    add_columns(ADDED)
    op.create_index("ix_services_review_decision_id", "services", ["review_decision_id"])
    op.create_index("ix_cases_next_deadline_kind", "cases", ["next_deadline", "next_deadline_kind"])


def downgrade() -> None:
    op.drop_index("ix_cases_next_deadline_kind", "cases")
    op.drop_index("ix_services_review_decision_id", "services")
    drop_columns(ADDED)
