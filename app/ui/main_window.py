"""The main window: 工作台, 线索登记, 问责案件, 统计报表, 基础数据, 系统设置 and 帮助."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from app import APP_NAME
from app.ui.cases_view import CaseListView
from app.ui.common import CASEWORK, offer, refusal, show_error, show_info
from app.ui.dashboard import DashboardView
from app.ui.fit import fit_to_screen
from app.ui.leads_view import LeadsView
from app.ui.regulation_viewer import RegulationViewer, parse_clause_link
from app.ui.workers import Runner, ThreadRunner

if TYPE_CHECKING:  # built on demand: a case window, the last two tabs
    from app.ui.case_detail import CaseDetailDialog
    from app.ui.masterdata_view import MasterDataView
    from app.ui.settings_view import SettingsView

TAB_DASHBOARD, TAB_LEADS, TAB_CASES, TAB_REPORTS, TAB_MASTERDATA, TAB_SETTINGS = range(6)
TAB_TITLES = ("工作台", "线索登记", "问责案件", "统计报表", "基础数据", "系统设置")


def _reports_view(services: Any, parent: QWidget) -> QWidget:
    """The reports helper's view when installed, otherwise a placeholder."""
    try:
        from app.ui.reports_view import ReportsView
    except ModuleNotFoundError as exc:
        if exc.name != "app.ui.reports_view":
            raise
        label = QLabel("统计报表功能尚未安装。", parent)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label
    return ReportsView(services)


def _masterdata_view(services: Any, parent: QWidget) -> MasterDataView:
    from app.ui.masterdata_view import MasterDataView

    return MasterDataView(services, parent)


def _settings_view(services: Any, parent: QWidget) -> SettingsView:
    from app.ui.settings_view import SettingsView

    return SettingsView(services, parent)


