"""Chinese names in pinyin order inside the database (``ORDER BY pinyin_key(name)``).

GB 18030 (a superset of GB 2312) lays out the 3,755 level-1 characters — nearly every
surname and the characters of unit names — in pinyin order, so its byte string is a pinyin
sort key that both databases can compute: SQLite through a deterministic function this
module registers on every connection, PostgreSQL with ``convert_to(…, 'GB18030')``. Rare
level-2 characters follow by radical, after the level-1 ones: the documented limit of GB
order. Letters and digits come before Chinese characters, as in a printed index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import LargeBinary


def pinyin_bytes(text: str | None) -> bytes | None:
    """The sort key of ``text`` (characters GB 18030 lacks sort last, never fail)."""
    if text is None:
        return None
    return text.encode("gb18030", errors="replace")


def register_sqlite(dbapi_conn: Any) -> None:
    """Called for each new SQLite connection."""
    dbapi_conn.create_function("pinyin_key", 1, pinyin_bytes, deterministic=True)


class pinyin_key(FunctionElement):
    """``pinyin_key(col)``: a column expression whose order is the pinyin order of ``col``."""

    type = LargeBinary()
    inherit_cache = True
    name = "pinyin_key"


@compiles(pinyin_key, "sqlite")
def _sqlite(element: pinyin_key, compiler: Any, **kw: Any) -> str:
    return f"pinyin_key({compiler.process(element.clauses, **kw)})"


@compiles(pinyin_key, "postgresql")
def _postgresql(element: pinyin_key, compiler: Any, **kw: Any) -> str:
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'GB18030')"


@compiles(pinyin_key)
def _other(element: pinyin_key, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)
