"""a sanction release is corrected by a new version: one current release per decision

《公务员法》第六十五条 and the rule "nothing is deleted": a wrong 解除日期, confirming officer
or conduct is put right by a new version of the release that the old one points to
(``superseded_by_id``, with the correction's reason), like every corrected record. The
unique key on ``decision_id`` becomes a partial unique index on the current rows
(``WHERE superseded_by_id IS NULL``: SQLite and PostgreSQL both keep it), so a decision
still has one current release and its versions stay readable; a plain index serves the
joins on ``decision_id``.

SQLite cannot drop a constraint: the table is copied, spelled out here (a batch copy would
order its keys as a set iterates, and the schema snapshot would not be reproducible).
A downgrade restores the unique key, so it fails once a release has been corrected.

Revision ID: 0022_release_versions
Revises: 0016_beyond
"""

import sqlalchemy as sa
from alembic import op

from app.storage.migrations.helpers import column, dialect

revision = "0022_release_versions"
down_revision = "0016_beyond"

T = "sanction_releases"
COLUMNS = (
    "id, case_id, decision_id, subject_id, sanction_kind, period_end, released_on, conduct, "
    "confirmed_by, note, created_at, created_by"
)
INDEXES = ("case_id", "released_on", "subject_id")
CURRENT = f"CREATE UNIQUE INDEX uq_{T}_current ON {T} (decision_id) WHERE superseded_by_id IS NULL"


def _sqlite_copy(versioned: bool) -> None:
    """The table made again with (``versioned``) or without the versions' columns and key."""
    extra = (
        "superseded_by_id INTEGER, correction_reason TEXT DEFAULT '' NOT NULL, "
        if versioned
        else ""
    )
    unique = "" if versioned else f", CONSTRAINT uq_{T}_decision_id UNIQUE (decision_id)"
    op.execute(
        f"CREATE TABLE {T}_copy (id INTEGER NOT NULL, case_id INTEGER NOT NULL, "
        "decision_id INTEGER NOT NULL, subject_id INTEGER NOT NULL, "
        "sanction_kind VARCHAR(8) NOT NULL, period_end DATE NOT NULL, "
        "released_on DATE NOT NULL, conduct TEXT NOT NULL, confirmed_by VARCHAR(64) NOT NULL, "
        "note TEXT NOT NULL, created_at DATETIME NOT NULL, created_by VARCHAR(64) NOT NULL, "
        f"{extra}CONSTRAINT pk_{T} PRIMARY KEY (id), "
        f"CONSTRAINT fk_{T}_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id), "
        f"CONSTRAINT fk_{T}_decision_id_decisions FOREIGN KEY(decision_id) "
        "REFERENCES decisions (id), "
        f"CONSTRAINT fk_{T}_subject_id_case_subjects FOREIGN KEY(subject_id) "
        f"REFERENCES case_subjects (id){unique})"
    )
    op.execute(f"INSERT INTO {T}_copy ({COLUMNS}) SELECT {COLUMNS} FROM {T}")
    op.execute(f"DROP TABLE {T}")
    op.execute(f"ALTER TABLE {T}_copy RENAME TO {T}")
    for name in INDEXES + (("decision_id",) if versioned else ()):
        op.execute(f"CREATE INDEX ix_{T}_{name} ON {T} ({name})")


def upgrade() -> None:
    if dialect() == "sqlite":
        _sqlite_copy(versioned=True)
    else:
        op.drop_constraint(f"uq_{T}_decision_id", T, type_="unique")
        op.add_column(T, column("superseded_by_id", sa.Integer(), nullable=True))
        op.add_column(
            T, sa.Column("correction_reason", sa.Text(), nullable=False, server_default="")
        )
        op.create_index(f"ix_{T}_decision_id", T, ["decision_id"])
    op.execute(CURRENT)


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS uq_{T}_current")
    if dialect() == "sqlite":
        _sqlite_copy(versioned=False)
        return
    op.drop_index(f"ix_{T}_decision_id", T)
    op.drop_column(T, "correction_reason")
    op.drop_column(T, "superseded_by_id")
    op.create_unique_constraint(f"uq_{T}_decision_id", T, ["decision_id"])
