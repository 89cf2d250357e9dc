"""Two PCs, each with its own data folder, loading a demo into one PostgreSQL database: the
data folder's OS lock orders the demos of one PC only, so both saw the database empty and
wrote their bureaus and cases side by side. The demo now also holds a server-side lock; the
second is refused in Chinese and writes nothing, and a demo that ends frees it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text

from app.services import build_services
from app.services.base import ServiceError
from app.services.demo import make_demo
from app.services.demo_bureau import DEMO_BUSY, DEMO_PG_LOCK
from app.storage.models import Case, Unit


def test_a_demo_from_another_pc_is_refused_while_one_runs(db, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if db.is_sqlite:
        pytest.skip("one SQLite file is one data folder: its OS lock orders the demos")
    other_pc = create_engine(db.url)  # another PC's demo, holding the server's lock
    try:
        with other_pc.connect() as conn:
            assert conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": DEMO_PG_LOCK})
            (tmp_path / "pc2").mkdir()
            svc = build_services(db, clock=clock, data_dir=tmp_path / "pc2")
            with pytest.raises(ServiceError) as refused:
                make_demo(svc, 2, seed=3)
            assert str(refused.value) == DEMO_BUSY
            with db.read() as s:
                assert s.scalar(select(func.count(Case.id))) == 0
                assert s.scalar(select(func.count(Unit.id))) == 0
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": DEMO_PG_LOCK})
    finally:
        other_pc.dispose()
    make_demo(svc, 2, seed=3)  # freed: this one runs, and frees it in turn
    with db.read() as s:
        assert s.scalar(select(func.count(Case.id))) == 2
    again = create_engine(db.url)
    try:
        with again.connect() as conn:
            assert conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": DEMO_PG_LOCK})
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": DEMO_PG_LOCK})
    finally:
        again.dispose()
