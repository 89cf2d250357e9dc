"""indexes on the days the monthly report's 明细 selects by: report, service, meeting

The 明细 of a month lists the cases with an act in it: its SQL selects cases by five dates
(OR), services by ``served_at`` and opening meetings by ``meeting_date``. Four of the case
dates had an index, ``reported_on`` none, so SQLite read the whole ``cases`` table; services
and meetings were read whole too. On a demo of 20,000 cases (EXPLAIN QUERY PLAN: SCAN cases,
SCAN services, SCAN meetings) each took 38, 20 and 22 ms; with these indexes (SEARCH … USING
INDEX) 0.4, 0.3 and 0.4 ms, and the tables grow with every case.

Revision ID: 0030_report_date_indexes
Revises: 0001
"""

from app.storage.migrations.helpers import Indexes, create_indexes, drop_indexes

revision = "0030_report_date_indexes"
down_revision = "0001"

INDEXES: Indexes = {
    "ix_cases_reported_on": ("cases", ["reported_on"]),
    "ix_services_served_at": ("services", ["served_at"]),
    "ix_meetings_meeting_date": ("meetings", ["meeting_date"]),
}


def upgrade() -> None:
    create_indexes(INDEXES)


def downgrade() -> None:
    drop_indexes(INDEXES)
