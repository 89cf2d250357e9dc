"""issued documents carry the audit chain's (seq, head) at issue, bound into their code

Revision ID: 0017_doc_anchor
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_doc_anchor"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anchor_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("anchor_head", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("anchor_head")
        batch_op.drop_column("anchor_seq")
