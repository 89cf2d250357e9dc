"""One running copy per data folder: a second start asks the first to come forward, then exits."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ALREADY_RUNNING = "问责案管已经在运行，已将已打开的窗口切换到前台。"
_MESSAGE = b"raise\n"


def server_name(data_dir: Path | str) -> str:
    """Per user and per data folder, short enough for every platform's socket names."""
    digest = hashlib.sha256(f"{getpass.getuser()}|{Path(data_dir).resolve()}".encode()).hexdigest()
    return f"wenze-{digest[:16]}"


class SingleInstance(QObject):
    """Call :meth:`acquire` before building the window; connect :attr:`activated` to raise it."""

    activated = Signal()

    def __init__(self, data_dir: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def acquire(self, timeout_ms: int = 500) -> bool:
        """True if this is the first instance; False after telling the first one to come forward."""
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(timeout_ms):
            probe.write(_MESSAGE)
            probe.waitForBytesWritten(timeout_ms)
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)  # a stale socket left by a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            return True  # cannot guard (unusual platform error); run rather than refuse
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            sock.readyRead.connect(lambda s=sock: self._on_ready(s))
            if sock.bytesAvailable():
                self._on_ready(sock)

    def _on_ready(self, sock: QLocalSocket) -> None:
        if bytes(sock.readAll().data()).startswith(b"raise"):
            self.activated.emit()
        sock.disconnectFromServer()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None


def bring_forward(window) -> None:  # type: ignore[no-untyped-def]
    """Show, un-minimise and activate the main window."""
    from PySide6.QtCore import Qt

    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def bring_forward_current() -> None:
    """A second start: bring forward what is in use now — a modal dialog (the login dialog
    after 注销), else the visible main window. A window 注销 hid stays hidden: it holds the
    session that ended (its cases, and services acting in that user's name)."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    modal = QApplication.activeModalWidget()
    if modal is not None:
        bring_forward(modal)
        return
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMainWindow) and w.isVisible():
            bring_forward(w)
            return
