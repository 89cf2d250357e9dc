"""a lead disposition is corrected by a new version (更正处置意见)

A mistyped 审批人, 审批依据 (会议纪要或签批单编号) or date of a lead's disposition was stuck
for ever: every other record is corrected as a new version. The old version now points at
its new one (``superseded_by_id``, with the correction's reason) and the new one names the
first version of its chain (``version_of_id``), so a lead's dispositions keep their order
(the first version's key) whichever of them is corrected. Rows already there are current
originals (NULL).

Revision ID: 0027_disposition_versions
Revises: 0016_beyond
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import Added, add_columns, drop_columns

revision = "0027_disposition_versions"
down_revision = "0016_beyond"

ADDED: Added = {
    "lead_dispositions": {
        "superseded_by_id": sa.Integer(),
        "correction_reason": sa.Text(),
        "version_of_id": sa.Integer(),
    }
}


def upgrade() -> None:
    add_columns(ADDED)


def downgrade() -> None:
    drop_columns(ADDED)
