"""The regulation's full text with an anchor per article and clause, linkable from anywhere.

Links use the scheme ``clause:7.5`` (article 7, clause 5) or ``clause:14`` (whole article);
any label with such a link can call :func:`parse_clause_link` and open the viewer there.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.domain.regulation import Regulation, cn_number, load_regulation
from app.ui.fit import fit_to_screen


def anchor(article: int, clause: int | None = None) -> str:
    return f"a{article}" if clause is None else f"a{article}c{clause}"


def clause_link(article: int, clause: int | None = None) -> str:
    return f"clause:{article}" if clause is None else f"clause:{article}.{clause}"


def parse_clause_link(link: str) -> tuple[int, int | None] | None:
    """``clause:7.5`` → (7, 5); ``clause:14`` → (14, None); anything else → None."""
    if not link.startswith("clause:"):
        return None
    body = link.removeprefix("clause:")
    art, _, clause = body.partition(".")
    try:
        return int(art), (int(clause) if clause else None)
    except ValueError:
        return None


def clause_text(article: int, clause: int | None = None) -> str:
    """The text shown in a tooltip: label and wording of the clause (or the article)."""
    reg = load_regulation()
    try:
        if clause is None:
            art = reg.article(article)
            return f"{art.label}　{art.full_text()}"
        c = reg.clause(article, clause)
        return f"{c.label}　{c.text}"
    except KeyError as exc:
        return str(exc.args[0]) if exc.args else ""


def regulation_html(reg: Regulation) -> str:
    parts = [
        f"<h2 style='text-align:center'>{html.escape(reg.title)}</h2>",
        f"<p style='text-align:center'>{html.escape(reg.issuer)}</p>",
    ]
    for art in reg.articles:
        parts.append(
            f"<p><a name='{anchor(art.number)}'></a><b>{html.escape(art.label)}</b>　"
            f"{html.escape(art.text)}</p>"
        )
        for c in art.clauses:
            parts.append(
                f"<p style='margin-left:2em'><a name='{anchor(art.number, c.number)}'></a>"
                f"（{cn_number(c.number)}）{html.escape(c.text)}</p>"
            )
        if art.tail:
            parts.append(f"<p>{html.escape(art.tail)}</p>")
    return "\n".join(parts)


class RegulationViewer(QDialog):
    """帮助 → 规定全文; ``show_clause`` scrolls to an article or clause."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        reg = load_regulation()
        self.setWindowTitle(reg.title)
        fit_to_screen(self, 820, 680)  # within the screen, also at Windows' 125 % (1093×614)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(regulation_html(reg))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.current_anchor = ""

    def show_clause(self, article: int, clause: int | None = None) -> None:
        self.current_anchor = anchor(article, clause)
        self.show()
        self.raise_()
        self.browser.scrollToAnchor(self.current_anchor)
        # Once laid out at its final size the position changes: scroll again then.
        QTimer.singleShot(0, lambda: self.browser.scrollToAnchor(self.current_anchor))

    def open_link(self, link: str | QUrl) -> bool:
        target = parse_clause_link(link.toString() if isinstance(link, QUrl) else link)
        if target is None:
            return False
        self.show_clause(*target)
        return True
