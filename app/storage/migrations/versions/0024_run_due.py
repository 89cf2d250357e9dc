"""each case whose 第十条 run moved in 0023 stores its next due date again

Before 0023 a case stored its sanction's own end as its next due date (case detail's
下一期限, the case list's order and 临期); 0023 stored the runs (``decisions.run_end``), so a
case in a run would keep the earlier date until its next act, and a closed case has none.
The dashboard's 待办期限 read the run's end meanwhile.

Working out a case's next due date reads the whole case (``case_store.load_state``), the
release versions of 0022 among it; 0022 and 0023 are separate branches of the schema and
apply in either order, so this revision follows both.

Revision ID: 0024_run_due
Revises: 0022_release_versions, 0023_run_end
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0024_run_due"
down_revision = ("0022_release_versions", "0023_run_end")


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from app.services.case_store import restore_due
    from app.services.recalendar import calendar_from
    from app.storage.models import Holiday

    with Session(bind=op.get_bind()) as s:
        # the cases with a sanction whose run ends after its own end (0023's runs)
        moved = s.execute(
            sa.text(
                "SELECT DISTINCT case_id FROM decisions"
                " WHERE run_end IS NOT NULL AND sanction_end IS NOT NULL"
                " AND run_end <> sanction_end"
            )
        ).scalars()
        calendar = calendar_from(s.scalars(sa.select(Holiday)))
        restore_due(s, list(moved), date.today(), calendar)
        s.flush()


def downgrade() -> None:
    """Nothing to undo: a stored next due date is derived from the records."""
