"""Small Qt helpers shared by the main-window widgets: fonts, translations, error boxes."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCollator,
    QDate,
    QEvent,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QMessageBox,
    QProgressDialog,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

from app.resources import resource_path

UI_FONT_FILES = ("wqy-microhei.ttc",)
WEEKDAYS = "一二三四五六日"


def register_fonts(app: QApplication) -> str | None:
    """Register the bundled CJK font so Chinese renders on machines without one."""
    family = None
    for name in UI_FONT_FILES:
        path = resource_path("fonts", name)
        if not path.exists():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families and family is None:
            family = families[0]
    if family:
        font = QFont(family)
        font.setPointSize(10)
        app.setFont(font)
    return family


def chinese_system_locale(environ: dict[str, str] | None = None) -> bool:
    """Before the QApplication exists: Qt's *system* locale Chinese on Linux too.

    Qt's own file dialog formats sizes and dates with the system locale (「0 bytes」,
    「30 11 2026」 under LANG=C). Windows has its native dialogs and locale, so only a
    non-Chinese LANG elsewhere is changed, and never over an explicit LC_ALL.
    """
    import os
    import sys

    env = os.environ if environ is None else environ
    if sys.platform.startswith("win") or env.get("LC_ALL"):
        return False
    if env.get("LANG", "").startswith("zh"):
        return False
    env["LANG"] = "zh_CN.UTF-8"
    return True


def fit_file_dialog(dialog: Any) -> None:
    """Qt's own file dialog: columns as wide as names, sizes and dates (they were cut)."""
    from PySide6.QtWidgets import QHeaderView, QListView, QTreeView

    from app.ui.fit import fit_to_screen

    fit_to_screen(dialog, 960, 560)
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:
        header = tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    sidebar = dialog.findChild(QListView, "sidebar")
    if sidebar is not None:
        sidebar.setMinimumWidth(130)


_folder: dict[str, str] = {}  # the folder last chosen in a file dialog, this session


def default_folder() -> str:
    """Where a file dialog opens: the folder last chosen, else 文档 (Documents), else home.

    Never the working folder: started from a shortcut that is the program's own folder
    (on Windows under Program Files, where saving a report is refused).
    """
    from PySide6.QtCore import QStandardPaths

    last = _folder.get("last", "")
    if last and Path(last).is_dir():
        return last
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return docs
    return str(Path.home())


def remember_folder(path: str) -> None:
    """The folder of a chosen file (or a chosen folder) opens the next file dialog."""
    if path:
        p = Path(path)
        _folder["last"] = str(p if p.is_dir() else p.parent)


def _start_in(directory: str) -> str:
    """A bare file name or nothing starts in :func:`default_folder`; a path stays."""
    if not directory:
        return default_folder()
    p = Path(directory)
    if not p.is_absolute() and p.parent == Path("."):
        return str(Path(default_folder()) / p)
    return directory


def file_dialog(parent: QWidget | None, title: str, directory: str = "", filters: str = "") -> Any:
    """A QFileDialog: the platform's own where it has one (Windows), else Qt's, fitted."""
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, title, _start_in(directory), filters)
    native = QApplication.platformName() in ("windows", "cocoa")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not native)
    if not native:
        fit_file_dialog(dialog)
    return dialog


