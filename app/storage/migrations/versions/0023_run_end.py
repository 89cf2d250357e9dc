"""each sanction's period as served: the run of 《行政机关公务员处分条例》第十条 (decisions.run_end)

A person sanctioned again within a period serves the periods as one run; the 解除处分 list
used its end while 处分期满 on the dashboard, the 期限 sheet and ``wenze deadline due`` used
each decision's own ``sanction_end``, so the two disagreed for such a person. The run's end is
now stored with each decision and refreshed by every act (``app.services.sanction_runs``).
The rows already there get their own end, then each person's runs are worked out once.

Revision ID: 0023_run_end
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from app.storage.migrations.helpers import Added, add_columns

revision = "0023_run_end"
down_revision = "0001"

ADDED: Added = {"decisions": {"run_end": sa.Date()}}


def upgrade() -> None:
    add_columns(ADDED)
    op.create_index("ix_decisions_run_end", "decisions", ["run_end"])
    op.execute("UPDATE decisions SET run_end = sanction_end")
    _backfill_runs()


def _backfill_runs() -> None:
    """The runs of persons with more than one sanction in force (the same function as acts)."""
    from sqlalchemy.orm import Session

    from app.services.sanction_runs import refresh_runs

    bind = op.get_bind()
    with Session(bind=bind) as s:
        persons = s.execute(
            sa.text(
                "SELECT s.person_id FROM decisions d JOIN case_subjects s ON s.id = d.subject_id"
                " WHERE d.sanction_kind IS NOT NULL AND s.person_id IS NOT NULL"
                " GROUP BY s.person_id HAVING COUNT(*) > 1"
            )
        ).scalars()
        refresh_runs(s, list(persons))
        s.flush()
    # A case whose stored next due date was such a sanction's own end keeps it until its next
    # act re-stores it: the run's end is never earlier, and a 处分期满 passing is not overdue.


def downgrade() -> None:
    # Not drop_columns: SQLite's batch copy of ``decisions`` would drop a table others refer
    # to; ALTER TABLE … DROP COLUMN (SQLite 3.35+, PostgreSQL) leaves the references alone.
    op.drop_index("ix_decisions_run_end", "decisions")
    op.execute("ALTER TABLE decisions DROP COLUMN run_end")
