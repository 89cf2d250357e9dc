"""What the revisions share: column builders, tables with their named keys and indexes, batch
column changes, the dialect branch and the FTS5 side tables kept in step with ``cases``.

Every name is spelled out here (``op.f``), never left to the models' naming convention, so a
revision's DDL stays what it was when it was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from alembic import op

# FTS5 tokenizer of the 1–2 character indexes (0014, 0015): every letter, digit, private-use,
# mark, punctuation and symbol character is a token character.
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'"


def dialect() -> str:
    """The name of the database the migration runs on ("sqlite", "postgresql")."""
    return op.get_bind().dialect.name


# ----------------------------------------------------------------------------- columns


def column(
    name: str,
    type_: sa.types.TypeEngine,
    *,
    nullable: bool = False,
    index: bool = False,
    unique: bool = False,
) -> sa.Column:
    """A column; ``index`` and ``unique`` become named objects when the table is created."""
    return sa.Column(name, type_, nullable=nullable, info={"index": index, "unique": unique})


def ref(name: str, table: str, **kw: bool) -> sa.Column:
    """An integer column holding the key of a row of ``table`` (a named foreign key)."""
    col = column(name, sa.Integer(), **kw)
    col.info["references"] = table
    return col


def of_case() -> sa.Column:
    """The owning case's key, indexed (models.OfCase)."""
    return ref("case_id", "cases", index=True)


def stamped() -> list[sa.Column]:
    """When and by whom the row was written (models.Stamped)."""
    return [column("created_at", sa.DateTime()), column("created_by", sa.String(length=64))]


def versioned() -> list[sa.Column]:
    """A correction's link to the row that replaces it, then the stamp (models.Versioned)."""
    return [
        column("superseded_by_id", sa.Integer(), nullable=True),
        column("correction_reason", sa.Text()),
        *stamped(),
    ]


# ----------------------------------------------------------------------------- tables


class Table:
    """A table as a revision creates it, with its keys, unique constraints and indexes named.

    Without ``primary`` the table gets a surrogate ``id`` key as its first column. Foreign
    keys and single-column unique constraints and indexes come from the columns; ``unique``
    and ``index`` add named ones over several columns. Build it afresh for each run: a
    column belongs to one table.
    """

    def __init__(
        self,
        name: str,
        *columns: sa.Column,
        primary: Sequence[str] = (),
        unique: dict[str, Sequence[str]] | None = None,
        index: dict[str, Sequence[str]] | None = None,
    ) -> None:
        self.name = name
        self.columns = columns
        self.primary = primary
        self.unique = unique or {}
        self.index = index or {}

    def create(self) -> None:
        columns = list(self.columns)
        if not self.primary:
            columns.insert(0, column("id", sa.Integer()))
        references = sorted(
            (c.name, c.info["references"]) for c in columns if "references" in c.info
        )
        foreign_keys = [
            sa.ForeignKeyConstraint(
                [name], [f"{table}.id"], name=op.f(f"fk_{self.name}_{name}_{table}")
            )
            for name, table in references
        ]
        unique = {
            **self.unique,
            **{f"uq_{self.name}_{c.name}": [c.name] for c in columns if c.info.get("unique")},
        }
        op.create_table(
            self.name,
            *columns,
            *foreign_keys,
            sa.PrimaryKeyConstraint(*(self.primary or ["id"]), name=op.f(f"pk_{self.name}")),
            *(
                sa.UniqueConstraint(*cols, name=op.f(name))
                for name, cols in sorted(unique.items(), key=lambda item: list(item[1]))
            ),
        )
        index = {
            **self.index,
            **{f"ix_{self.name}_{c.name}": [c.name] for c in columns if c.info.get("index")},
        }
        for name, cols in index.items():
            op.create_index(op.f(name), self.name, list(cols), unique=False)

    def drop(self) -> None:
        """Drop the table (its indexes and constraints go with it)."""
        op.drop_table(self.name)


def create_tables(tables: Iterable[Table]) -> None:
    for table in tables:
        table.create()


def drop_tables(tables: Sequence[Table]) -> None:
    """Drop in the reverse order of creation, so no foreign key outlives its target."""
    for table in reversed(tables):
        table.drop()


