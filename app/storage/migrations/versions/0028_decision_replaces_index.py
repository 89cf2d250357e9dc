"""decisions by the decision they replace (a correction's or a review's new version)

Every figure of the monthly report counts the decisions no correction replaced
(``report_sql.standing``: no row whose ``replaces_id`` names it), and the 期限 sheet those no
review replaced by the month's end. Without an index each decision read every decision again:
a 10,000-case database took over 100 s to give a 月报, and 100,000 cases a hundred times that.

Revision ID: 0028_decision_replaces_index
Revises: 0001
"""

from app.storage.migrations.helpers import Indexes, create_indexes, drop_indexes

revision = "0028_decision_replaces_index"
down_revision = "0001"

INDEXES: Indexes = {"ix_decisions_replaces_id": ("decisions", ["replaces_id"])}


def upgrade() -> None:
    create_indexes(INDEXES)


def downgrade() -> None:
    drop_indexes(INDEXES)