class MainWindow(QMainWindow):
    """Widgets get the services bundle here and pass it down; nothing global."""

    def __init__(self, services: Any, runner: Runner | None = None) -> None:
        super().__init__()
        self.services = services
        self.runner: Runner = runner if runner is not None else ThreadRunner(self)
        self.detail_windows: dict[int, CaseDetailDialog] = {}
        self._regulation: RegulationViewer | None = None
        settings = services.masterdata.settings()
        user = services.ctx.actor.label
        self.setWindowTitle(f"{APP_NAME} — {settings.bureau_name}（{user}）")

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.dashboard = DashboardView(services, self.runner, self)
        self.leads = LeadsView(services, self)
        self.cases = CaseListView(services, self.runner, self)
        self._cases_stale = False  # refreshed while another tab was in front
        # The last three tabs are built when first shown (or asked for): the reports tab
        # starts a month/year summary over every case, which would compete with the
        # dashboard and the first page of the list for the first second of every start.
        self._later: dict[int, Callable[[], QWidget]] = {
            TAB_REPORTS: lambda: _reports_view(services, self),
            TAB_MASTERDATA: lambda: _masterdata_view(services, self),
            TAB_SETTINGS: lambda: _settings_view(services, self),
        }
        for widget, title in zip(
            (self.dashboard, self.leads, self.cases), TAB_TITLES[:TAB_REPORTS], strict=True
        ):
            self.tabs.addTab(widget, title)
        for title in TAB_TITLES[TAB_REPORTS:]:
            waiting = QLabel("正在载入……", self)
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(waiting, title)
        self.setCentralWidget(self.tabs)

        self.dashboard.openCase.connect(self.open_case)
        self.dashboard.stageClicked.connect(self._show_stage)
        self.dashboard.barClicked.connect(self._show_rows)
        self.cases.openCase.connect(self.open_case)
        self.cases.newCase.connect(self.new_case)
        self.tabs.currentChanged.connect(self._tab_changed)

        self._build_menus()
        self.place_label = QLabel(self)
        self.place_label.setObjectName("placeLabel")
        self.statusBar().addPermanentWidget(self.place_label)
        self._show_place()
        fit_to_screen(self, 1366, 768)
        self.dashboard.refresh()
        self.cases.apply_filter()

    def _show_place(self) -> None:
        """Where the data is, who works, which kind of database: words, not a URL."""
        text, tip = status_text(self.services)
        self.place_label.setText(text)
        self.place_label.setToolTip(tip)

    # --- menus and shortcuts
    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        case_menu = bar.addMenu("案件(&C)")
        self.new_action = self._action("新建案件(&N)", self.new_case, QKeySequence.StandardKey.New)
        self.find_action = self._action(
            "查找案件(&F)", self.focus_search, QKeySequence.StandardKey.Find
        )
        self.refresh_action = self._action("刷新(&R)", self.refresh, QKeySequence(Qt.Key.Key_F5))
        offer(self.services, CASEWORK, self.new_action)
        case_menu.addAction(self.new_action)
        case_menu.addAction(self.find_action)
        case_menu.addAction(self.refresh_action)
        case_menu.addAction(self._action("核验文书校验码(&Y)", self.verify_document))
        case_menu.addAction(self._action("处分期满与解除(&J)", self.open_sanctions))
        case_menu.addSeparator()
        case_menu.addAction(self._action("退出(&X)", self.close, QKeySequence("Ctrl+Q")))
        view_menu = bar.addMenu("视图(&V)")
        for i, title in enumerate(TAB_TITLES):
            view_menu.addAction(
                self._action(
                    f"{title}(&{i + 1})", lambda i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}"
                )
            )
        help_menu = bar.addMenu("帮助(&H)")
        self.regulation_action = self._action("规定全文(&G)", self.show_regulation, "F1")
        help_menu.addAction(self.regulation_action)
        help_menu.addAction(self._action("关于(&A)", self.about))

    # --- actions
    def open_sanctions(self) -> None:
        """Issue 16: every sanction's state, and 解除处分 (公务员法第六十四条、第六十五条)."""
        from app.ui.release_dialog import SanctionsDialog

        dialog = SanctionsDialog(self.services, self)
        dialog.open()
        self._sanctions_dialog = dialog

    def verify_document(self) -> None:
        from app.ui.documents_preview import VerifyCodeDialog

        VerifyCodeDialog(self.services, self).exec()

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        self.dashboard.refresh()
        # The case list out of sight is read again when its tab is next shown: a case the
        # wizard made over the lead list was missing from 问责案件 until F5.
        self._cases_stale = current is not self.cases
        if current is self.cases:
            self.cases.refresh()
        elif hasattr(current, "refresh"):
            current.refresh()
        for dlg in list(self.detail_windows.values()):
            if dlg.isVisible():
                dlg.view.reload()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.cases)
        self.cases.focus_search()

    def _show_stage(self, stage: str) -> None:
        self.tabs.setCurrentWidget(self.cases)
        self.cases.show_stage(stage)

    def _show_rows(self, title: str, rows: list) -> None:  # type: ignore[type-arg]
        self.tabs.setCurrentWidget(self.cases)
        self.cases.show_rows(title, rows)

    def _built(self, index: int) -> QWidget:
        """The tab's view, built in place of its waiting label the first time."""
        build = self._later.pop(index, None)
        if build is None:
            return self.tabs.widget(index)
        view = build()
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # the swap is not the user changing tabs
        try:
            waiting = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, TAB_TITLES[index])
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        waiting.deleteLater()
        return view

    @property
    def reports(self) -> QWidget:
        return self._built(TAB_REPORTS)

    @property
    def masterdata(self) -> MasterDataView:
        return self._built(TAB_MASTERDATA)  # type: ignore[return-value]

    @property
    def settings_view(self) -> SettingsView:
        return self._built(TAB_SETTINGS)  # type: ignore[return-value]

    def _tab_changed(self, index: int) -> None:
        if index in self._later:
            self._built(index)  # a view just built has read its data already
        elif index in (TAB_LEADS, TAB_MASTERDATA, TAB_SETTINGS):
            self.tabs.widget(index).refresh()  # type: ignore[attr-defined]
        elif index == TAB_CASES and self._cases_stale:
            self._cases_stale = False
            self.cases.refresh()
        elif index == TAB_CASES:
            self.cases.reload_choices()

    def open_case(self, case_id: int) -> CaseDetailDialog | None:
        """Open (or raise) the detail window of a case."""
        dlg = self.detail_windows.get(case_id)
        if dlg is None:
            try:
                from app.ui.case_detail import CaseDetailDialog

                dlg = CaseDetailDialog(self.services, case_id, self)
            except Exception as exc:
                show_error(self, exc)
                return None
            dlg.view.clauseLinkActivated.connect(self.show_regulation)
            dlg.view.wizardRequested.connect(self.open_wizard)
            dlg.finished.connect(lambda _=0, cid=case_id: self.detail_windows.pop(cid, None))
            self.detail_windows[case_id] = dlg
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        return dlg

    def new_case(self) -> None:
        self.open_wizard(None)

    def open_wizard(self, case_id: int | None) -> Any:
        """The case wizard (another module); absent, say so instead of failing; a role that
        only reads is told so rather than given forms that 保存 would refuse."""
        why = refusal(self.services, CASEWORK)
        if why is not None:
            show_info(self, why)
            return None
        try:
            from app.ui.wizard import open_wizard
        except ImportError as exc:
            name = getattr(exc, "name", "") or ""
            if isinstance(exc, ModuleNotFoundError) and not name.startswith("app.ui.wizard"):
                raise
            show_info(self, "办案向导尚未安装，暂不能新建或办理案件。")
            return None
        try:
            wizard = open_wizard(self.services, case_id, self)
        except Exception as exc:
            show_error(self, exc)
            return None
        if wizard is not None and hasattr(wizard, "finished"):
            wizard.finished.connect(lambda _=0: self.refresh())
        return wizard

    def regulation_viewer(self) -> RegulationViewer:
        if self._regulation is None:
            self._regulation = RegulationViewer(self)
            self._regulation.browser.anchorClicked.connect(self._regulation.open_link)
        return self._regulation

    def show_regulation(self, article: int | None = None, clause: int | None = None) -> None:
        viewer = self.regulation_viewer()
        if article is None:
            viewer.show()
            viewer.raise_()
        else:
            viewer.show_clause(article, clause)

    def open_link(self, link: str) -> bool:
        """Any ``clause:7.5`` link in the app lands here."""
        target = parse_clause_link(link)
        if target is None:
            return False
        self.show_regulation(*target)
        return True

    def about(self) -> QMessageBox:
        from app import __version__

        settings = self.services.masterdata.settings()
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("关于")
        box.setIconPixmap(self.windowIcon().pixmap(1, 1))
        box.setText(
            f"<h3>{APP_NAME}</h3>"
            f"<p>行政执法责任问责案件管理系统　版本 {__version__}</p>"
            f"<p>使用单位：{settings.bureau_name}</p>"
            "<p>依据《荣成市综合行政执法局行政执法责任问责办法》办理问责案件：线索登记、"
            "启动、调查核实、处理决定、送达、复核、结案归档。</p>"
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.open()
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_drop_settings():
            event.ignore()
            return
        for dlg in list(self.detail_windows.values()):
            dlg.close()
        if isinstance(self.runner, ThreadRunner):
            self.runner.wait(10000)
        super().closeEvent(event)

    def _may_drop_settings(self) -> bool:
        """系统设置 typed but not saved: ask before the window closes (not while logging out:
        the window is hidden first)."""
        if TAB_SETTINGS in self._later or not self.isVisible():
            return True
        view = self.tabs.widget(TAB_SETTINGS)
        unsaved = getattr(view, "unsaved", None)
        if unsaved is None or not unsaved.dirty():
            return True
        from app.ui.unsaved import ask_discard

        self.tabs.setCurrentIndex(TAB_SETTINGS)
        return ask_discard(self, "系统设置")


def database_kind(url: str) -> str:
    """本机数据文件 or 局域网数据库（host）, from a SQLAlchemy URL (no password shown)."""
    if url.startswith("sqlite"):
        return "本机数据文件"
    host = url.split("@")[-1].split("/")[0].split(":")[0] if "@" in url else ""
    return f"局域网数据库（{host}）" if host else "局域网数据库"


def status_text(services: Any) -> tuple[str, str]:
    """The status bar's text and its tooltip (the full folder)."""
    folder = str(services.ctx.data_dir)
    shown = folder if len(folder) <= 48 else folder[:16] + "…" + folder[-30:]
    kind = database_kind(str(services.db.url))
    user = services.ctx.actor.label
    return (
        f"数据目录：{shown}　｜　当前用户：{user}　｜　{kind}",
        f"数据目录：{folder}\n当前用户：{user}\n数据库：{kind}",
    )


def create_main_window(services: Any, runner: Runner | None = None) -> MainWindow:
    """Build the main window over a services bundle (tests pass a SyncRunner)."""
    return MainWindow(services, runner)
