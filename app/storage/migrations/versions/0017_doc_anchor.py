"""issued documents carry the audit chain's (seq, head) at issue, bound into their code

Revision ID: 0017_doc_anchor
Revises: 0001
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import add_columns, column, drop_columns

revision = "0017_doc_anchor"
down_revision = "0001"


def anchor() -> dict[str, list[sa.Column]]:
    return {
        "documents": [
            column("anchor_seq", sa.Integer(), nullable=True),
            column("anchor_head", sa.String(64), nullable=True),
        ]
    }


def upgrade() -> None:
    add_columns(anchor())


def downgrade() -> None:
    drop_columns(anchor())