# ----------------------------------------------------------------------------- columns added later


Added = dict[str, dict[str, sa.types.TypeEngine]]
"""Columns a revision adds to existing tables: {table: {column: type}}."""


def add_columns(added: Added) -> None:
    """Add the columns, nullable (the rows already there have no value); SQLite: ADD COLUMN."""
    for table, columns in added.items():
        with op.batch_alter_table(table, schema=None) as batch:
            for name, type_ in columns.items():
                batch.add_column(column(name, type_, nullable=True))


def drop_columns(added: Added) -> None:
    """Undo add_columns, the last added first (SQLite: one copy of each table)."""
    for table, columns in reversed(added.items()):
        with op.batch_alter_table(table, schema=None) as batch:
            for name in reversed(columns):
                batch.drop_column(name)


# ----------------------------------------------------------------------------- indexes added later


Indexes = dict[str, tuple[str, Sequence[str]]]
"""Indexes a revision adds to existing tables: {name: (table, columns)}, names as written."""


def create_indexes(indexes: Indexes) -> None:
    """Create the indexes, in the order given."""
    for name, (table, columns) in indexes.items():
        op.create_index(name, table, list(columns))


def drop_indexes(indexes: Indexes) -> None:
    """Undo create_indexes, the last created first."""
    for name, (table, _columns) in reversed(indexes.items()):
        op.drop_index(name, table)


# ----------------------------------------------------------------------------- per dialect


def execute_per_dialect(**statements: Sequence[str]) -> None:
    """Run the statements written for this database (keyword: the dialect's name)."""
    for sql in statements.get(dialect(), ()):
        op.execute(sql)


def create_mirror(
    fts: str,
    col: str,
    options: str,
    value: Callable[[str], str],
    *,
    on_delete: bool = True,
    fill: bool = True,
) -> list[str]:
    """SQLite: an FTS5 table ``fts`` whose ``col`` mirrors ``cases.search_text`` through ``value``.

    ``options`` are the table's FTS5 options; ``fill`` indexes the cases already there.
    """
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({col}, {options})",
        *mirror_search_text(fts, col, value, on_delete=on_delete),
        *(
            [
                f"INSERT INTO {fts}(rowid, {col}) SELECT c.id, {value('c.search_text')} FROM cases AS c"
            ]
            if fill
            else []
        ),
    ]


def mirror_search_text(
    fts: str, col: str, value: Callable[[str], str], *, on_delete: bool = True
) -> list[str]:
    """SQLite: triggers that keep the FTS5 table ``fts`` in step with ``cases.search_text``.

    ``value`` turns the SQL of a search text (``new.search_text``) into what ``col`` holds.
    """
    new, old = value("new.search_text"), value("old.search_text")
    insert_new = f"INSERT INTO {fts}(rowid, {col}) VALUES (new.id, {new}); "
    delete_old = f"INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, {old}); "
    triggers = [
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON cases BEGIN {insert_new}END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON cases BEGIN "
        f"{delete_old}{insert_new}END",
    ]
    if on_delete:
        triggers.append(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON cases BEGIN {delete_old}END")
    return triggers


def drop_mirror(fts: str) -> list[str]:
    """SQLite: drop an FTS5 mirror of ``cases.search_text`` and its triggers."""
    return [
        *(f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in ("ad", "au", "ai")),
        f"DROP TABLE IF EXISTS {fts}",
    ]


def each_position(expr: str) -> str:
    """SQL ``FROM`` and ``WHERE`` whose ``key`` counts 0 … length(``expr``) − 1.

    json_each over a JSON array as long as the text serves as the counter: SQLite refuses a
    recursive CTE (WITH) inside a trigger.
    """
    return (
        f"FROM json_each('[' || replace(hex(zeroblob(length({expr}))), '00', '0,') || '0]') "
        f"WHERE key < length({expr})"
    )


def blank(char: str) -> str:
    """SQL: ``char`` is whitespace (code points up to 32, NBSP, ideographic space)."""
    return f"unicode({char}) <= 32 OR unicode({char}) IN (160, 12288)"
