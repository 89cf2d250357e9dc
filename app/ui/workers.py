"""Run slow service calls off the UI thread; tests swap in a synchronous runner.

A runner takes a function and two callbacks. :class:`ThreadRunner` runs the function on
a QThreadPool and calls back on the UI thread through a queued signal; :class:`SyncRunner`
calls everything at once, so tests are deterministic without waiting.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QLabel

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Runner(Protocol):
    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        """Run ``fn``; pass its result to ``on_done`` (or its exception to ``on_error``)."""


class SyncRunner:
    """Runs the job immediately on the calling thread (tests, scripts)."""

    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        on_done(result)


class _Job(QRunnable):
    def __init__(self, token: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.token = token
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.relay.finished.emit(self.token, False, exc)
            return
        self.relay.finished.emit(self.token, True, result)


class _Relay(QObject):
    finished = Signal(int, bool, object)


class ThreadRunner(QObject):
    """QThreadPool runner: the job runs on a worker thread, callbacks on the UI thread."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._pending: dict[int, tuple[Done, Failed | None]] = {}
        self._ids = itertools.count(1)

    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        token = next(self._ids)
        self._pending[token] = (on_done, on_error)
        self.pool.start(_Job(token, fn, self._relay))

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued jobs finish (shutdown and screenshots only)."""
        return self.pool.waitForDone(msecs)

    @Slot(int, bool, object)
    def _deliver(self, token: int, ok: bool, payload: object) -> None:
        on_done, on_error = self._pending.pop(token, (None, None))
        if not ok:
            from app.ui.session_end import account_changed

            account_changed(payload)  # type: ignore[arg-type]  # the session is over: login
        if on_done is None:
            return
        try:
            if ok:
                on_done(payload)
            elif on_error is not None:
                on_error(payload)  # type: ignore[arg-type]
        except RuntimeError as exc:
            # The widget that asked was closed meanwhile (its C++ object is gone).
            if "already deleted" not in str(exc):
                raise


class ProgressRelay(QObject):
    """Carries (done, total) from a worker thread to the UI thread: a slot connected to
    ``changed`` (of an object living on the UI thread) runs there, queued."""

    changed = Signal(int, int)


@contextmanager
def busy(label: QLabel, text: str) -> Iterator[None]:
    """A job of a few seconds the UI thread runs itself (it writes in one transaction): say
    what is happening and show the wait cursor until it is done."""
    label.setText(text)
    label.repaint()  # painted now: the event loop does not run until the job is done
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
