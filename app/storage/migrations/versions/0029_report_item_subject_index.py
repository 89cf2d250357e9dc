"""report items by their subject (the responsibility a report gives one subject)

类案参考 reads the responsibility the report in force gives a subject (the case's own, then
each precedent's); without an index every call read the whole of ``report_items`` twice, a
table of as many rows as the bureau has subjects reported on.

Revision ID: 0029_report_item_subject_index
Revises: 0001
"""

from alembic import op

revision = "0029_report_item_subject_index"
down_revision = "0001"


def upgrade() -> None:
    op.create_index("ix_report_items_subject_id", "report_items", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_report_items_subject_id", "report_items")
