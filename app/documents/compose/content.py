"""Editable JSON content of a document: block helpers, validation, plain text and the
conversion to the layout model (``Doc``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.documents import model
from app.documents.text import format_cn_date
from app.domain.enums import DecisionOutcome, DocumentKind
from app.domain.issuing import decision_document_name
from app.jsontext import canonical

SCHEMA = 1
BLOCK_TYPES = ("p", "h1", "h2", "space", "break", "sig", "table", "imprint")


class ContentError(ValueError):
    """Edited content that cannot be laid out or no longer matches the document it drafts."""


@dataclass(frozen=True)
class Letterhead:
    """The settings a document needs (from ``MasterDataService.settings()``)."""

    bureau_name: str
    discipline_body: str
    doc_prefix: str = ""  # 机关代字 (the prefix of document numbers)
    #: 版头的发文机关标志 (「荣成市综合行政执法局文件」); empty: no 版头 (套红信笺)
    issuer_mark: str = ""

    @classmethod
    def of(cls, settings: Any) -> Letterhead:
        """The letterhead of the stored settings (``app.config.Settings``)."""
        return cls(settings.bureau_name, settings.discipline_body, settings.doc_prefix,
                   settings.issuer_mark.strip())  # fmt: skip

    def mark(self) -> dict[str, str]:
        """What a document issued under a number carries of the 版头 (GB/T 9704 §7.2): the
        发文机关标志 as set when it is drafted, frozen with it; nothing when none is set."""
        return {"issuer_mark": self.issuer_mark} if self.issuer_mark else {}


# ---- block helpers (JSON form) -----------------------------------------------------------


def p(text: str, indent: float = 2, align: str = "justify") -> dict[str, Any]:
    return {"type": "p", "text": text, "indent": indent, "align": align}


def h1(text: str) -> dict[str, Any]:
    return {"type": "h1", "text": text}


def h2(text: str) -> dict[str, Any]:
    return {"type": "h2", "text": text}


def space(lines: int = 1) -> dict[str, Any]:
    return {"type": "space", "lines": lines}


def sig(body: str, on: date, seal: bool = True, note: str = "") -> dict[str, Any]:
    """发文机关署名, 成文日期 and 印章; ``note`` is the 附注 printed below the date (§7.3.6)."""
    out: dict[str, Any] = {"type": "sig", "body": body, "date": format_cn_date(on), "seal": seal}
    if note:
        out["note"] = note
    return out


def imprint(issuer: str, on: date, cc: Sequence[str] = ()) -> dict[str, Any]:
    """版记 (GB/T 9704 §7.4): 抄送机关, 印发机关 and 印发日期 at the foot of the last page."""
    return {"type": "imprint", "cc": list(cc), "issuer": issuer, "date": format_cn_date(on)}


def table(
    rows: Sequence[Sequence[str | tuple[str, str]]],
    widths: Sequence[float] | None = None,
    min_heights: Mapping[int, float] | None = None,
    size: float = 14.0,
    *,
    one_page: bool = False,
    header_rows: int = 0,
) -> dict[str, Any]:
    """A ruled form; a cell is text or (text, align); ``min_heights`` row index → mm.

    Align ``fit`` keeps a cell on one line (a label, a document number), shrinking it if
    needed; ``one_page`` keeps the whole table on one sheet; ``header_rows`` repeat on
    every continuation page.
    """
    out = []
    for n, row in enumerate(rows):
        cells = [
            {"text": c[0], "align": c[1]} if isinstance(c, tuple) else {"text": c, "align": ""}
            for c in row
        ]
        out.append({"cells": cells, "min_height": (min_heights or {}).get(n, 0.0)})
    block: dict[str, Any] = {
        "type": "table",
        "widths": list(widths) if widths else None,
        "rows": out,
        "size": size,
    }
    if one_page:
        block["one_page"] = True
    if header_rows:
        block["header_rows"] = header_rows
    return block


def content(
    kind: DocumentKind, title: str, number: str, blocks: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "kind": str(kind),
        "title": title,
        "number": number,
        "blocks": blocks,
        **extra,
    }


# ---- content → layout model --------------------------------------------------------------


def _block(b: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    t = b.get("type")
    if t == "p":
        return model.Para(
            str(b["text"]), indent=float(b.get("indent", 2)), align=b.get("align", "justify")
        )
    if t == "h1":
        return model.Heading1(str(b["text"]))
    if t == "h2":
        return model.Heading2(str(b["text"]))
    if t == "space":
        return model.Spacer(int(b.get("lines", 1)))
    if t == "break":
        return model.PageBreak()
    if t == "sig":
        return model.Signature(
            str(b["body"]), str(b["date"]), bool(b.get("seal", True)), str(b.get("note") or "")
        )
    if t == "imprint":
        cc = tuple(str(x) for x in b.get("cc", ()))
        return model.Imprint(str(b["issuer"]), str(b["date"]), cc)
    if t == "table":
        rows = []
        for r in b["rows"]:
            cells = [model.Cell(str(c["text"]), c.get("align") or "") for c in r["cells"]]
            rows.append(model.FormRow(tuple(cells), float(r.get("min_height", 0.0))))
        widths = b.get("widths")
        return model.FormTable(
            rows=rows,
            col_widths=tuple(widths) if widths else None,
            size=float(b.get("size", model.TABLE_SIZE)),
            one_page=bool(b.get("one_page", False)),
            header_rows=int(b.get("header_rows", 0)),
        )
    raise ContentError(f"未知的文书段落类型：{t!r}")


def to_doc(
    c: Mapping[str, Any], code: str | None = None, *, draft: bool = False, screen: bool = False
) -> model.Doc:
    """The layout model for one (non-dossier) document's content.

    A ``draft`` has no number and no verification code and carries a 草稿 watermark; the
    seal-area guide is drawn on drafts and on ``screen`` previews, never on an original.
    """
    validate(c)
    title = str(c["title"])
    breaks = tuple(int(x) for x in c.get("title_breaks", ()) if 0 < int(x) < len(title))
    return model.Doc(
        title=title,
        number=None if draft else (c.get("number") or None),
        blocks=[_block(b) for b in c["blocks"]],
        verification_code=None if draft else code,
        title_breaks=breaks,
        toc_label=toc_label(c),
        draft=draft,
        seal_guide=draft or screen,
        issuer_mark=str(c.get("issuer_mark") or ""),
    )


def validate(c: Mapping[str, Any]) -> None:
    """Refuse content the renderer cannot lay out (after an officer edited it)."""
    if not isinstance(c, Mapping) or c.get("schema") != SCHEMA:
        raise ContentError("文书内容格式不正确")
    if not str(c.get("title", "")).strip():
        raise ContentError("文书标题不能为空")
    if not isinstance(c.get("issuer_mark", ""), str) or "\n" in c.get("issuer_mark", ""):
        raise ContentError("版头的发文机关标志格式不正确")
    blocks = c.get("blocks")
    if not isinstance(blocks, list):
        raise ContentError("文书正文格式不正确")
    for b in blocks:
        if not isinstance(b, Mapping) or b.get("type") not in BLOCK_TYPES:
            raise ContentError(f"未知的文书段落：{b!r}")
        if b["type"] in ("p", "h1", "h2") and not isinstance(b.get("text"), str):
            raise ContentError("段落文字必须是文本")
        if b["type"] == "imprint" and not (
            isinstance(b.get("issuer"), str)
            and isinstance(b.get("date"), str)
            and isinstance(b.get("cc", []), list)
            and all(isinstance(x, str) for x in b.get("cc", []))
        ):
            raise ContentError("版记格式不正确")


def plain_text(c: Mapping[str, Any]) -> str:
    """All words of a document's content, in order (for search and reporter-safety checks)."""
    parts = [str(c.get("title", "")), str(c.get("number", ""))]
    if c.get("issuer_mark"):
        parts.insert(0, str(c["issuer_mark"]))
    for b in c.get("blocks", ()):
        if b.get("type") in ("p", "h1", "h2"):
            parts.append(str(b["text"]))
        elif b.get("type") == "sig":
            parts += [str(b["body"]), str(b["date"])] + ([str(b["note"])] if b.get("note") else [])
        elif b.get("type") == "table":
            parts += [str(cell["text"]) for r in b["rows"] for cell in r["cells"]]
        elif b.get("type") == "imprint":
            parts += [*map(str, b.get("cc", ())), str(b["issuer"]), str(b["date"])]
    return "\n".join(parts + _dossier_words(c))


