"""security (issue 13): keyed audit chain, audit key per user, recovery-key escrow

Revision ID: 0013_security
Revises: 0001
Create Date: 2026-11-30 14:30:00
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import Added, Table, add_columns, column, drop_columns

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


# The audit key wrapped per user, the records' MAC, the sealed head.
ADDED: Added = {
    "users": {"wrapped_audit_key": sa.LargeBinary(), "audit_key_salt": sa.LargeBinary()},
    "audit_records": {"mac": sa.String(64)},
    "audit_head": {"sealed_seq": sa.Integer(), "sealed_mac": sa.String(64), "mac": sa.String(64)},
}


def upgrade() -> None:
    key_escrow().create()
    add_columns(ADDED)


def downgrade() -> None:
    drop_columns(ADDED)
    key_escrow().drop()
