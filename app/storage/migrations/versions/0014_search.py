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

from alembic import op

revision = "0014_search"
down_revision = "0001"
branch_labels = None
depends_on = None

# Whitespace (code points up to 32, NBSP, ideographic space) becomes U+E000: a token that
# no one types, so "三 城" (with a gap) is not the phrase 三城.
_CHAR = "CASE WHEN unicode(ch) <= 32 OR unicode(ch) IN (160, 12288) THEN char(57344) ELSE ch END"


def spaced(expr: str) -> str:
    """SQL for ``expr`` (a text) with a space between every character (json_each as a counter).

    Written without a CTE: SQLite refuses WITH inside a trigger.
    """
    return (
        f"(SELECT group_concat({_CHAR}, ' ') FROM (SELECT substr({expr}, key + 1, 1) AS ch "
        f"FROM json_each('[' || replace(hex(zeroblob(length({expr}))), '00', '0,') || '0]') "
        f"WHERE key < length({expr})))"
    )


TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'"

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
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            f"CREATE VIRTUAL TABLE cases_chars USING fts5(chars, content='', tokenize=\"{TOKENIZER}\")"
        )
        op.execute(
            "CREATE TRIGGER cases_chars_ai AFTER INSERT ON cases BEGIN "
            f"INSERT INTO cases_chars(rowid, chars) VALUES (new.id, {spaced('new.search_text')}); END"
        )
        op.execute(
            "CREATE TRIGGER cases_chars_au AFTER UPDATE OF search_text ON cases BEGIN "
            "INSERT INTO cases_chars(cases_chars, rowid, chars) "
            f"VALUES ('delete', old.id, {spaced('old.search_text')}); "
            f"INSERT INTO cases_chars(rowid, chars) VALUES (new.id, {spaced('new.search_text')}); END"
        )
        op.execute(
            "CREATE TRIGGER cases_chars_ad AFTER DELETE ON cases BEGIN "
            "INSERT INTO cases_chars(cases_chars, rowid, chars) "
            f"VALUES ('delete', old.id, {spaced('old.search_text')}); END"
        )
        op.execute(
            "INSERT INTO cases_chars(rowid, chars) "
            f"SELECT c.id, {spaced('c.search_text')} FROM cases AS c"
        )
    elif bind.dialect.name == "postgresql":
        op.execute(PG_GRAMS)
        op.execute(
            "CREATE INDEX ix_cases_search_grams ON cases USING gin (wenze_grams(search_text))"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("cases_chars_ad", "cases_chars_au", "cases_chars_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS cases_chars")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_search_grams")
        op.execute("DROP FUNCTION IF EXISTS wenze_grams(text)")
