"""Legal citations as structure: (instrument, article, clause) references composed into one sentence.

Why structure, not strings: the grounds (``case_grounds``), the forms (Art. 11) and the sanction
kind each imply articles; free-text basis fields written by the officer may repeat them, and may
or may not carry a title. Collecting every reference first, removing duplicates, and writing the
sentence once gives 「依照《A》第七条第（五）项、第十一条第（四）项，《B》第六十二条的规定」 —
never 「依据…依据…」 and never one title twice in a sentence.

The regulation's title is read from the regulation resource, never written in code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.regulation import cn_number, load_regulation, parse_cn_number

#: instrument keys (stored in document content) → full title without 《》
REGULATION = "regulation"
CSL = "公务员法"
SANCTION_REG = "处分条例"
CIVIL_CODE = "民法典"

_TITLES = {
    CSL: "中华人民共和国公务员法",
    SANCTION_REG: "行政机关公务员处分条例",
    CIVIL_CODE: "中华人民共和国民法典",
}
#: short titles accepted when reading free text (公务员法 → the full title)
_ALIASES = {
    "公务员法": CSL,
    "中华人民共和国公务员法": CSL,
    "行政机关公务员处分条例": SANCTION_REG,
    "处分条例": SANCTION_REG,
    "民法典": CIVIL_CODE,
    "中华人民共和国民法典": CIVIL_CODE,
}


def regulation_title() -> str:
    """The regulation's own title (line 1 of the regulation resource)."""
    return load_regulation().title


def title_of(instrument: str) -> str:
    """Full title without 《》 for an instrument key; unknown keys are titles themselves."""
    if instrument == REGULATION:
        return regulation_title()
    return _TITLES.get(instrument, instrument)


def cite(instrument: str) -> str:
    return f"《{title_of(instrument)}》"


def whitelist() -> frozenset[str]:
    """Every 《…》 a composed document may contain: real instruments only."""
    return frozenset({regulation_title(), *_TITLES.values(), "公务员法", "行政机关公务员处分条例"})


@dataclass(frozen=True, order=True)
class Ref:
    """One reference: ``article`` 0 means the whole instrument; ``clause`` 0 the whole article."""

    instrument: str
    article: int = 0
    clause: int = 0

    def label(self) -> str:
        if not self.article:
            return ""
        text = f"第{cn_number(self.article)}条"
        if self.clause:
            text += f"第（{cn_number(self.clause)}）项"
        return text

    def to_json(self) -> dict[str, object]:
        return {"instrument": self.instrument, "article": self.article, "clause": self.clause}

    @classmethod
    def from_json(cls, d: dict[str, object]) -> Ref:
        return cls(str(d["instrument"]), int(d.get("article", 0)), int(d.get("clause", 0)))  # type: ignore[arg-type]


_INSTRUMENT_ORDER = (REGULATION, CSL, SANCTION_REG, CIVIL_CODE)


def normalise(refs: Iterable[Ref]) -> list[Ref]:
    """Deduplicate; an article cited as a whole is dropped when one of its clauses is cited.

    Order: instruments in a fixed order (the regulation first), then first-seen order of
    instruments the officer typed, articles and clauses ascending.
    """
    seen: list[Ref] = []
    for r in refs:
        if r not in seen:
            seen.append(r)
    out = []
    for r in seen:
        if (
            r.article
            and not r.clause
            and any(
                o.instrument == r.instrument and o.article == r.article and o.clause for o in seen
            )
        ):
            continue
        if not r.article and any(o.instrument == r.instrument and o.article for o in seen):
            continue
        out.append(r)
    extra = [i for i in dict.fromkeys(r.instrument for r in out) if i not in _INSTRUMENT_ORDER]
    order = {k: n for n, k in enumerate((*_INSTRUMENT_ORDER, *extra))}
    return sorted(out, key=lambda r: (order[r.instrument], r.article, r.clause))


def phrase(refs: Sequence[Ref]) -> str:
    """``《A》第七条第（五）项、第十一条，《B》第六十二条和《C》第六条`` — each title once."""
    refs = normalise(refs)
    groups: list[tuple[str, list[Ref]]] = []
    for r in refs:
        if groups and groups[-1][0] == r.instrument:
            groups[-1][1].append(r)
        else:
            groups.append((r.instrument, [r]))
    parts = [cite(inst) + _labels(rs) for inst, rs in groups]
    if len(parts) <= 1:
        return "".join(parts)
    return "，".join(parts[:-1]) + "和" + parts[-1]


def _labels(refs: Sequence[Ref]) -> str:
    """``第七条第（五）项、第（七）项、第十一条``: an article named once for its clauses."""
    out: list[str] = []
    last = 0
    for r in refs:
        if not r.article:
            continue
        if r.clause and r.article == last:
            out.append(f"第（{cn_number(r.clause)}）项")
        else:
            out.append(r.label())
        last = r.article if r.clause else 0
    return "、".join(out)


def basis_clause(refs: Sequence[Ref]) -> str:
    """``依照…的规定`` — the one place a basis sentence says 依照."""
    text = phrase(refs)
    return f"依照{text}的规定" if text else ""


# ---- reading free text ---------------------------------------------------------------------

_CN = "零一二三四五六七八九十百"
_TOKEN = re.compile(
    rf"《(?P<title>[^》]+)》|(?P<reg>本办法|该办法|办法)"
    rf"|第(?P<art>[{_CN}]+)条(?:第[（(](?P<cl>[{_CN}]+)[）)]项)?"
    rf"(?P<more>(?:[、和及][（(][{_CN}]+[）)](?:项)?|、第[（(][{_CN}]+[）)]项)*)"
)
_MORE = re.compile(rf"[（(]([{_CN}]+)[）)]")


def _instrument_for_title(title: str) -> str:
    title = title.strip()
    if title == regulation_title() or ("问责" in title and title.endswith("办法")):
        return REGULATION  # includes a wrong or abbreviated title of the regulation
    return _ALIASES.get(title, title)


def parse(text: str, default: str = REGULATION) -> list[Ref]:
    """References found in free text; articles with no title belong to the last title seen."""
    return list(_parse(text or "", default))


@functools.lru_cache(maxsize=1024)
def _parse(text: str, default: str) -> tuple[Ref, ...]:
    # A handful of basis texts recur in every document of a demo or a dossier: parsed once.
    refs: list[Ref] = []
    current = default
    for m in _TOKEN.finditer(text or ""):
        if m["title"]:
            current = _instrument_for_title(m["title"])
            refs.append(Ref(current))
        elif m["reg"]:
            current = REGULATION
        elif m["art"]:
            try:
                art = parse_cn_number(m["art"])
                clauses = [parse_cn_number(m["cl"])] if m["cl"] else []
                clauses += [parse_cn_number(x) for x in _MORE.findall(m["more"] or "")]
            except ValueError:
                continue
            if clauses:
                refs += [Ref(current, art, c) for c in clauses]
            else:
                refs.append(Ref(current, art))
    return tuple(refs)


def leftover(text: str) -> str:
    """What free text says besides its citations (e.g. a sentence worth keeping)."""
    rest = _TOKEN.sub("", text or "")
    rest = re.sub(r"依据|依照|根据|按照|之规定|的规定|规定|以及|[、，。；：\s和及]", "", rest)
    return rest
