"""indexes the bureau's scale needs: report items by subject, audit records by case and entity

类案参考 reads the responsibility the report in force gives a subject (the case's own, then
each precedent's); without an index every call read the whole of ``report_items`` twice, a
table of as many rows as the bureau has subjects reported on.

A case's replay (checked before each document of the case is issued) reads the case's audit
records and the acts outside any case on its rows (``case_id`` NULL, entity holiday, person
or roster); by ``case_id`` alone it read every record without a case — one per lead
registered, 40,000 at 100,000 cases, 0.4 s — to keep a handful.

Revision ID: 0029_scale_indexes
Revises: 0001
"""

from app.storage.migrations.helpers import Indexes, create_indexes, drop_indexes

revision = "0029_scale_indexes"
down_revision = "0001"

INDEXES: Indexes = {
    "ix_report_items_subject_id": ("report_items", ["subject_id"]),
    "ix_audit_records_case_entity": ("audit_records", ["case_id", "entity"]),
}


def upgrade() -> None:
    create_indexes(INDEXES)


def downgrade() -> None:
    drop_indexes(INDEXES)
