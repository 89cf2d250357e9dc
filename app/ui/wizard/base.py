"""The frame every wizard step shares: form, article panel, rule messages, draft, 更正."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics, QTextLayout
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain import acts
from app.domain.enums import InvestigatorRole
from app.domain.lifecycle import STEP_TITLES
from app.domain.regulation import load_regulation
from app.domain.rules import RuleViolation
from app.services.base import ServiceError
from app.services.drafts import UNKEPT
from app.ui.forms import confirmed
from app.ui.wizard import formkit, pickers
from app.ui.wizard.mnemonics import give_letters

if TYPE_CHECKING:
    from app.services.queries import CaseDetail
    from app.ui.wizard.wizard import CaseWizard

AUTOSAVE_MS = 500
#: The key of a draft holding the day it was saved on (its today-defaults: _dated_today).
DRAFT_DAY = "__saved_on__"
# The problems band under the form: at least one line (so a first message does not move the
# buttons), growing with its messages up to this many lines before it scrolls.
PROBLEM_LINES_MAX = 7
ERROR_STYLE = "color:#b00020;"
#: What the case itself lacks for an in-page act (no application pending…): no error.
HINT_STYLE = "color:#5f6368;"
OK_STYLE = "color:#1b5e20;"
#: What a saved 更正 says on the step (its own, or one of a record it lists).
CORRECTED = "更正已保存（新版本，原记录保留并可追溯）"
#: The article panel beside a step's form: narrower on a small screen (StepPage._fit_form).
ARTICLE_MIN_WIDTH = 140


def format_problems(items: Iterable[RuleViolation | str]) -> str:
    lines = []
    seen: set[str] = set()
    for v in items:
        text = v.message if isinstance(v, RuleViolation) else str(v)
        if text not in seen:
            seen.add(text)
            lines.append(f"• {text}")
    return "\n".join(lines)


def refusal_text(exc: Exception) -> str:
    """A service refusal for the user: the rule's own message, or a plain Chinese one."""
    if isinstance(exc, RuleViolation):
        return f"系统拒绝了本次操作：{exc.message}"
    return f"系统拒绝了本次操作：{exc}"


def article_html(articles: Iterable[int]) -> str:
    reg = load_regulation()
    parts = [f"<p><b>{html.escape(reg.title)}</b></p>"]
    for n in articles:
        art = reg.article(n)
        body = "<br/>".join(html.escape(line) for line in art.full_text().splitlines())
        parts.append(f"<p><b>{art.label}</b>　{body}</p>")
    return "".join(parts)


def chinese_line_height(font: Any) -> int:
    """A line of Chinese text as laid out: the form's font (Latin) has a shorter line than the
    CJK fallback font its messages are set in, so its metrics would cut the last line off."""
    layout = QTextLayout("问", font)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    return max(math.ceil(line.height()), QFontMetrics(font).lineSpacing())


