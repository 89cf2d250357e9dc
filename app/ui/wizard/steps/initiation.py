"""Wizard 第2步 党组会议决定启动."""

from __future__ import annotations

from datetime import date

from app.domain import deadlines
from app.domain.enums import MeetingKind
from app.domain.rules import InitiationSpec, RuleViolation, check_initiation
from app.services.base import ServiceError
from app.ui.wizard import formkit
from app.ui.wizard.base import StepPage
from app.ui.wizard.editors import cn_date
from app.ui.wizard.steps.common import deadline_text


class InitiationPage(StepPage):
    STEP = 2
    FORM = "step2_initiation.ui"
    ARTICLES = (9,)
    SUBTITLE = "党组会议研究决定是否启动问责，并限定调查核实的期限（第九条）"
    CORRECTABLE = True
    WIDGETS = (
        "meetingDate",
        "minutesRef",
        "outcomeStart",
        "outcomeNotStart",
        "reasonLabel",
        "reason",
        "byDays",
        "days",
        "byDate",
        "untilDate",
        "deadlineLabel",
    )

    def _meeting(self):  # type: ignore[no-untyped-def]
        if self.detail is None:
            return None
        for m in self.detail.meetings:
            if m.kind == MeetingKind.INITIATION.value:
                return m
        return None

    def load(self, detail) -> None:  # type: ignore[no-untyped-def]
        w = self.w
        m = self._meeting()
        if m is None:
            start = max(self.today(), detail.proposed_on) if detail else self.today()
            w("meetingDate").setDate(formkit.qdate(start))
            w("untilDate").setDate(formkit.qdate(start).addDays(30))
            return
        w("meetingDate").setDate(formkit.qdate(m.meeting_date))
        w("minutesRef").setText(m.minutes_ref)
        w("outcomeStart").setChecked(m.outcome == "启动")
        w("outcomeNotStart").setChecked(m.outcome != "启动")
        w("reason").setText(m.reason)
        if detail.investigation_deadline:
            w("byDate").setChecked(True)
            w("untilDate").setDate(formkit.qdate(_set_by_meeting(detail)))

    def spec(self) -> InitiationSpec:
        w = self.w
        start = w("outcomeStart").isChecked()
        by_days = w("byDays").isChecked()
        # Only what the chosen outcome asks for: a 不予启动理由 typed before the officer chose
        # 启动问责 is not recorded with the start, nor a period with a refusal.
        return InitiationSpec(
            meeting_date=formkit.pydate(w("meetingDate")),
            minutes_ref=w("minutesRef").text(),
            start=start,
            reason="" if start else w("reason").text(),
            investigation_days=w("days").value() if start and by_days else None,
            investigation_until=(formkit.pydate(w("untilDate")) if start and not by_days else None),
        )

    def _follow_choices(self) -> None:
        """Offer only the fields the chosen outcome and period kind use: the reason with
        不予启动, the period with 启动问责, the day count or the last day as chosen."""
        w = self.w
        start = w("outcomeStart").isChecked()
        for name in ("reasonLabel", "reason"):
            w(name).setEnabled(not start)
        for name in ("byDays", "byDate"):
            w(name).setEnabled(start)
        w("days").setEnabled(start and w("byDays").isChecked())
        w("untilDate").setEnabled(start and w("byDate").isChecked())

    def check(self) -> list[RuleViolation]:
        assert self.detail is not None
        spec = self.spec()
        if self.correcting:
            m = self._meeting()
            if m is None or m.outcome != "启动":  # a refusal's date and 纪要 only
                spec = InitiationSpec(spec.meeting_date, spec.minutes_ref, True, "", 1)
            return check_initiation(spec, self.detail.proposed_on)
        # The service's own rulebook for the act (a meeting dated ahead, a period past the
        # case's time limit, a 纪要编号 cited for another day): 下一步 was enabled for them.
        return self.services.cases.initiation_problems(self.case_id, spec)

    def refresh_extras(self) -> None:
        label = self.w("deadlineLabel")
        if self.detail is None:
            return
        if self.finished:
            m = self._meeting()
            if m and m.outcome != "启动":
                label.setText(f"党组决定不予启动问责：{m.reason}")
            elif self.detail.investigation_deadline:
                label.setText(
                    f"调查期限最后一日：{cn_date(self.detail.investigation_deadline)}"
                    + (
                        f"（已延期{len(self.detail.extensions)}次）"
                        if self.detail.extensions
                        else ""
                    )
                )
            return
        self._follow_choices()
        spec = self.spec()
        if not spec.start:
            label.setText("不予启动的，案件将直接结案归档（须写明理由）")
            return
        if any(v.field == "investigation" for v in check_initiation(spec, date.min)):
            label.setText("")
            return
        dl = deadlines.investigation_deadline(
            spec.meeting_date,
            days=spec.investigation_days,
            until=spec.investigation_until,
            calendar=self.services.masterdata.calendar(),
        )
        label.setText(deadline_text(dl, "调查期限最后一日"))
        if spec.investigation_days is not None:
            # The date field shows the same last day as the label (not a stale default).
            box = self.w("untilDate")
            box.blockSignals(True)
            box.setDate(formkit.qdate(dl.last_day))
            box.blockSignals(False)

    def commit(self) -> None:
        self.services.cases.decide_initiation(self.case_id, self.spec())

    def nextId(self) -> int:
        if self.detail is not None and self.finished:
            return 8 if self._meeting() and self._meeting().outcome != "启动" else 3
        return 8 if self.w("outcomeNotStart").isChecked() else 3

    def can_correct(self) -> bool:
        return self._meeting() is not None

    def correction_fields(self) -> set[str]:
        m = self._meeting()
        period = {"byDays", "days", "byDate", "untilDate"}  # 第九条: the period it set
        return {"meetingDate", "minutesRef"} | (period if m and m.outcome == "启动" else set())

    def correct(self, reason: str) -> None:
        m = self._meeting()
        assert m is not None
        spec = self.spec()
        changes: dict[str, object] = {}
        if spec.meeting_date != m.meeting_date:
            changes["meeting_date"] = spec.meeting_date
        if spec.minutes_ref.strip() != m.minutes_ref:
            changes["minutes_ref"] = spec.minutes_ref.strip()
        if m.outcome == "启动" and self._period_changed(spec):
            changes["investigation_days"] = spec.investigation_days
            changes["investigation_until"] = spec.investigation_until
        if not changes:
            raise ServiceError("没有需要更正的内容")
        self.services.cases.correct_initiation(m.id, reason, **changes)

    def _period_changed(self, spec: InitiationSpec) -> bool:
        """The period as now chosen differs from the one the meeting set (shown as its last
        day, before any extension: :meth:`load`)."""
        assert self.detail is not None
        if spec.investigation_days is not None:
            return True  # the days were chosen anew: the meeting's last day is shown as a date
        return spec.investigation_until != _set_by_meeting(self.detail)


def _set_by_meeting(detail) -> date:  # type: ignore[no-untyped-def]
    """The investigation's last day as the opening meeting set it, before any extension."""
    first = detail.extensions[0].old_deadline if detail.extensions else None
    return first or detail.investigation_deadline
