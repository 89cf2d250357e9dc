"""search: an index that serves 1–2 character terms

SQLite: ``cases_chars``, a contentless FTS5 table holding ``cases.search_text`` one
character per token (whitespace as one private-use token, so a two-character phrase never
matches across a gap). A one-character term is a one-token query, a two-character term a
two-token phrase: both exact and indexed. Triggers keep it in step with ``cases`` the same
way ``cases_fts`` (trigram, terms of three characters or more) is kept, so no service needs
to know about it.

PostgreSQL: a GIN index over the distinct 1- and 2-character grams of the lower-cased
``search_text`` (``wenze_grams``), queried with ``@>``; pg_trgm keeps serving longer terms.

Revision ID: 0014_search
Revises: 0001
Create Date: 2026-11-30 14:40:00
"""

from app.storage.migrations.helpers import (
    TOKENIZER,
    blank,
    create_mirror,
    drop_mirror,
    each_position,
    execute_per_dialect,
)

revision = "0014_search"
down_revision = "0001"

# Whitespace (code points up to 32, NBSP, ideographic space) becomes U+E000: a token that
# no one types, so "三 城" (with a gap) is not the phrase 三城.
_CHAR = f"CASE WHEN {blank('ch')} THEN char(57344) ELSE ch END"


def spaced(expr: str) -> str:
    """SQL for ``expr`` (a text) with a space between every character."""
    return (
        f"(SELECT group_concat({_CHAR}, ' ') FROM (SELECT substr({expr}, key + 1, 1) AS ch "
        f"{each_position(expr)}))"
    )


PG_GRAMS = """
CREATE OR REPLACE FUNCTION wenze_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
    SELECT substr(lower(t), i, 1) AS g FROM generate_series(1, length(t)) AS i
    UNION ALL
    SELECT substr(lower(t), i, 2) FROM generate_series(1, length(t) - 1) AS i
  ) AS grams
$$
"""


def upgrade() -> None:
    execute_per_dialect(
        sqlite=create_mirror(
            "cases_chars", "chars", f"content='', tokenize=\"{TOKENIZER}\"", spaced
        ),
        postgresql=[
            PG_GRAMS,
            "CREATE INDEX ix_cases_search_grams ON cases USING gin (wenze_grams(search_text))",
        ],
    )


def downgrade() -> None:
    execute_per_dialect(
        sqlite=drop_mirror("cases_chars"),
        postgresql=[
            "DROP INDEX IF EXISTS ix_cases_search_grams",
            "DROP FUNCTION IF EXISTS wenze_grams(text)",
        ],
    )
