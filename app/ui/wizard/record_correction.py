"""更正 of an investigation record from 第3步: an evidence, a 陈述申辩, a conduct finding.

The rulebook corrects each as a new version (``CaseService.correct_evidence`` and its kin,
app/services/corrections.py): the fields it allows, the step's checks and the whole case's
order of dates, the old row kept as history, an audit record with the reason. A refusal
elsewhere sends the officer here (「请先更正该案件的证据记录」, app/domain/reporter.CASE_FIX).
The dialog is the one that corrects a lead's dispositions (its form, confirmation and inline
refusal); the case service has no dry-run check of a correction, so nothing is refused as the
officer types: the service's refusal shows under the form on 更正, the form kept as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.domain.enums import StatementKind
from app.services.corrections import CONDUCT_FIELDS, EVIDENCE_FIELDS, STATEMENT_FIELDS
from app.services.permissions import ServiceAction
from app.ui.common import from_qdate, refusal
from app.ui.disposition_correction import _CorrectionDialog
from app.ui.fit import dialog_layout
from app.ui.forms import date_edit, named, wrapped_label
from app.ui.wizard.base import CORRECTED, OK_STYLE


@dataclass(frozen=True)
class RecordKind:
    """One kind of record 第3步 lists: its list, the records of the case, the service act."""

    key: str  # evidence, statement, conduct (the service's ``correct_<key>``)
    what: str  # the record, as CONFIRM and CASE_FIX name it
    fields: frozenset[str]  # corrections.py: what the rulebook lets a correction change
    labels: dict[str, str]  # each of them on the form, in order, as 第3步 calls it
    list_name: str
    rows: Callable[[Any], tuple[Any, ...]]


KINDS = (
    RecordKind(
        "evidence", "证据记录", EVIDENCE_FIELDS,
        {"title": "证据名称", "description": "说明", "collected_on": "取得日期"},
        "evidenceList", lambda d: d.evidence,
    ),
    RecordKind(
        "statement", "陈述申辩记录", STATEMENT_FIELDS,
        {"kind": "陈述申辩种类", "made_on": "陈述申辩日期", "content": "陈述申辩内容"},
        "statementList", lambda d: d.statements,
    ),
    RecordKind(
        "conduct", "配合调查情况记录", CONDUCT_FIELDS,
        {"cooperative": "配合调查", "description": "具体情形", "found_on": "认定日期"},
        "conductList", lambda d: d.conduct,
    ),
)  # fmt: skip
#: The greyed 更正's hover, before anything is changed or a reason given.
UNFINISHED = "请修改要更正的内容，并填写更正理由"
#: The buttons' Alt letter: each on its own tab, where no other control has it.
LETTER = "G"


def _no_check(*_args: Any, **_changes: Any) -> list[Any]:
    """The case service has no dry run of a correction: nothing is refused before 更正."""
    return []


class CaseRecordCorrectionDialog(_CorrectionDialog):
    """The current version ``view`` of one record of ``kind``, its correctable fields filled
    with what it holds; ``subject``: the name of the subject a statement or finding is on."""

    def __init__(
        self, cases: Any, kind: RecordKind, view: Any, parent: QWidget | None = None,
        subject: str = "",
    ) -> None:  # fmt: skip
        apply = getattr(cases, f"correct_{kind.key}")
        super().__init__(cases, view, parent, _no_check, apply, kind.what)
        layout = dialog_layout(self, f"更正{kind.what}", "caseRecordCorrectionDialog", 520, 320)
        about = f"（{subject}）" if subject else ""
        layout.addWidget(
            wrapped_label(
                "correctionHeader",
                f"更正{kind.what}{about}。更正作为新版本记录，原记录保留并可追溯。",
            )
        )
        form = QFormLayout()
        self.editors: dict[str, Any] = {}
        self._dated_none: set[str] = set()  # a date not on record: said only once picked
        edits: list[Any] = []
        for field, label in kind.labels.items():
            editor = self._editor(field, getattr(view, field))
            self.editors[field] = editor
            form.addRow(label, editor)
            if isinstance(editor, QComboBox):
                editor.currentIndexChanged.connect(self.recheck)
            elif isinstance(editor, QCheckBox):
                editor.toggled.connect(self.recheck)
            else:
                edits.append(editor)
        assert set(self.editors) == set(kind.fields), "a correctable field without a label"
        self._finish(layout, form, edits)
        self.why.setPlaceholderText("如：日期录入错误（必填）")

    def _editor(self, field: str, value: Any) -> Any:
        name = f"corr_{field}"
        if field == "kind":
            combo = named(QComboBox(), name)
            for k in StatementKind:
                combo.addItem(k.value, k.value)
            combo.setCurrentIndex(max(combo.findData(str(value)), 0))
            return combo
        if field == "cooperative":
            box = named(QCheckBox("积极配合调查（不勾选即认定阻碍、干涉调查）"), name)
            box.setChecked(bool(value))
            return box
        if field.endswith("_on"):
            edit = date_edit(name, value or self.ds.ctx.today())
            if value is None:
                self._dated_none.add(field)
                edit.dateChanged.connect(lambda *_a, f=field: self._dated_none.discard(f))
            return edit
        if field == "content":
            edit = named(QPlainTextEdit(value or ""), name)
            edit.setFixedHeight(80)
            edit.setTabChangesFocus(True)
            return edit
        return named(QLineEdit(value or ""), name)

    def typed(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, editor in self.editors.items():
            if field in self._dated_none:
                continue
            if isinstance(editor, QComboBox):
                out[field] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                out[field] = editor.isChecked()
            elif isinstance(editor, QPlainTextEdit):
                out[field] = editor.toPlainText().strip()
            elif isinstance(editor, QLineEdit):
                out[field] = editor.text().strip()
            else:
                out[field] = from_qdate(editor.date())
        return out

    def recheck(self, *_args: object) -> None:
        """With no dry run to ask, 更正 stays grey until something is changed and a reason
        given (the service says the same on 更正; the confirmation is not asked for nothing)."""
        super().recheck()
        if not self.problems and (not self.changes() or not self.why.text().strip()):
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(UNFINISHED)

    def changes(self) -> dict[str, Any]:
        """What differs from the record: a flag as a flag (the base reads ``False`` as ``""``)."""
        out = {}
        for key, value in self.typed().items():
            held = getattr(self.view, key)
            if held is None and isinstance(value, str):
                held = ""
            if value != held:
                out[key] = value
        return out


class RecordCorrections:
    """The 更正 buttons under 第3步's three lists, each opening the dialog on the row selected."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.buttons: dict[str, QPushButton] = {}
        self.why_not = refusal(page.services, ServiceAction.CORRECT_RECORD)
        for kind in KINDS:
            listing: QListWidget = page.w(kind.list_name)
            button = named(QPushButton(f"更正(&{LETTER})…"), f"{kind.key}CorrectButton")
            button.setToolTip(f"更正选中的{kind.what}（新版本，原记录保留并可追溯）")
            button.clicked.connect(lambda _c=False, k=kind: self.open(k))
            box = listing.parentWidget()
            layout = box.layout()
            assert isinstance(layout, QFormLayout)
            row, _role = layout.getWidgetPosition(listing)
            layout.insertRow(row + 1, button)
            listing.itemSelectionChanged.connect(self.update)
            self.buttons[kind.key] = button
        self.update()

    def selected(self, kind: RecordKind) -> Any:
        """The record behind the row selected in ``kind``'s list (None: none selected)."""
        detail = self.page.detail
        row = self.page.w(kind.list_name).currentRow()
        if detail is None or not self.page.w(kind.list_name).selectedItems():
            return None
        records = kind.rows(detail)
        return records[row] if 0 <= row < len(records) else None

    def unlock(self) -> None:
        """The lists of a step shown read-only select a row still (nothing in them edits)."""
        for kind in KINDS:
            self.page.w(kind.list_name).setEnabled(True)
        self.update()

    def update(self) -> None:
        """Enabled with a row selected, on a case not voided, for a role that may correct
        (a read-only role sees why on hover)."""
        detail = self.page.detail
        writable = detail is not None and not detail.voided
        for kind in KINDS:
            button = self.buttons[kind.key]
            button.setEnabled(self.why_not is None and writable and self.selected(kind) is not None)
            if self.why_not is not None:
                button.setToolTip(self.why_not)

    def open(self, kind: RecordKind) -> CaseRecordCorrectionDialog | None:
        """The dialog on the selected record (window-modal); once corrected, the step
        reloads and says so, as the step's own 更正 does."""
        view = self.selected(kind)
        if view is None or self.page.detail is None:
            return None
        subject = ""
        if hasattr(view, "subject_id"):
            subject = {s.id: s.name for s in self.page.detail.subjects}.get(view.subject_id, "")
        dialog = CaseRecordCorrectionDialog(
            self.page.services.cases, kind, view, self.page, subject
        )
        dialog.accepted.connect(self._corrected)
        dialog.open()
        return dialog

    def _corrected(self) -> None:
        self.page.reload()
        self.page.status_label.setStyleSheet(OK_STYLE)
        self.page.status_label.setText(CORRECTED)


__all__ = ["KINDS", "CaseRecordCorrectionDialog", "RecordCorrections"]
