"""security (issue 13): keyed audit chain, audit key per user, recovery-key escrow

Revision ID: 0013_security
Revises: 0001
Create Date: 2026-11-30 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_security"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_escrow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_escrow")),
        sa.UniqueConstraint("purpose", name=op.f("uq_key_escrow_purpose")),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("wrapped_audit_key", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("audit_key_salt", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("audit_records") as batch:
        batch.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("sealed_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sealed_mac", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("mac")
        batch.drop_column("sealed_mac")
        batch.drop_column("sealed_seq")
    with op.batch_alter_table("audit_records") as batch:
        batch.drop_column("mac")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("audit_key_salt")
        batch.drop_column("wrapped_audit_key")
    op.drop_table("key_escrow")