def _dossier_words(c: Mapping[str, Any]) -> list[str]:
    """A 卷宗's own words beyond its title (第十条): the cover (editable before it is issued),
    the contents and the 案件办理记录 — which names the proposer, the recipients and every act.
    Read before the dossier is validated, so a cover out of shape reads as its text."""
    cover, history = c.get("cover"), c.get("history")
    parts = [str(x) for x in c.get("toc", ()) or ()] if isinstance(c.get("toc"), list) else []
    if isinstance(cover, Mapping):
        fields = cover.get("fields")
        parts += [str(x) for f in fields for x in f] if isinstance(fields, list) else []
        parts += [str(cover[k]) for k in ("body", "date") if cover.get(k)]
    elif cover is not None:
        parts.append(str(cover))
    if isinstance(history, Mapping):
        parts.append(plain_text(history))
    return parts


#: The titles of a decision document, longest first (不予问责决定书 before 问责决定书).
DECISION_NAMES = tuple(sorted(map(decision_document_name, DecisionOutcome), key=len, reverse=True))


def toc_label(c: Mapping[str, Any]) -> str:
    """A contents entry that says whose document it is: 「送达回证（受送达人：王喆）」."""
    kind = str(c.get("kind", ""))
    title = str(c.get("title", ""))
    short = kind if kind and kind in title and kind != DocumentKind.DOSSIER else title
    if kind == DocumentKind.DECISION:  # 不予问责决定书, 免予问责决定书 by their own names
        short = next((n for n in DECISION_NAMES if title.endswith(n)), short)
    who = str(c.get("recipient", ""))
    if kind in (DocumentKind.SERVICE_PROOF, DocumentKind.REVIEW_SERVICE_PROOF):
        # 「复核决定书送达回证（王喆）　…」: filed after the review decision it proves served
        served = c.get("served_document", "")
        whose = str(c.get("whose", "")) or who
        short = kind if kind == DocumentKind.REVIEW_SERVICE_PROOF else short
        text = f"{short}（{whose}）" if whose else short
        return text + (f"　{served}" if served else "")
    text = f"{short}（{who}）" if who else short
    number = c.get("number")
    return text + (f"　{number}" if number else "")


def canonical_json(value: Any) -> str:
    """The one text a document's content is hashed and coded from (sorted keys, no padding)."""
    return canonical(value)


def content_sha256(content: Any) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


#: Why a stored document is not printed: its content no longer hashes to the value fixed at issue.
ALTERED = "文书《{title}》的内容与印发时的校验值不符（数据库可能被绕过系统改动），已停止打印或导出；请运行审计校验并报告管理员"
