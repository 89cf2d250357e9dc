"""The regulation's text as data, so screens and documents can quote any clause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.resources import resource_path

CN_NUMERALS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 11 → 十一, 14 → 十四, 20 → 二十 (enough for article and clause numbers)."""
    if n <= 0 or n >= 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_NUMERALS[ones]
    head = "" if tens == 1 else CN_NUMERALS[tens]
    return head + "十" + (CN_NUMERALS[ones] if ones else "")


def parse_cn_number(text: str) -> int:
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = CN_NUMERALS.index(head) if head else 1
        return tens * 10 + (CN_NUMERALS.index(tail) if tail else 0)
    return CN_NUMERALS.index(text)


def article_label(article: int) -> str:
    return f"第{cn_number(article)}条"


def clause_label(article: int, clause: int) -> str:
    """第七条第（五）项 — the citation form used in grounds and statistics."""
    return f"第{cn_number(article)}条第（{cn_number(clause)}）项"


@dataclass(frozen=True)
class Clause:
    article: int
    number: int
    text: str

    @property
    def label(self) -> str:
        return clause_label(self.article, self.number)

    @property
    def key(self) -> str:
        return f"{self.article}.{self.number}"


@dataclass(frozen=True)
class Article:
    number: int
    text: str
    clauses: tuple[Clause, ...]
    tail: str = ""

    @property
    def label(self) -> str:
        return article_label(self.number)

    def full_text(self) -> str:
        parts = [self.text]
        parts += [f"（{cn_number(c.number)}）{c.text}" for c in self.clauses]
        if self.tail:
            parts.append(self.tail)
        return "\n".join(parts)


@dataclass(frozen=True)
class Regulation:
    title: str
    issuer: str
    articles: tuple[Article, ...]

    def article(self, number: int) -> Article:
        for art in self.articles:
            if art.number == number:
                return art
        raise KeyError(f"规定中没有{article_label(number)}")

    def clause(self, article: int, number: int) -> Clause:
        for c in self.article(article).clauses:
            if c.number == number:
                return c
        raise KeyError(f"规定中没有{clause_label(article, number)}")

    def ground_clauses(self) -> list[Clause]:
        """The Art. 7 and Art. 8 circumstances that can ground a case."""
        return list(self.article(7).clauses) + list(self.article(8).clauses)


_ARTICLE_RE = re.compile(r"^第([一二三四五六七八九十]+)条\s*(.*)$")
_CLAUSE_RE = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]\s*(.*)$")


def parse_regulation(text: str) -> Regulation:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title, issuer = lines[0], lines[1]
    articles: list[Article] = []
    current: dict | None = None

    def flush() -> None:
        if current is not None:
            articles.append(
                Article(
                    current["number"],
                    current["text"],
                    tuple(current["clauses"]),
                    "".join(current["tail"]),
                )
            )

    for line in lines[2:]:
        if m := _ARTICLE_RE.match(line):
            flush()
            current = {"number": parse_cn_number(m[1]), "text": m[2], "clauses": [], "tail": []}
        elif (m := _CLAUSE_RE.match(line)) and current is not None:
            current["clauses"].append(Clause(current["number"], parse_cn_number(m[1]), m[2]))
        elif current is not None:
            # A paragraph after the clauses (Art. 11's second paragraph).
            current["tail"].append(line)
    flush()
    return Regulation(title, issuer, tuple(articles))


@cache
def load_regulation(path: Path | None = None) -> Regulation:
    source = path or resource_path("regulation", "accountability-measures.zh.txt")
    return parse_regulation(Path(source).read_text(encoding="utf-8"))
