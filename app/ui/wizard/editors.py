"""Repeated sub-forms: one sanction editor per subject, one service editor per decision."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDateTime, QSize, QTime
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyle, QStyleOptionComboBox, QWidget

from app.domain.enums import (
    AccountabilityForm,
    DecisionOutcome,
    ResponsibilityType,
    SanctionKind,
    ServiceMethod,
)
from app.domain.rules import SanctionSpec, ServiceSpec
from app.ui.wizard import formkit

FORM_BOXES = {
    "formWritten": AccountabilityForm.WRITTEN_SELF_CRITICISM,
    "formCirculated": AccountabilityForm.CIRCULATED_CRITICISM,
    "formResignation": AccountabilityForm.ORDERED_RESIGNATION,
    "formSanction": AccountabilityForm.ADMINISTRATIVE_SANCTION,
    "formOther": AccountabilityForm.OTHER,
}
# What 第十一条 allows only when the subject is held accountable.
OUTCOME_BOUND = (*FORM_BOXES, "sanctionKind", "otherFormText", "transfer")
SANCTION_WIDGETS = (
    "responsibilityBox",
    "responsibility",
    "mitigation",
    "outcome",
    *FORM_BOXES,
    "sanctionKind",
    "otherFormText",
    "transfer",
    "reasons",
    "periodLabel",
    "docNumberLabel",
)
SERVICE_WIDGETS = (
    "decisionLabel",
    "servedAt",
    "place",
    "method",
    "recipient",
    "servers",
    "entrustedUnitLabel",
    "entrustedUnit",
    "witnessLabel",
    "witness",
    "refusalReasonLabel",
    "refusalReason",
    "note",
    "reviewDeadlineLabel",
)


def cn_date(d: date | None) -> str:
    """2026年3月5日 — the date form of the documents."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def fit_combo_to_items(combo: QComboBox) -> None:
    """Keep every choice of a short list whole: Qt sizes a combo by the ink of its texts,
    which leaves full-width brackets (「（处分种类）」) a few pixels short of their advance."""
    widest = max(
        (combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
        default=0,
    )
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    size = combo.style().sizeFromContents(
        QStyle.ContentsType.CT_ComboBox,
        option,
        QSize(widest, combo.fontMetrics().height()),
        combo,
    )
    combo.setMinimumWidth(size.width())


class SanctionEditor:
    """Art. 11 forms for one subject (a report recommendation, a decision, a review change)."""

    def __init__(self, scope: str, *, with_responsibility: bool) -> None:
        self.root: QWidget = formkit.load_form("sanction_editor.ui")
        self.root.setProperty("draftScope", scope)
        w = self.w
        formkit.fill_enums(w, responsibility=ResponsibilityType, outcome=DecisionOutcome)
        formkit.fill_combo(
            w("sanctionKind"),
            [("（处分种类）", "")] + [(k.value, k.value) for k in SanctionKind],
        )
        w("responsibilityBox").setVisible(with_responsibility)
        # The 其他方式 box keeps its hint whole beside the other forms (it was cut off).
        other = w("otherFormText")
        other.setToolTip("其他方式的具体内容（第十一条第（五）项：法律法规规定的其他方式）")
        hint = other.fontMetrics().horizontalAdvance(other.placeholderText())
        other.setMinimumWidth(hint + 16)
        fit_combo_to_items(w("sanctionKind"))
        # A kind or a way written in is that form chosen; a form unticked drops its detail
        # (else 第十一条 refuses a kind without 行政处分, and the officer must find why).
        w("sanctionKind").currentIndexChanged.connect(self._kind_chosen)
        w("formSanction").toggled.connect(self._sanction_ticked)
        other.textEdited.connect(self._other_written)
        w("formOther").toggled.connect(self._other_ticked)
        # 第十一条: 不予问责 and 免予问责 take no form (nor a transfer); they are not offered.
        w("outcome").currentIndexChanged.connect(self.follow_outcome)
        formkit.constrain(self.root, self.follow_outcome)
        self.follow_outcome()

    def follow_outcome(self, *_args: object) -> None:
        """Offer the forms only with 予以问责; another outcome clears and locks them. A
        locked editor (a decision shown read-only) is left as it is shown."""
        outcome = self.w("outcome")
        if not outcome.isEnabledTo(self.root):
            return
        accountable = formkit.combo_value(outcome) == DecisionOutcome.ACCOUNTABLE.value
        for name in OUTCOME_BOUND:
            widget = self.w(name)
            if not accountable:
                if isinstance(widget, QLineEdit):
                    widget.clear()
                elif isinstance(widget, QComboBox):
                    formkit.set_combo_value(widget, "")
                else:
                    widget.setChecked(False)
            widget.setEnabled(accountable)

    def _kind_chosen(self, _index: int) -> None:
        if formkit.combo_value(self.w("sanctionKind")):
            self.w("formSanction").setChecked(True)

    def _sanction_ticked(self, on: bool) -> None:
        if not on:
            formkit.set_combo_value(self.w("sanctionKind"), "")

    def _other_written(self, text: str) -> None:
        if text.strip():
            self.w("formOther").setChecked(True)

    def _other_ticked(self, on: bool) -> None:
        if not on:
            self.w("otherFormText").clear()

    def w(self, name: str):  # type: ignore[no-untyped-def]
        return formkit.child(self.root, name)

    def responsibility(self) -> str:
        return formkit.combo_value(self.w("responsibility"))

    def mitigation(self) -> str:
        return self.w("mitigation").text()

    def sanction(self) -> SanctionSpec:
        forms = [f for name, f in FORM_BOXES.items() if self.w(name).isChecked()]
        return SanctionSpec.of(
            formkit.combo_value(self.w("outcome")),
            forms,
            formkit.combo_value(self.w("sanctionKind")) or None,
            self.w("otherFormText").text(),
            self.w("transfer").isChecked(),
            self.w("reasons").toPlainText(),
        )

    def set_sanction(
        self,
        outcome: str,
        forms: tuple[str, ...] | list[str],
        sanction_kind: str | None,
        other_form_text: str,
        transfer: bool,
        reasons: str,
    ) -> None:
        formkit.set_combo_value(self.w("outcome"), outcome)
        for name, f in FORM_BOXES.items():
            self.w(name).setChecked(f.value in forms)
        formkit.set_combo_value(self.w("sanctionKind"), sanction_kind or "")
        self.w("otherFormText").setText(other_form_text)
        self.w("transfer").setChecked(transfer)
        self.w("reasons").setPlainText(reasons)

    def set_from_view(self, v) -> None:  # type: ignore[no-untyped-def]
        """From a ReportItemView or DecisionView."""
        self.set_sanction(
            v.outcome,
            v.forms,
            v.sanction_kind,
            v.other_form_text,
            v.transfer_to_judicial,
            v.reasons,
        )


def default_served_at(now: datetime, decided_on: date) -> datetime:
    """The service time a blank form offers: now (第十三条 refuses a time after it), or 9:00
    of the decision day should that day be ahead. It was the later of now and 9:00 that
    day, so an officer serving before 9:00 on the decision day was offered a time to come
    and refused with 「送达时间不能晚于当前时间」."""
    return now if now.date() >= decided_on else datetime.combine(decided_on, time(9, 0))


class ServiceEditor:
    """Art. 13 service of one decision."""

    def __init__(self, scope: str) -> None:
        self.root: QWidget = formkit.load_form("service_editor.ui")
        self.root.setProperty("draftScope", scope)
        formkit.fill_enum(self.w("method"), ServiceMethod)
        self.w("method").currentIndexChanged.connect(self._follow_method)
        self._follow_method()

    def _left_at_premises(self) -> bool:
        return formkit.combo_value(self.w("method")) == ServiceMethod.LEFT_AT_PREMISES.value

    def _entrusted(self) -> bool:
        return formkit.combo_value(self.w("method")) == ServiceMethod.ENTRUSTED.value

    def _follow_method(self, *_args: object) -> None:
        """见证人 and 拒收事由 belong to 留置送达 (第十三条), 受托单位 to 委托送达; with another
        way they are not offered."""
        left = self._left_at_premises()
        for name in ("witnessLabel", "witness", "refusalReasonLabel", "refusalReason"):
            self.w(name).setEnabled(left)
        for name in ("entrustedUnitLabel", "entrustedUnit"):
            self.w(name).setEnabled(self._entrusted())

    def w(self, name: str):  # type: ignore[no-untyped-def]
        return formkit.child(self.root, name)

    def served_at(self) -> datetime:
        return self.w("servedAt").dateTime().toPython().replace(second=0, microsecond=0)

    def set_served_at(self, at: datetime) -> None:
        self.w("servedAt").setDateTime(
            QDateTime(formkit.qdate(at.date()), QTime(at.hour, at.minute))
        )

    def spec(self) -> ServiceSpec:
        servers = [
            s.strip()
            for s in self.w("servers").text().replace("，", "、").replace(",", "、").split("、")
        ]
        return ServiceSpec(
            self.served_at(),
            self.w("place").text(),
            formkit.combo_value(self.w("method")),
            self.w("recipient").text(),
            [s for s in servers if s],
            self.w("witness").text() if self._left_at_premises() else "",
            self.w("refusalReason").text() if self._left_at_premises() else "",
            self.w("note").text(),
            self.w("entrustedUnit").text() if self._entrusted() else "",
        )

    def set_from_view(self, v) -> None:  # type: ignore[no-untyped-def]
        self.set_served_at(v.served_at)
        self.w("place").setText(v.place)
        formkit.set_combo_value(self.w("method"), v.method)
        self.w("recipient").setText(v.recipient)
        self.w("servers").setText("、".join(v.servers))
        self.w("witness").setText(v.witness)
        self.w("refusalReason").setText(v.refusal_reason)
        self.w("note").setText(v.note)
        self.w("entrustedUnit").setText(v.entrusted_unit)
