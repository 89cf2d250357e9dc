"""What the administrator's settings may hold: checked by the service, shown by the form.

The day counts feed deadlines and the lock screen; the earliest plausible date is the lower
bound of every date of an act (a typo such as 1900 is refused, not recorded), so it may not
itself be moved to an implausible year or to a day after today.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.domain.rules import RuleViolation, violation
from app.domain.text import is_blank, visible

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


#: The document-number prefixes (机关代字): the decision's and the review decision's.
PREFIXES = (
    ("doc_prefix", "处理决定文号的机关代字"),
    ("review_doc_prefix", "复核决定文号的机关代字"),
)
#: What the number adds to a prefix (〔year〕 and the sequence): a prefix holding them would
#: read as a second year or number (荣综执纪〔2025〕〔2026〕1号) and defeat the year checks.
NUMBER_MARKS = frozenset("〔〕[]【】")


def settings_problems(
    changes: dict[str, object],
    today: date,
    current: Mapping[str, object] | None = None,
    on_record: date | None = None,
) -> list[RuleViolation]:
    """What is wrong with ``changes`` to the settings ``current`` (the stored ones).
    ``on_record``: the earliest date an act on record bears (a live case's or lead's)."""
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
    out += prefix_problems(changes, current or {})
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
        elif (
            on_record is not None
            and day > on_record
            and raw != str((current or {}).get("earliest_date", ""))
        ):  # a form saved with the date unchanged is not refused for what was set before
            out.append(
                violation(
                    "第九条",
                    f"已登记的案件或线索中最早的日期为{on_record.isoformat()}，最早可登记日期"
                    f"不能设为其后的{day.isoformat()}：这些案件和线索的后续办理与更正都将被拒绝",
                    "earliest_date",
                )
            )
    return out


def prefix_problems(
    changes: Mapping[str, object], current: Mapping[str, object]
) -> list[RuleViolation]:
    """Art. 13 and 14: a decision and a review decision are numbered from two counters, each
    under its own prefix; the same prefix for both would give the first review decision a
    number a decision already holds, and every review decision would be refused as a reused
    number. A prefix is the 机关代字 alone: the number adds 〔year〕 and the sequence."""
    out: list[RuleViolation] = []
    for key, label in PREFIXES:
        if key not in changes:
            continue
        text = visible(str(changes[key]))
        if any(ch in NUMBER_MARKS or ch.isdigit() for ch in text):
            out.append(
                violation(
                    "第十三条",
                    f"{label}只能是机关代字本身（如“荣综执纪”），不能含有年份、数字或〔〕[]等括号；"
                    "文号中的〔年份〕和序号由系统编定",
                    key,
                )
            )
    if any(key in changes for key, _ in PREFIXES):
        merged = {key: visible(str(changes.get(key, current.get(key, "")))) for key, _ in PREFIXES}
        if merged["doc_prefix"] and merged["doc_prefix"] == merged["review_doc_prefix"]:
            out.append(
                violation(
                    "第十三条、第十四条",
                    "处理决定与复核决定的机关代字不能相同（如“荣综执纪”与“荣综执纪复”），"
                    "否则两类文书的文号会重复",
                    "review_doc_prefix",
                )
            )
    return out


#: What the service found at the second backup folder asked for (:func:`backup_dir_problems`).
FOLDER_OK, FOLDER_MISSING, FOLDER_IS_FILE = "ok", "missing", "file"
FOLDER_READ_ONLY, FOLDER_RELATIVE = "readonly", "relative"
_BACKUP_DIR = "备份副本另存位置"


def backup_dir_problems(raw: str, inside_data: bool, found: str) -> list[RuleViolation]:
    """The second backup folder is where a copy of each backup survives the disk that holds
    the data: a relative path would land wherever the program was started from, a folder
    inside the data folder dies with it (and its 附件 and 临时 sweeps would take the copies
    for strays), and a missing, read-only folder or a file only fails every backup later,
    as a warning nobody reads. ``inside_data``/``found``: what the service saw there."""
    text = raw.strip()
    if not text:
        return []  # no second copy
    why = ""
    if found == FOLDER_RELATIVE:
        why = "须为完整路径（如 E:\\问责备份 或 /media/U盘/问责备份），不能是相对路径"
    elif inside_data:
        why = "不能是数据文件夹或其中的文件夹：另存的副本应在另一块磁盘或U盘上，数据所在磁盘损坏时才不会一同丢失"
    elif found == FOLDER_MISSING:
        why = "该文件夹不存在（如为U盘，请先插入U盘并建好文件夹）"
    elif found == FOLDER_IS_FILE:
        why = "该路径是一个文件，不是文件夹"
    elif found == FOLDER_READ_ONLY:
        why = "该文件夹无法写入（只读、无权限或U盘写保护）"
    if not why:
        return []
    return [
        RuleViolation(
            f"{_BACKUP_DIR}“{text}”未保存：{why}。备份本身仍保存在数据目录的 backups 文件夹中。",
            field="backup_dir",
        )
    ]