class StepPage(QWizardPage):
    """One lifecycle step: ``load`` fills the form, ``check`` returns rule violations from
    the form's current values (Next stays disabled while any remain), ``commit`` calls the
    service. Subclasses that support 更正 implement ``correct``."""

    STEP = 0
    FORM = ""
    ARTICLES: tuple[int, ...] = ()
    SUBTITLE = ""
    CORRECTABLE = False
    # Names of the form's widgets this page's code uses (the .ui sync test checks them).
    WIDGETS: tuple[str, ...] = ()
    # The 无利害关系声明 checkbox of the page's person picker (Art. 12), if it has one.
    DECLARATION = ""
    #: The declaration's date (Art. 12: the day the person took the case up).
    DECLARATION_DATE = ""
    #: Person pickers (combo name, role) kept on someone the rule accepts.
    MEMBER_PICKERS: tuple[tuple[str, InvestigatorRole], ...] = ()

    def __init__(self, wizard: CaseWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.services = wizard.services
        self.detail: CaseDetail | None = None
        self.finished = False
        self.passing = False  # moving on to a later step without recording this one
        self.correcting = False
        self.violations: list[RuleViolation] = []
        self._loading = False
        self._untouched: dict[str, object] | None = None
        #: What the step still needed as it opened (messages): grey until met, never red.
        self._needs_at_open: set[str] = set()
        self.setTitle(f"第{self.STEP}步　{STEP_TITLES[self.STEP]}")
        if self.SUBTITLE:
            self.setSubTitle(self.SUBTITLE)

        self.form = formkit.load_form(self.FORM)
        self.form.setObjectName(self.form.objectName() or self.FORM)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        # Never the focus itself: it shows none, and the wizard opened with the cursor there
        # (typing went nowhere) instead of in the step's first field.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.form_scroll = scroll  # bring_into_view: the next act's button, below the fold

        self.article_panel = QTextBrowser()
        self.article_panel.setObjectName("articlePanel")
        self.article_panel.setHtml(article_html(self.ARTICLES))
        self.article_panel.setMinimumWidth(ARTICLE_MIN_WIDTH)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = splitter
        splitter.addWidget(scroll)
        splitter.addWidget(self.article_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 340])

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(ERROR_STYLE)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)

        self.correct_button = QPushButton("更正…")
        self.correct_button.setObjectName("correctButton")
        self.correct_button.setToolTip("已完成的环节不能直接修改；更正将作为新版本记录，并写明理由")
        self.correction_reason = QLineEdit()
        self.correction_reason.setObjectName("correctionReason")
        self.correction_reason.setPlaceholderText("更正理由（必填）")
        self.save_correction_button = QPushButton("保存更正")
        self.save_correction_button.setObjectName("saveCorrectionButton")
        self.cancel_correction_button = QPushButton("取消更正")
        bar = QHBoxLayout()
        bar.addWidget(self.status_label, 1)
        for w in (
            self.correction_reason,
            self.save_correction_button,
            self.cancel_correction_button,
            self.correct_button,
        ):
            bar.addWidget(w)
        self.correction_reason.setMinimumWidth(260)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        # The problems sit in a band under the form that keeps one line when empty and grows
        # with its messages (scrolling only past PROBLEM_LINES_MAX lines), so every message is
        # read whole and an empty band does not take the form's room.
        self.problems_area = QScrollArea()
        self.problems_area.setObjectName("problemsArea")
        self.problems_area.setWidgetResizable(True)
        self.problems_area.setFrameShape(QFrame.Shape.NoFrame)
        self.problems_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems_area.setWidget(self.problems_label)
        self.problems_area.setFixedHeight(self.fontMetrics().lineSpacing() + 4)
        layout.addWidget(self.problems_area)
        layout.addLayout(bar)

        self.correct_button.clicked.connect(self.start_correction)
        self.save_correction_button.clicked.connect(self._save_correction_clicked)
        self.cancel_correction_button.clicked.connect(self.cancel_correction)
        self.correction_reason.textChanged.connect(self._update_correction_bar)
        self._show_correction_bar(False)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(AUTOSAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.setup()
        formkit.watch(self.form, self.changed)

    def _fit_problems(self, shrink: bool = False) -> None:
        """Size the problems band to its messages: one line at least, PROBLEM_LINES_MAX at most.
        It only grows while the page is shown (``shrink`` when the page is entered), so the form
        keeps still as the officer clears the messages one by one."""
        line = chinese_line_height(self.problems_label.font())
        width = self.problems_area.width() - 4
        text_height = self.problems_label.heightForWidth(width) if width > 40 else line
        if not self.problems_label.text():
            text_height = line
        height = max(line, min(text_height, line * PROBLEM_LINES_MAX)) + 4
        if not shrink:
            height = max(height, self.problems_area.height())
        if self.problems_area.height() != height:
            self.problems_area.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_problems(shrink=True)  # the messages wrap anew
        QTimer.singleShot(0, self, self._fit_form)  # once the splitter has its new width

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_form)

    def _fit_form(self) -> None:
        """On a narrow window (1366×768 at 125 %: 1093 px) the form takes the width it needs
        from the article panel, down to the panel's minimum, rather than scroll sideways with
        a column such as 问责情形 behind the scroll bar."""
        sizes = self.splitter.sizes()
        bar = self.form_scroll.verticalScrollBar().sizeHint().width()
        need = self.form.minimumSizeHint().width() + bar
        if sum(sizes) <= 0 or sizes[0] >= need:
            return
        panel = max(sum(sizes) - need, ARTICLE_MIN_WIDTH)
        self.splitter.setSizes([sum(sizes) - panel, panel])

    # ------------------------------------------------------------------ hooks
    def setup(self) -> None:
        """Fill choice lists that do not depend on the case."""

    def load(self, detail: CaseDetail | None) -> None:
        """Put the case's recorded values into the form."""

    def check(self) -> list[RuleViolation]:
        return []

    def commit(self) -> None:
        """Call the service for this step; raise RuleViolation/ServiceError on refusal."""

    def correct(self, reason: str) -> None:
        raise ServiceError("本环节的记录不支持更正")

    def correction_fields(self) -> set[str] | None:
        """Widget names editable during 更正 (None: the whole form)."""
        return None

    def refresh_extras(self) -> None:
        """Update computed labels (deadlines, periods) after any change."""

    # ------------------------------------------------------------------ helpers
    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll the step so ``widget`` shows — once the layout has settled (after a reload)."""

        def show() -> None:
            if widget.isVisible():
                self.form_scroll.ensureWidgetVisible(widget)

        QTimer.singleShot(0, self, show)

    def w(self, name: str) -> Any:
        return formkit.child(self.form, name)

    @property
    def case_id(self) -> int | None:
        return self.wiz.case_id

    @property
    def draft_key(self) -> str:
        return "new" if self.case_id is None else str(self.case_id)

    def today(self):  # type: ignore[no-untyped-def]
        return self.services.ctx.today()

    def default_to_today(self, *names: str) -> None:
        """Date fields that offer today until the officer picks a day (set once, in setup)."""
        self._today_fields = names
        self._today_stamp = self.today()
        for name in names:
            self.w(name).setDate(formkit.qdate(self._today_stamp))

    def renew_today_defaults(self) -> None:
        """A wizard left open over midnight: the fields still on the day they were given as
        today (the officer chose none) offer the new day when the step is shown again, by the
        app's clock; a day the officer picked stays."""
        names, stamp = getattr(self, "_today_fields", ()), getattr(self, "_today_stamp", None)
        today = self.today()
        if stamp is None or stamp == today:
            return
        for name in names:
            if formkit.pydate(self.w(name)) == stamp:
                self.w(name).setDate(formkit.qdate(today))
        self._today_stamp = today

    def start_field(self) -> QWidget | None:
        """Where the cursor starts when the step is shown; None: Qt's choice, the first
        field (a step opening on something only to read names its first input)."""
        return None

    def is_finished(self, detail: CaseDetail | None) -> bool:
        if detail is None:
            return False
        return detail.stage.step > self.STEP or detail.stage.is_terminal

    # ------------------------------------------------------------------ in-page actions
    def run_action(self, label: str, call: Callable[[], Any], clear: tuple[str, ...] = ()) -> bool:
        """An in-page action (add investigator, record evidence…): a refusal is shown in the
        ``label`` under it; else the ``clear`` fields (text emptied, pickers back to their
        first choice, boxes unticked) and the declaration are reset, the draft is saved and
        the page reloads: the form just used says nothing of the act it recorded."""
        acting = QApplication.focusWidget()  # the button pressed, by Space or a click
        try:
            call()
        except (RuleViolation, ServiceError) as exc:
            self.show_refusal(exc, self.w(label))
            return False
        for name in clear:
            widget = self.w(name)
            if isinstance(widget, QComboBox):  # a picker back to its first choice (不替换…)
                widget.setCurrentIndex(0)
            elif isinstance(widget, QAbstractButton):  # a confirmation given for this act only
                widget.setChecked(False)
            elif hasattr(widget, "setPlainText"):
                widget.setPlainText("")
            elif hasattr(widget, "setText"):
                widget.setText("")
        if self.DECLARATION:
            self.w(self.DECLARATION).setChecked(False)
        self._draft_timer.stop()
        self.save_draft()
        self.reload()
        self.status_label.setText("已保存")
        self.settle_focus(acting)
        return True

    def settle_focus(self, acting: QWidget | None = None) -> None:
        """After an in-page act whose button (``acting``) is then hidden or disabled, Qt hands
        the focus to 「< 上一步」, to the article panel beside the form or to the next field,
        and the officer's next Enter went back a step (or Tab had to find the form again): go
        on instead, to 下一步 when the step may be recorded, else to the first empty field of
        the part just used, else to its first field (the second investigator's picker), else
        to the first empty field still to fill."""
        wiz = self.wizard()
        if wiz is None:
            return
        if acting is not None and not shiboken6.isValid(acting):  # rebuilt by the reload
            acting = None
        nxt = wiz.button(QWizard.WizardButton.NextButton)
        focus = QApplication.focusWidget()
        gone = acting is not None and not (acting.isEnabled() and acting.isVisible())
        if (
            not gone
            and focus is not None
            and (focus is nxt or self.form.isAncestorOf(focus))
            and focus.isEnabled()
            and focus.isVisible()
        ):
            return
        if nxt.isEnabled() and nxt.isVisible():
            nxt.setFocus()
            return
        part = acting.parentWidget() if acting is not None else None
        if part is not None and self.form.isAncestorOf(acting):
            fields = [
                w
                for w in part.findChildren(QWidget)
                if w.isEnabled() and w.isVisible() and isinstance(w, INPUTS) and _tab_stop(w)
            ]
            for widget in [w for w in fields if _blank(w)] + fields:
                widget.setFocus()
                return
        for widget in self.form.findChildren(QWidget):
            usable = widget.isEnabled() and widget.isVisible() and not isinstance(widget, QLabel)
            if not usable or isinstance(widget, QAbstractButton):
                continue
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and _blank(widget):
                widget.setFocus()
                return
        self.form.setFocus()

    def declared_picker(self, combo: str) -> None:
        """A filterable person picker; picking another person withdraws the declaration
        (Art. 12: it is made by one person)."""
        pickers.filterable_combo(self.w(combo))
        declaration = self.w(self.DECLARATION)
        self.w(combo).currentIndexChanged.connect(lambda _i: declaration.setChecked(False))

    def assign_declared(self, label: str, combo: str, assign: Callable[..., Any]) -> bool:
        """Assign the person picked in ``combo`` to the case with the declaration's state."""
        pid = int(self.w(combo).currentData())
        declared = self.w(self.DECLARATION).isChecked()
        on = self.declared_on()
        return self.run_action(
            label, lambda: assign(self.case_id, pid, declared_no_conflict=declared, declared_on=on)
        )

    def _offer_accepted_member(self, combo: str, role: InvestigatorRole) -> None:
        """A person picker left on someone the rule refuses (the member just assigned, an
        original investigator first on the roster as 复核人员) moves to the first person it
        accepts, declaration aside: the page no longer opens on a red refusal."""
        cb = self.w(combo)
        state = self.services.cases.state(self.case_id)

        def accepted(pid: object) -> bool:
            return pid is not None and not acts.member_problems(state, int(pid), True, role)

        if cb.currentData() is None or accepted(cb.currentData()):
            return
        for index in range(cb.count()):
            if accepted(cb.itemData(index)):
                cb.setCurrentIndex(index)
                return

    def undeclared(self) -> set[str]:
        """The rule field quiet while the declaration is not made: ticking it begins the
        picker's sub-form (Art. 12's requirement is the greyed button's tooltip until then,
        not red under a person the page itself put in the picker)."""
        if self.DECLARATION and not self.w(self.DECLARATION).isChecked():
            return {"declaration"}
        return set()

    def picker_idle(self, combo: str) -> bool:
        """No one in the picker, or no one picked: a hint of where people come from, no error."""
        return not self.w(combo).count() or self.w(combo).currentData() is None

    def member_problems(self, combo: str, role: InvestigatorRole) -> list[RuleViolation]:
        """The rulebook's verdict on assigning the person picked in ``combo`` (the caller has
        checked that one is picked) with this step's declaration and its date."""
        pid = self.w(combo).currentData()
        cases = self.services.cases
        declared = self.w(self.DECLARATION).isChecked()
        state = cases.state(self.case_id)
        return acts.member_problems(
            state, int(pid), declared, role, self.declared_on(), cases.clock()
        )

    def declared_on(self) -> date | None:
        return formkit.pydate(self.w(self.DECLARATION_DATE)) if self.DECLARATION_DATE else None

    def declaration_floor(self, detail: CaseDetail) -> date | None:
        """The earliest day a declaration on this step may bear (none: no date on the step)."""
        return None

    def freshen_declaration_date(self, first: date | None) -> None:
        """A declaration date left from before the case reached this step (the wizard stayed
        open since) moves to today; one the officer chose within the step stays."""
        on = self.declared_on()
        if on is not None and first is not None and on < first:
            self.w(self.DECLARATION_DATE).setDate(formkit.qdate(self.today()))

    # ------------------------------------------------------------------ QWizardPage
    def initializePage(self) -> None:
        self.reload()
        self._fit_problems(shrink=True)

    def cleanupPage(self) -> None:
        """上一步 leaves this step: save what was typed now, not when the autosave would
        have run — 下一步 reloads the step from the case and its draft, and a date typed
        within the last half second came back as today's (Qt's own reset is not wanted:
        no field is registered with the wizard)."""
        self.flush_draft()

    def reload(self) -> None:
        self._loading = True
        try:
            self.detail = self.services.queries.get_case(self.case_id) if self.case_id else None
            self.finished = self.is_finished(self.detail)
            self.correcting = False
            # What the line said of the step before (「草稿已自动保存」, 「更正已保存」) is not
            # said of the step as recorded now: a step recorded since drafts nothing.
            self.status_label.setStyleSheet("")
            self.status_label.setText("")
            self.renew_today_defaults()
            self.load(self.detail)
            # The form as the case alone fills it: a draft equal to it holds nothing typed.
            self._untouched = formkit.collect_state(self.form)
            self._needs_at_open = self._open_needs()
            drafts = self.services.drafts
            if not self.finished and drafts is not None:
                draft = self._dated_today(self._draft_to_restore(drafts))
                if draft and draft != self._untouched:
                    formkit.apply_state(self.form, draft)
                    self.status_label.setText("已恢复上次未完成的录入（草稿）")
            if self.detail is not None:
                self.freshen_declaration_date(self.declaration_floor(self.detail))
            formkit.set_read_only(self.form, self.finished)
            self.after_read_only()
            if not self.finished and self.detail is not None:
                for combo, role in self.MEMBER_PICKERS:
                    self._offer_accepted_member(combo, role)
        finally:
            self._loading = False
        self._show_correction_bar(False)
        self.refresh()
        give_letters(self)  # a button the load renamed (预览并印发…决定书) has its letter again

    def _draft_to_restore(self, drafts: Any) -> dict[str, Any] | None:
        """The step's draft; an unsealed one only when the officer, told where it may come
        from, asks for it (a 否 discards it, so it is not asked about again)."""
        if not drafts.is_unsealed(self.draft_key, self.STEP):
            return drafts.load(self.draft_key, self.STEP)
        question = (
            f"第{self.STEP}步有一份未经加密签封的草稿。它可能由旧版本的本软件保存，也可能是"
            "他人在本软件之外写入数据库文件的，内容的来源无法核实。\n\n"
            "载入后请逐项核对再保存。是否载入这份草稿？（选“否”将丢弃它）"
        )
        if confirmed(self, "未签封的草稿", question):
            return drafts.load(self.draft_key, self.STEP, unsealed=True)
        drafts.clear(self.draft_key, self.STEP)
        return None

    def after_read_only(self) -> None:
        """Re-enable controls a finished page still offers (e.g. per-subject parts)."""

    def changed(self, *_args: object) -> None:
        if self._loading:
            return
        self.refresh()
        if not self.finished and not self.correcting:  # a 更正's edits are no draft
            self._draft_timer.start()

    def refresh(self) -> None:
        try:
            self.refresh_extras()
        except (ValueError, ServiceError) as exc:  # a date the calendar cannot place, etc.
            self.status_label.setText(str(exc))
        if self.finished and not self.correcting:
            self.violations, notices = [], []
        else:
            self.violations, notices = self.check(), self.notices()
        # Red only for what the officer's input brought (review 57d): what the step needed as
        # it opened, and 提示 (Next open), are a grey hint that goes once met.
        tried = [v for v in self.violations if v.message not in self._needs_at_open]
        self.problems_label.setStyleSheet(ERROR_STYLE if tried else HINT_STYLE)
        lines = [format_problems(self.shown_problems(self.violations))]
        lines += [format_problems(f"提示：{n.message}" for n in notices)] if notices else []
        self.problems_label.setText("\n".join(x for x in lines if x))
        self._fit_problems()
        self.completeChanged.emit()

    def _open_needs(self) -> set[str]:
        """The step's problems with the form as the case alone fills it (no draft yet): what
        it still needs before the officer has done anything."""
        if self.finished:
            return set()
        try:
            return {v.message for v in self.check()}
        except (ValueError, RuleViolation, ServiceError):
            return set()

    def shown_problems(self, violations: list[RuleViolation]) -> list[RuleViolation]:
        """What the hint lists of the problems (a page of subject tabs: the shown one's)."""
        return violations

    def notices(self) -> list[RuleViolation]:
        """What the step should still do, without blocking Next (shown after the problems)."""
        return []

    def isComplete(self) -> bool:
        if self.correcting:
            return False
        return not self.violations

    def passable(self) -> bool:
        """A step not finished that a later one may still be opened past, without recording
        it (送达: one subject served may apply for review while another is not yet)."""
        return False

    def validatePage(self) -> bool:
        if self.finished or self.passing:
            return True
        # Save what was typed since the last autosave: a refusal reloads the page from the
        # records and the draft, and must not lose it.
        self.flush_draft()
        try:
            self.commit()
        except (RuleViolation, ServiceError) as exc:
            self.reload_after_refusal()
            self.show_refusal(exc)
            # (reloading says 已恢复…草稿, which is not what happened)
            self.status_label.setText("未能进入下一步：原因见上方红字，已填写的内容均已保留")
            return False
        if self.services.drafts is not None:
            self.services.drafts.clear(self.draft_key, self.STEP)
        # Show the step as recorded: QWizard does not initialise a page again when the officer
        # comes back to it, and 印发 on 第5步 needs the numbers this commit assigned.
        self.reload()
        return True

    def reload_after_refusal(self) -> None:
        """A refused multi-part commit may have saved some parts; show what is stored."""

    def show_refusal(self, exc: Exception, label: QLabel | None = None) -> None:
        from app.ui.session_end import account_changed

        account_changed(exc)  # the session is over: said, then back to the login
        target = label or self.problems_label
        target.setStyleSheet(ERROR_STYLE)
        target.setText(refusal_text(exc))
        self._fit_problems()

    def save_draft(self) -> None:
        if self.finished or self.services.drafts is None:
            return
        state = self.draft_state()
        if state is None:
            # Back to what the case alone fills in (or never changed by hand): no draft, so
            # the next visit does not say it restored one over an empty form.
            self.services.drafts.clear(self.draft_key, self.STEP)
            return
        kept = self.services.drafts.save(self.draft_key, self.STEP, state)
        self.status_label.setText("草稿已自动保存" if kept is not False else UNKEPT)

    def draft_state(self) -> dict[str, Any] | None:
        """What was typed here as a draft would keep it; None where nothing was (a step
        recorded, or the form as the case alone fills it). A session an administrator ended
        keeps it in memory for the next login (app.ui.session_end)."""
        if self.finished:
            return None
        state = formkit.collect_state(self.form)
        if state == self._untouched:
            return None
        state[DRAFT_DAY] = self.today().isoformat()  # its today-defaults' day (_dated_today)
        return state

    def shown_once(self) -> bool:
        """Whether the step was ever filled on screen (its untouched state taken)."""
        return self._untouched is not None

    def stop_autosave(self) -> None:
        """No more autosaves (the session ended: its account may write nothing more)."""
        self._draft_timer.stop()

    def _dated_today(self, draft: dict[str, Any] | None) -> dict[str, Any] | None:
        """A draft saved on an earlier day, without the date fields still on that day's
        today-default (the officer picked none): they offer today, as in a wizard left open
        over midnight (:meth:`renew_today_defaults`). Restored whole, a draft typed at 17:00
        and finished the next morning recorded the evidence on the day before."""
        if draft is None:
            return None
        saved = draft.pop(DRAFT_DAY, None)
        if saved is None or saved == self.today().isoformat():
            return draft
        for name in getattr(self, "_today_fields", ()):
            key = formkit.state_key(self.w(name), self.form)
            if draft.get(key) == saved:
                del draft[key]
        return draft

    def flush_draft(self) -> None:
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self.save_draft()

    # ------------------------------------------------------------------ 更正
    def _show_correction_bar(self, editing: bool) -> None:
        # A step passed with parts recorded (送达 of one subject) corrects those parts too.
        can = self.CORRECTABLE and (self.finished or self.passable()) and self.can_correct()
        self.correct_button.setVisible(can and not editing)
        for w in (
            self.correction_reason,
            self.save_correction_button,
            self.cancel_correction_button,
        ):
            w.setVisible(editing)
        self._update_correction_bar()

    def can_correct(self) -> bool:
        return True

    def _update_correction_bar(self) -> None:
        self.save_correction_button.setEnabled(bool(self.correction_reason.text().strip()))

    def start_correction(self) -> None:
        self.flush_draft()  # what was typed for an open part is kept (the draft)
        self.correcting = True
        formkit.set_read_only(self.form, False, self.correction_fields())
        self.correction_reason.clear()
        self._show_correction_bar(True)
        self.status_label.setText("更正模式：修改后填写更正理由并保存；原记录保留")
        self.refresh()

    def cancel_correction(self) -> None:
        self.reload()

    def _save_correction_clicked(self) -> None:
        self.save_correction(self.correction_reason.text())

    def save_correction(self, reason: str) -> bool:
        if self.check():
            self.refresh()
            return False
        try:
            self.correct(reason)
        except (RuleViolation, ServiceError) as exc:
            self.show_refusal(exc)
            return False
        self.reload()
        self.status_label.setStyleSheet(OK_STYLE)
        self.status_label.setText(CORRECTED)
        return True


