"""Two PCs acting at the same moment on the LAN database: the first paused after its checks,
before it commits, while the second runs (tests of the row locks that order them)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class PausedRace:
    """``pause()`` is called where the first act has checked: it waits there until the second
    has had every chance to run its own checks and commit."""

    def __init__(self) -> None:
        self.checked = threading.Event()
        self.go = threading.Event()

    def pause(self) -> None:
        if threading.current_thread().name == "first":
            self.checked.set()
            assert self.go.wait(30)

    def pausing_after(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn``, then the pause (a check to monkeypatch in its module)."""

        def wrapped(*a: Any, **k: Any) -> Any:
            out = fn(*a, **k)
            self.pause()
            return out

        return wrapped

    def run(
        self, first: Callable[[], Any], second: Callable[[], Any],
        refusals: tuple[type[BaseException], ...],
    ) -> dict[str, str]:  # fmt: skip
        """Each act's outcome: "done", or the message it was refused with."""
        outcome: dict[str, str] = {}

        def act(name: str, fn: Callable[[], Any]) -> None:
            try:
                fn()
                outcome[name] = "done"
            except refusals as exc:
                outcome[name] = str(exc)

        t1 = threading.Thread(target=act, args=("first", first), name="first")
        t2 = threading.Thread(target=act, args=("second", second), name="second")
        t1.start()
        assert self.checked.wait(60)
        t2.start()
        t2.join(1.5)  # without the lock the second commits here, while the first is paused
        self.go.set()
        t1.join(60)
        t2.join(60)
        assert not t1.is_alive() and not t2.is_alive()
        return outcome


@contextmanager
def other_window(db: Any, data_dir: Path, clock: Any) -> Iterator[Any]:
    """Another window (or a second PC) on the same database: its own engine and services,
    closed when the block ends."""
    from app.services import build_services
    from app.services.vault import StaticKeyProvider
    from app.storage.engine import Database

    other = Database(db.url, data_dir)
    try:
        yield build_services(
            other, data_dir=data_dir, clock=clock, keys=StaticKeyProvider(b"k" * 32)
        )
    finally:
        other.dispose()
