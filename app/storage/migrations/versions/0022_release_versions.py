"""a sanction release is corrected by a new version: one current release per decision

《公务员法》第六十五条 and the rule "nothing is deleted": a wrong 解除日期, confirming officer
or conduct is put right by a new version of the release that the old one points to
(``superseded_by_id``, with the correction's reason), like every corrected record. The
unique key on ``decision_id`` becomes a partial unique index on the current rows
(``WHERE superseded_by_id IS NULL``: SQLite and PostgreSQL both keep it), so a decision
still has one current release and its versions stay readable; a plain index serves the
joins on ``decision_id``.

Revision ID: 0022_release_versions
Revises: 0016_beyond
"""

import sqlalchemy as sa
from alembic import op

from app.storage.migrations.helpers import column

revision = "0022_release_versions"
down_revision = "0016_beyond"

CURRENT = (
    "CREATE UNIQUE INDEX uq_sanction_releases_current ON sanction_releases (decision_id) "
    "WHERE superseded_by_id IS NULL"
)


def upgrade() -> None:
    with op.batch_alter_table("sanction_releases", schema=None) as batch:
        batch.drop_constraint("uq_sanction_releases_decision_id", type_="unique")
        batch.add_column(column("superseded_by_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("correction_reason", sa.Text(), nullable=False, server_default="")
        )
        batch.create_index("ix_sanction_releases_decision_id", ["decision_id"])
    op.execute(CURRENT)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS uq_sanction_releases_current")
    with op.batch_alter_table("sanction_releases", schema=None) as batch:
        batch.drop_index("ix_sanction_releases_decision_id")
        batch.drop_column("correction_reason")
        batch.drop_column("superseded_by_id")
        batch.create_unique_constraint("uq_sanction_releases_decision_id", ["decision_id"])
