"""The case wizard: one page per lifecycle step (DESIGN §4), resuming at the case's step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QListWidget, QListWidgetItem, QWidget, QWizard

from app.domain.lifecycle import STEP_TITLES
from app.ui.fit import fit_to_screen
from app.ui.wizard.base import StepPage
from app.ui.wizard.mnemonics import give_letters
from app.ui.wizard.steps import (
    ClosePage,
    DecisionPage,
    InitiationPage,
    InvestigationPage,
    ProposalPage,
    ReportPage,
    ReviewPage,
    ServicePage,
)
from app.ui.workers import ThreadRunner

PAGE_CLASSES: tuple[type[StepPage], ...] = (
    ProposalPage,
    InitiationPage,
    InvestigationPage,
    ReportPage,
    DecisionPage,
    ServicePage,
    ReviewPage,
    ClosePage,
)


class CaseWizard(QWizard):
    """Services come through the constructor; every write goes through them."""

    def __init__(self, services, case_id: int | None = None, parent: QWidget | None = None):  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        # Slow look-ups (类案参考) run off the UI thread; tests may swap in a SyncRunner.
        self.runner = ThreadRunner(self)
        self.setObjectName("caseWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        # Alt+B / Alt+N as on every Chinese Windows wizard: Enter only moves between fields.
        for button, text in (
            (QWizard.WizardButton.BackButton, "< 上一步(&B)"),
            (QWizard.WizardButton.NextButton, "下一步(&N) >"),
            (QWizard.WizardButton.FinishButton, "结案归档(&F)"),  # F: Finish (review 55d)
            (QWizard.WizardButton.CancelButton, "关闭"),
        ):
            self.setButtonText(button, text)
        self.steps = QListWidget()
        self.steps.setObjectName("stepList")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setCursor(Qt.CursorShape.PointingHandCursor)
        self.steps.setFixedWidth(150)
        for n, title in STEP_TITLES.items():
            self.steps.addItem(QListWidgetItem(f"{n}  {title}"))
        self.steps.itemClicked.connect(self._step_clicked)
        self.setSideWidget(self.steps)
        self.pages: dict[int, StepPage] = {}
        for cls in PAGE_CLASSES:
            page = cls(self)
            self.pages[cls.STEP] = page
            self.setPage(cls.STEP, page)
        self.setStartId(1)
        self._shown = 0  # the page shown last: 上一步 to an earlier one shows it afresh
        self.currentIdChanged.connect(self._on_page)
        fit_to_screen(self, 1366, 768)  # at most 1366×696: the client area above a taskbar
        self._update_title()

    def set_case(self, case_id: int) -> None:
        self.case_id = case_id
        self._update_title()

    def _update_title(self) -> None:
        if self.case_id is None:
            self.setWindowTitle("问责案件向导 — 新案件")
            return
        d = self.services.queries.get_case(self.case_id)
        self.setWindowTitle(f"问责案件向导 — {d.number}（{d.stage.value}）")

    def _on_page(self, page_id: int) -> None:
        back, self._shown = 0 < page_id < self._shown, page_id
        if back:
            # QWizard initialises a page only on the way forward: 上一步 showed a step as
            # first shown — after a 复核决定 (变更) on 第7步, 第5步 still said the decision
            # was 「有效」. What was typed there and not yet autosaved is kept (the draft).
            page = self.pages[page_id]
            page.flush_draft()
            page.reload()
        if self.case_id is not None:
            self._update_title()
        for i in range(self.steps.count()):
            item = self.steps.item(i)
            font = item.font()
            font.setBold(i + 1 == page_id)
            item.setFont(font)
        self._mark_reachable()  # before selecting: a disabled row is not highlighted
        if page_id > 0:
            self.steps.setCurrentRow(page_id - 1)
        # QWizard gave the focus to the page's first focusable child before this signal; a
        # step whose first one is only to read names where typing starts (review 56d).
        if page_id in self.pages:
            give_letters(self.pages[page_id])  # editors built on reload have theirs now
        start = self.pages[page_id].start_field() if page_id in self.pages else None
        if start is not None and start.isEnabled():
            start.setFocus(Qt.FocusReason.OtherFocusReason)

    def reachable_step(self) -> int:
        """The furthest step the officer may open: the case's current one, and 复核 as soon
        as one subject is served with a decision he may apply against (第十四条) — still in
        force, or changed or revoked by a review whose 复核决定书 is then issued and served;
        and the page he is on (调查报告 while the case is 调查核实, 结案归档 after 复核)."""
        return max(self._case_step(), self.currentId())

    def _case_step(self) -> int:
        if self.case_id is None:
            return 1
        detail = self.services.queries.get_case(self.case_id)
        step = detail.stage.step
        return 7 if step == 6 and detail.review_may_open() else step

    def step_forward(self) -> bool:
        """Next from a finished step, or past one a later step may be opened past (without
        recording it); False where the current step must be done first."""
        page = self.pages[self.currentId()]
        if not page.finished:
            if not page.passable():
                return False
            page.passing = True
        before = self.currentId()
        try:
            self.next()
        finally:
            page.passing = False
        return self.currentId() != before

    def go_to_step(self, step: int) -> None:
        """Jump to a finished step (read-only) or the current one; never past it."""
        step = max(1, min(step, self.reachable_step()))
        while self.currentId() > step:
            self.back()
        while self.currentId() < step:
            if not self.step_forward():
                break  # the current step is not done: Next would commit it

    def _step_clicked(self, item: QListWidgetItem) -> None:
        self.go_to_step(self.steps.row(item) + 1)
        self._on_page(self.currentId())

    def _mark_reachable(self) -> None:
        reachable = self.reachable_step()
        for i in range(self.steps.count()):
            item = self.steps.item(i)
            flags = item.flags()
            if i + 1 <= reachable:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("点击查看此步骤" if i + 1 < reachable else "当前步骤")
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("须先完成前面的步骤")

    def page_for(self, step: int) -> StepPage:
        return self.pages[step]

    def current(self) -> StepPage:
        return self.pages[self.currentId()]

    def resume(self) -> None:
        """Reopening a case walks through its finished (read-only) steps to the current one."""
        if self.case_id is None:
            return
        target = self.services.queries.get_case(self.case_id).stage.step
        while 0 < self.currentId() < target:
            if not self.step_forward():
                break

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a field moves to the next field. As a dialog the wizard took it for 下一步,
        which records the step (a 党组 decision, document numbers) while the officer was still
        typing; 下一步 is pressed, or Enter given on it, on purpose."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not isinstance(self.focusWidget(), QAbstractButton):
            form = self.pages[self.currentId()].form if self.currentId() in self.pages else None
            in_form = form is not None and form.isAncestorOf(self.focusWidget())
            self.focusNextChild()
            if in_form and not form.isAncestorOf(self.focusWidget()):
                self._focus_onward()
            event.accept()
            return
        super().keyPressEvent(event)

    def _focus_onward(self) -> None:
        """Enter in a step's last field goes on to 下一步 (结案归档 on the last step), not to
        the article panel beside the form: a second Enter records the step, on purpose."""
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            button = self.button(which)
            if button.isVisible() and button.isEnabled():
                button.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def done(self, result: int) -> None:
        for page in self.pages.values():
            page.flush_draft()
        super().done(result)


def open_wizard(services, case_id: int | None = None, parent: QWidget | None = None) -> CaseWizard:  # type: ignore[no-untyped-def]
    """Show the wizard (non-modal) for a case, or for a new case when ``case_id`` is None."""
    wizard = CaseWizard(services, case_id, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    wizard.show()
    wizard.resume()
    return wizard
