"""search grams: 1- and 2-character terms as single tokens; indexes for the visible list

SQLite: ``cases_grams`` replaces 0014's ``cases_chars``. Each character of
``cases.search_text`` and each pair of neighbouring characters is one token (an FTS5 table
without positions, ``detail=none``), so a one- or two-character term is a single-token
lookup — a two-token phrase over ``cases_chars`` had to walk position lists and took tens
of milliseconds for common characters. Whitespace never forms a token or a pair, so a pair
never spans a gap. Triggers keep it in step with ``cases``, as before.

Both dialects: partial indexes over the cases that are not voided (what the list shows), so
the list counts from an index alone and pages by number, deadline, stage or year without a
sort. Partial, not led by ``voided``: the reports filter ``voided IS false`` and keep their
own plans (an index led by ``voided`` made SQLite, without statistics, drive joins from it).

Revision ID: 0015_search_grams
Revises: 0014_search
Create Date: 2026-11-30 15:05:00
"""

from alembic import op

from app.storage.migrations.helpers import (
    TOKENIZER,
    blank,
    create_mirror,
    dialect,
    drop_mirror,
    each_position,
    execute_per_dialect,
)

revision = "0015_search_grams"
down_revision = "0014_search"


def grams(expr: str) -> str:
    """SQL: the characters and neighbouring pairs of ``expr``, space-separated.

    Order does not matter: every token stands alone.
    """
    one = f"substr({expr}, key + 1, 1)"
    two = f"substr({expr}, key + 2, 1)"
    token = (
        f"CASE WHEN ({blank(one)}) THEN NULL "
        f"WHEN {two} = '' OR ({blank(two)}) THEN {one} "
        f"ELSE {one} || ' ' || {one} || {two} END"
    )
    return f"(SELECT group_concat({token}, ' ') {each_position(expr)})"


INDEXES = (
    ("ix_cases_live_number", "number"),
    ("ix_cases_live_deadline", "next_deadline, next_deadline_kind"),
    ("ix_cases_live_stage", "stage, number"),
    ("ix_cases_live_proposed", "proposed_on"),
)


def upgrade() -> None:
    # The same words as the list's condition (listing: Case.voided == False), so the
    # planner sees that the query implies the index's WHERE.
    live = "voided = 0" if dialect() == "sqlite" else "voided = false"
    for name, cols in INDEXES:
        op.execute(f"CREATE INDEX {name} ON cases ({cols}) WHERE {live}")
    execute_per_dialect(
        sqlite=[
            *drop_mirror("cases_chars"),
            *create_mirror(
                "cases_grams", "grams", f"content='', detail=none, tokenize=\"{TOKENIZER}\"", grams
            ),
        ]
    )


def downgrade() -> None:
    for name, _ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    execute_per_dialect(sqlite=drop_mirror("cases_grams"))
    # 0014's cases_chars is not rebuilt here; downgrade 0014 as well to drop its remains.
