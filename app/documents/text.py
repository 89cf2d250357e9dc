"""Pure text helpers for official documents (dates and document numbers per GB/T 9704)."""

from __future__ import annotations

import datetime as _dt
import re

from app.domain.enums import DocumentKind


def format_cn_date(date: _dt.date) -> str:
    """``2026年3月5日``: Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5)."""
    return f"{date.year}年{date.month}月{date.day}日"


def format_doc_number(prefix: str, year: int, seq: int) -> str:
    """``代字〔2026〕5号``: hexagonal brackets 〔〕, sequence without leading zeros."""
    if seq < 1:
        raise ValueError("发文顺序号必须从1开始")
    if not 1000 <= year <= 9999:
        raise ValueError("年份必须是四位数字")
    return f"{prefix}〔{year}〕{int(seq)}号"


def format_cn_datetime(moment: _dt.datetime) -> str:
    """``2026年3月5日14时30分``: to the minute, as on a 送达回证."""
    return f"{format_cn_date(moment.date())}{moment.hour}时{moment.minute:02d}分"


#: A document's file name, the doc id and ``.pdf`` aside, in characters: 255 bytes of a
#: Linux file name hold 85 汉字, and Windows counts the whole path (260 characters) with the
#: folder the officer picked and the temporary folder beside it.
FILE_STEM_MAX = 72


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")


def document_file_name(
    case_number: str, kind: str, recipient: str, version: int, doc_id: int
) -> str:
    """``案件编号_文书种类_受送达人[_第N版]_ID.pdf``, safe on every file system (a dossier
    names no recipient). A recipient too long for it (a unit's name of up to 100 characters)
    is cut, with 「…」: the whole export stopped at that name, 「文件名或路径过长」."""
    head = [_safe(case_number), _safe(kind)]
    tail = [f"第{version}版"] if version > 1 else []
    who = _safe(recipient) if recipient and kind != DocumentKind.DOSSIER else ""
    room = FILE_STEM_MAX - len("_".join([*head, *tail])) - 1
    if len(who) > room:
        who = who[: max(room - 1, 1)].rstrip("_") + "…"
    safe = "_".join(p for p in [*head, who, *tail] if p) or "文书"
    return f"{safe}_{doc_id}.pdf"
