"""a service by entrusting another unit (委托送达) names the unit entrusted

The 送达回证 of a 委托送达 names the 受托单位 that served on the bureau's behalf; until now
the service recorded only its servers. Services recorded before keep NULL (their proofs
leave the unit to be written in by hand).

Revision ID: 0021_entrusted_unit
Revises: 0001
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import Added, add_columns, drop_columns

revision = "0021_entrusted_unit"
down_revision = "0001"

ADDED: Added = {"services": {"entrusted_unit": sa.String(100)}}


def upgrade() -> None:
    add_columns(ADDED)


def downgrade() -> None:
    drop_columns(ADDED)
