"""校验审计链 at the start of every session, in the background.

The chain, its seals, the anchors and the replay of the case tables find a database edited
around the program (``sqlite3`` on a copied file, an older file put back) — but only when
someone opens 系统 → 校验审计链, which an office does rarely. Each login now runs the same
check a few seconds after the desk is up, on a worker thread: a clean result is one line in
the status bar; a failed one is a warning box naming what was found and what to do, shown
once the screen is unlocked (its text may name a case). A database larger than
:data:`AUTO_LIMIT` audit records (a demo of tens of thousands of cases, never a bureau's
volume) is not walked at every login, since that would take minutes: the status bar says so
and the manual check is still there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.workers import ThreadRunner

#: Audit records up to which every login checks the whole database (≈ 3,000 cases): a demo
#: of 1,000 cases (15,920 records) took 2.2 s of CPU and 108 MB on the build machine.
AUTO_LIMIT = 50_000
#: Milliseconds after the login before the check starts (the desk's own reads go first).
START_AFTER_MS = 3000

FAILED_TITLE = "审计记录自动校验未通过"
FAILED = (
    "登录时的自动校验发现数据库中的记录与审计链不符：\n{problems}\n\n"
    "这表明数据库文件可能在本系统之外被改动或替换。请立即告知系统管理员：在“系统 → "
    "校验审计链”中查看详情，查明原因前不要据此印发文书；必要时在“备份与恢复”中恢复最近一次"
    "校验通过的备份（恢复前的文件会保留）。"
)
#: How many problems the box lists (the manual check shows every one).
SHOWN = 5


class LoginVerify(QObject):
    """The check of one session; :meth:`stop` (注销, a session ended) drops its result."""

    def __init__(
        self, window: QWidget, services: Any, lock: Any = None, *, runner: Any = None
    ) -> None:
        super().__init__(window)
        self.window, self.services, self.lock = window, services, lock
        self.runner = runner or ThreadRunner(self)
        self.stopped = False
        self.report: Any = None
        self.waiting: str | None = None  # a warning held until the screen is unlocked
        self.held = False  # connected to the lock's ``unlocked``

    def start(self, delay_ms: int = START_AFTER_MS) -> None:
        QTimer.singleShot(delay_ms, self, self.run)

    def stop(self) -> None:
        self.stopped = True

    def over(self) -> bool:
        """注销 stopped it, or its window is closed (the program ending): nothing to show."""
        return self.stopped or not self.window.isVisible()

    def run(self) -> None:
        if not self.over():
            self.runner.submit(self._check, self._done, self._failed)

    def _check(self) -> Any:
        records = self.services.audit.count()
        if records > AUTO_LIMIT:
            return records
        return self.services.audit.verify()

    def _say(self, text: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if bar is not None:
            bar().showMessage(text)

    def _done(self, report: Any) -> None:
        if self.over():
            return
        if isinstance(report, int):
            self._say(
                f"审计记录共{report}条，登录时不自动校验（需时较长）；可在“系统 → 校验审计链”中校验"
            )
            return
        self.report = report
        if report.ok:
            self._say(f"登录时自动校验：{report.message}")
            return
        listed = report.problems[:SHOWN]
        more = len(report.problems) - len(listed)
        problems = "\n".join(f"· {p}" for p in listed) + (f"\n（另有{more}处）" if more else "")
        self.waiting = FAILED.format(problems=problems)
        self._warn()

    def _failed(self, exc: BaseException) -> None:
        if self.over():
            return
        from app.ui.trust_dialogs import _message

        self._say("登录时的自动校验未能完成：" + _message(exc))

    def _warn(self) -> None:
        if self.over() or self.waiting is None:
            return
        if self.lock is not None and self.lock.is_locked:
            if not self.held:  # shown once unlocked: its text may name a case
                self.lock.unlocked.connect(self._warn)
                self.held = True
            return
        if self.held:
            self.lock.unlocked.disconnect(self._warn)
            self.held = False
        text, self.waiting = self.waiting, None
        self._say(FAILED_TITLE)
        QMessageBox.warning(self.window, FAILED_TITLE, text)
