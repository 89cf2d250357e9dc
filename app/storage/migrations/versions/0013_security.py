"""security (issue 13): keyed audit chain, audit key per user, recovery-key escrow

Revision ID: 0013_security
Revises: 0001
Create Date: 2026-11-30 14:30:00
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import Table, add_columns, column, drop_columns

revision = "0013_security"
down_revision = "0001"


def key_escrow() -> Table:
    return Table(
        "key_escrow",
        column("purpose", sa.String(16), unique=True),
        column("wrapped", sa.LargeBinary()),
        column("salt", sa.LargeBinary()),
        column("created_at", sa.DateTime()),
    )


def added() -> dict[str, list[sa.Column]]:
    """The audit key wrapped per user, the records' MAC, the sealed head."""
    return {
        "users": [
            column("wrapped_audit_key", sa.LargeBinary(), nullable=True),
            column("audit_key_salt", sa.LargeBinary(), nullable=True),
        ],
        "audit_records": [column("mac", sa.String(64), nullable=True)],
        "audit_head": [
            column("sealed_seq", sa.Integer(), nullable=True),
            column("sealed_mac", sa.String(64), nullable=True),
            column("mac", sa.String(64), nullable=True),
        ],
    }


def upgrade() -> None:
    key_escrow().create()
    add_columns(added())


def downgrade() -> None:
    drop_columns(added())
    key_escrow().drop()