def choose_directory(parent: QWidget | None, title: str, directory: str = "") -> str:
    from PySide6.QtWidgets import QFileDialog

    dialog = file_dialog(parent, title, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    remember_folder(dialog.selectedFiles()[0])
    return dialog.selectedFiles()[0]


def open_file_name(parent: QWidget | None, title: str, filters: str, directory: str = "") -> str:
    from PySide6.QtWidgets import QFileDialog

    dialog = file_dialog(parent, title, directory, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    remember_folder(dialog.selectedFiles()[0])
    return dialog.selectedFiles()[0]


def save_file_name(parent: QWidget | None, title: str, name: str, filters: str) -> str:
    from PySide6.QtWidgets import QFileDialog

    dialog = file_dialog(parent, title, name, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    remember_folder(dialog.selectedFiles()[0])
    return dialog.selectedFiles()[0]


def install_translator(app: QApplication) -> QTranslator | None:
    """Qt's own buttons and dialogs in Chinese (qtbase_zh_CN.qm from resources or PySide6)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    for directory in (
        str(resource_path("translations")),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        if translator.load("qtbase_zh_CN", directory):
            app.installTranslator(translator)
            break
    else:
        return None
    # Installed last, so asked first: the strings qtbase_zh_CN lacks ("&Look in:", "Files of
    # &type:", "Folder") or words oddly (体积 for Size). Source: the .ts beside the .qm.
    fixes = QTranslator(app)
    if fixes.load("wenze_qt_fixes_zh_CN", str(resource_path("translations"))):
        app.installTranslator(fixes)
    return translator


# ----------------------------------------------------------------------------- pinyin order

PINYIN_PROBE = ("陈", "李", "王", "张")  # chen < li < wang < zhang
T = TypeVar("T")


_collators = threading.local()  # QCollator is reentrant, not thread-safe: one per thread


def chinese_collator() -> QCollator:
    """Chinese (pinyin) collation: ICU's zh_CN rules ship in the PySide6 wheel on Linux, and
    Windows' CompareStringEx knows zh-CN pinyin order; numbers compare as numbers."""
    collator = getattr(_collators, "zh", None)
    if collator is None:
        collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        collator.setNumericMode(True)
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        _collators.zh = collator
    return collator


@cache
def collator_sorts_pinyin() -> bool:
    """Whether this Qt build's collator orders 陈 < 李 < 王 < 张 (false without ICU data)."""
    c = chinese_collator()
    return all(c.compare(a, b) < 0 for a, b in itertools.pairwise(PINYIN_PROBE))


def compare_names(a: str, b: str) -> int:
    """<0, 0, >0 in pinyin order (GB2312 code order as the fallback: it is pinyin-ordered for
    the 3,755 common characters of its first level, which covers nearly every surname)."""
    if collator_sorts_pinyin():
        return chinese_collator().compare(a, b)
    ka, kb = gb_key(a), gb_key(b)
    return (ka > kb) - (ka < kb)


def gb_key(text: str) -> bytes:
    return text.encode("gb18030", errors="replace")


def name_key(text: str) -> Any:
    """A sort key in pinyin order (for ``sorted``)."""
    if collator_sorts_pinyin():
        return chinese_collator().sortKey(text)
    return gb_key(text)


def pinyin_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``items`` in pinyin order of ``key(item)``."""
    import functools

    return sorted(items, key=functools.cmp_to_key(lambda x, y: compare_names(key(x), key(y))))


# ----------------------------------------------------------------------------- style


class DeskStyle(QProxyStyle):
    """Sort arrows that point the way the rows go: ▲ for ascending (A→Z, 1→9, old→new).

    QHeaderView maps Qt.AscendingOrder to SortDown, which Fusion draws as a downward
    triangle; Windows draws its native header arrows itself, so only other styles flip.
    """

    def drawPrimitive(self, element: Any, option: Any, painter: Any, widget: Any = None) -> None:
        if (
            element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
            and isinstance(option, QStyleOption)
            and hasattr(option, "sortIndicator")
            and not self.baseStyle().name().lower().startswith("windows")
        ):
            from PySide6.QtWidgets import QStyleOptionHeader

            opt = QStyleOptionHeader(option)
            up, down = (
                QStyleOptionHeader.SortIndicator.SortUp,
                QStyleOptionHeader.SortIndicator.SortDown,
            )
            if opt.sortIndicator == up:
                opt.sortIndicator = down
            elif opt.sortIndicator == down:
                opt.sortIndicator = up
            super().drawPrimitive(element, opt, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def install_style(app: QApplication) -> None:
    if not isinstance(app.style(), DeskStyle):
        app.setStyle(DeskStyle(app.style().name()))


def error_text(exc: BaseException) -> str:
    """The Chinese message for a refusal: rule messages cite their article already. One that
    ends the session (the account changed) ends it also where a dialog shows it in its own
    label rather than a box (review 55e): the session's handler takes it once the slot returns."""
    from app.ui.session_end import account_changed

    account_changed(exc)
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    from app.faults import classify, explain  # disk full, read-only, corrupt, in use …
    from app.services.base import ServiceError

    if not isinstance(exc, ServiceError) and classify(exc) is not None:
        return explain(exc)
    text = str(exc).strip()
    return text or f"操作失败（{type(exc).__name__}）"


def refusal(services: Any, action: str) -> str | None:
    """What the logged-in role is told of ``action`` it may not take; None where it may
    (services without an actor: the tests' stand-ins, which act as the system)."""
    from app.services.permissions import casework_denial, denial, is_allowed

    actor = getattr(getattr(services, "ctx", None), "actor", None)
    if actor is None:
        return None
    if action == CASEWORK:
        return casework_denial(actor.role)
    return None if is_allowed(actor.role, action) else denial(actor.role, action)


#: Not one action: the wizard's acts, each refused alike to a role that only reads.
CASEWORK = "办理案件"


def offer(services: Any, action: str, *controls: Any) -> bool:
    """Grey what the role may not do, the reason on hover: a 领导 is not to fill a form that
    保存 then refuses. Controls the code enables later ask :func:`refusal` again."""
    why = refusal(services, action)
    for control in controls:
        control.setEnabled(why is None)
        if why is not None:
            control.setToolTip(why)
    return why is None


def service_or_new(services: Any, name: str) -> Any:
    """The service ``name`` of ``services``, or one made for it where an older or trimmed
    container (a test's, a screenshot's) does not carry it."""
    from app.services import new_service  # not at import: the frame paints before SQLAlchemy

    return getattr(services, name, None) or new_service(services, name)


def progress_dialog(
    parent: QWidget, label: str, title: str, *, cancel: str = "", show_after_ms: int = 0
) -> QProgressDialog:
    """A window-modal progress dialog over ``parent`` while a runner works; it has a
    ``cancel`` button only when given one's text."""
    dialog = QProgressDialog(label, cancel, 0, 0, parent)
    if not cancel:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    return dialog


def dismiss(dialog: QProgressDialog | None) -> None:
    """Take a progress dialog away for good: its delayed showing stopped, closed, deleted."""
    if dialog is not None:
        dialog.reset()
        dialog.close()
        dialog.deleteLater()


def show_error(
    parent: QWidget | None, exc: BaseException, title: str = "无法完成操作"
) -> QMessageBox:
    """A window-modal Chinese message box that does not block the caller (tests read it).

    A refusal that ends the session (the account changed by an administrator) opens none:
    :mod:`app.ui.session_end` says what happened and shows the login instead."""
    from app.ui.session_end import ends_session

    # error_text hands a refusal that ends the session to its handler
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, error_text(exc), QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorBox")
    if not ends_session(exc):
        box.open()
    return box


def attempted(parent: QWidget | None, call: Callable[[], Any]) -> bool:
    """``call`` done: True; refused or failed: the reason in a message box over ``parent``
    (:func:`show_error`) and False, so a view's slot reads as what it does next."""
    try:
        call()
    except Exception as exc:
        show_error(parent, exc)
        return False
    return True


def show_info(parent: QWidget | None, text: str, title: str = "提示") -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("infoBox")
    box.open()
    return box


class _EnterOpens(QObject):
    """Return/Enter on a table's current row does what a double-click does."""

    def __init__(self, view: QAbstractItemView, slot: Callable[[QModelIndex], Any]) -> None:
        super().__init__(view)
        self.view = view
        self.slot = slot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (  # type: ignore[attr-defined]
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            index = self.view.currentIndex()
            editing = self.view.state() == QAbstractItemView.State.EditingState
            if index.isValid() and not editing:
                self.slot(index)
                return True
        return False


def open_on_enter(view: QAbstractItemView, slot: Callable[[QModelIndex], Any]) -> None:
    """The keyboard's way to open the selected row: the same ``slot`` as the double-click."""
    view.installEventFilter(_EnterOpens(view, slot))


def fmt_date(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def cn_date(d: date | None) -> str:
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def weekday(d: date) -> str:
    return "星期" + WEEKDAYS[d.weekday()]


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())