def action_problems(
    label: QLabel,
    button: QPushButton,
    problems: list[RuleViolation],
    blank: Iterable[str] = (),
    *,
    idle: bool = False,
) -> None:
    """An in-page action (add investigator, register application…) gated like Next.
    ``blank``: the fields the officer has not begun to fill; what they still need is not shown
    in red before the officer starts on the sub-form (e.g. right after recording one), but
    stays the disabled button's tooltip. ``idle``: the problems say what the case lacks for the
    act (no application pending, no investigator in office), not what refuses the officer's
    input — a neutral hint, not red, gone with the state it described."""
    quiet = set(blank)
    label.setStyleSheet(HINT_STYLE if idle else ERROR_STYLE)
    label.setText(format_problems(v for v in problems if v.field not in quiet))
    button.setEnabled(not problems)
    button.setToolTip(format_problems(problems) if problems else "")


def unbegun(w: Callable[[str], Any], **fields: str) -> set[str]:
    """The rule fields (values) whose text widgets (keys) are still empty: a sub-form the
    officer has not begun (see :func:`action_problems`)."""
    out = set()
    for name, field in fields.items():
        widget = w(name)
        text = widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()
        if not text.strip():
            out.add(field)
    return out


def rows_text(widget: QWidget, rows: list[str]) -> None:
    """A step's list of what it recorded (陈述申辩, 复核申请…): each row wraps at the list's
    width — a long one ran past the right edge at 1366×768, to be scrolled sideways — and
    says itself whole in its tooltip."""
    from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

    assert isinstance(widget, QListWidget)
    widget.setWordWrap(True)
    widget.setResizeMode(QListView.ResizeMode.Adjust)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.clear()
    for text in rows:
        item = QListWidgetItem(text)
        item.setToolTip(text)
        widget.addItem(item)


#: The fields an officer types or picks in (not lists, buttons or labels).
INPUTS = (QComboBox, QLineEdit, QPlainTextEdit, QDateTimeEdit, QSpinBox)


def _tab_stop(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _blank(widget: QWidget) -> bool:
    """A writable text field with nothing typed in it yet (no other kind of field is)."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly() and not widget.text().strip()
    if isinstance(widget, QPlainTextEdit):
        return not widget.isReadOnly() and not widget.toPlainText().strip()
    return False
