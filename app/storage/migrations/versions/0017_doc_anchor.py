"""issued documents carry the audit chain's (seq, head) at issue, bound into their code

Revision ID: 0017_doc_anchor
Revises: 0001
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import Added, add_columns, drop_columns

revision = "0017_doc_anchor"
down_revision = "0001"

ADDED: Added = {"documents": {"anchor_seq": sa.Integer(), "anchor_head": sa.String(64)}}


def upgrade() -> None:
    add_columns(ADDED)


def downgrade() -> None:
    drop_columns(ADDED)
