"""the day the case time limit's extension was approved (处分条例第四十四条)

An extension is approved while the 6-month limit runs and after the case was opened; keeping
its day on the case lets a later correction of the opening be checked against it (before,
it was only in the audit record). Earlier extensions keep NULL and are not re-checked.

Revision ID: 0019_time_limit_approval
Revises: 0001
"""

import sqlalchemy as sa

from app.storage.migrations.helpers import Added, add_columns, drop_columns

revision = "0019_time_limit_approval"
down_revision = "0001"

ADDED: Added = {"cases": {"time_limit_approved_on": sa.Date()}}


def upgrade() -> None:
    add_columns(ADDED)


def downgrade() -> None:
    drop_columns(ADDED)
