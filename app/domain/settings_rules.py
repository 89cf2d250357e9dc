"""What the administrator's settings may hold: checked by the service, shown by the form.

The day counts feed deadlines and the lock screen; the earliest plausible date is the lower
bound of every date of an act (a typo such as 1900 is refused, not recorded), so it may not
itself be moved to an implausible year or to a day after today.
"""

from __future__ import annotations

from datetime import date

from app.domain.rules import RuleViolation, violation
from app.domain.text import is_blank

#: Integer settings: (key, label, lowest, highest); the form's spin boxes use the same bounds.
INT_FIELDS = (
    ("default_investigation_days", "默认调查期限（天）：", 1, 365),
    ("reminder_days", "到期提醒（提前天数）：", 0, 90),
    ("idle_lock_minutes", "无操作自动锁定（分钟）：", 1, 240),
)
#: The earliest plausible date may not be set before this day.
EARLIEST_FLOOR = date(1990, 1, 1)
#: Settings that name the bureau on every document: never blank.
NAMED = ("bureau_name", "doc_prefix", "review_doc_prefix", "discipline_body")


def settings_problems(changes: dict[str, object], today: date) -> list[RuleViolation]:
    out: list[RuleViolation] = []
    for key, label, lo, hi in INT_FIELDS:
        if key not in changes:
            continue
        try:
            value = int(str(changes[key]))
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            what = label.rstrip("：")
            out.append(violation("第九条", f"{what}应为{lo}至{hi}之间的整数", key))
    for key in NAMED:
        if key in changes and is_blank(str(changes[key])):
            out.append(violation("第十三条", "单位名称、机关代字和纪检机构全称不能为空", key))
    if "earliest_date" in changes:
        raw = str(changes["earliest_date"])
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            day = None
        if day is None or not EARLIEST_FLOOR <= day <= today:
            out.append(
                violation(
                    "第九条",
                    f"最早可登记日期应为{EARLIEST_FLOOR.isoformat()}至今天之间的日期"
                    f"（YYYY-MM-DD），不能设为“{raw}”",
                    "earliest_date",
                )
            )
    return out
