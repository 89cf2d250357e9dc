"""预览 → 编辑措辞 → 印发, inside the wizard (steps 5 and 7), and the service of a
review decision: the officer never leaves the case to issue what must be served.
"""

from __future__ import annotations

import copy
import io
from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.ui.fit import fit_to_screen
from app.ui.forms import confirmed, error_label, set_text_read_only
from app.ui.unsaved import GuardedDialog
from app.ui.wizard.base import refusal_text
from app.ui.wizard.editors import ServiceEditor, default_served_at

PARAGRAPH_GAP = "\n\n"


def paragraphs(content: dict[str, Any]) -> list[str]:
    return [b["text"] for b in content.get("blocks", ()) if b.get("type") == "p"]


def with_paragraphs(content: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    """The content with its body paragraphs replaced in order (headings, tables untouched).
    A single line break typed inside a running paragraph is joined (it printed as a hard
    break in the middle of a line of the 正文); a paragraph added or removed is refused, naming the
    first paragraph that no longer begins as it did."""
    out = copy.deepcopy(content)
    body = [b for b in out.get("blocks", ()) if b.get("type") == "p"]
    if len(texts) != len(body):
        where = next(
            (i for i, (b, t) in enumerate(zip(body, texts, strict=False))
             if t.strip()[:6] != b["text"][:6]),
            min(len(body), len(texts)),
        )  # fmt: skip
        at = (
            f"自第{where + 1}段（原文以「{body[where]['text'][:10]}」开头）起对不上"
            if where < len(body)
            else f"第{len(body)}段之后多出了内容"
        )
        raise ValueError(
            f"正文应有{len(body)}段（段与段之间空一行），现有{len(texts)}段，{at}；"
            "请勿增删段落：一段之内不要空行"
        )
    for block, text in zip(body, texts, strict=True):
        text = text.strip()
        if "\n" not in block["text"]:  # a line-by-line paragraph (签名 lines) keeps its lines
            text = "".join(line.strip() for line in text.splitlines())
        block["text"] = text
    return out


class IssueDocumentDialog(GuardedDialog):
    """Preview the draft, edit its wording, and issue it after confirming its number;
    关闭, Esc or × after rewording it asks before dropping the new wording."""

    def __init__(
        self, services: Any, case_id: int, kind: str, ref_id: int | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.services, self.case_id, self.kind, self.ref_id = services, case_id, kind, ref_id
        self.issued: Any = None
        self.setWindowTitle(f"印发{kind}")
        fit_to_screen(self, 1100, 640)
        self.draft = services.documents.draft_document(case_id, kind, ref_id)
        # The version in force this dialog was opened on (None: none): one issued by another
        # window meanwhile is refused (第十三条) rather than frozen again as one more version.
        self.in_force = next(
            (d.id for d in services.documents.list_documents(case_id)
             if d.kind == kind and d.ref_id == ref_id),
            None,
        )  # fmt: skip
        self.editor = QPlainTextEdit(PARAGRAPH_GAP.join(paragraphs(self.draft)))
        self.editor.setObjectName("wordingEdit")
        self.editor.setTabChangesFocus(True)  # Tab moves on (a tab typed into the wording was kept)
        self.preview = QLabel()
        self.preview.setObjectName("previewLabel")
        self.preview.setMinimumWidth(420)
        self.message = error_label("issueMessage")  # a refusal, red as under the wizard's forms
        number = self.draft.get("number") or self._unnumbered()
        worded = bool(paragraphs(self.draft))
        head = QLabel(
            f"《{self.draft['title']}》　印发后文号：{number}"
            + ("　草稿未印发前可修改措辞" if worded else "")
        )
        head.setObjectName("issueHead")
        head.setWordWrap(True)
        if not worded:
            # A form (送达回证) has no paragraph to word: a writable box here only took text
            # that 印发 then refused (「正文应有0段…」).
            set_text_read_only(self.editor, True)
            self.editor.setPlaceholderText(
                "本文书为表格式，没有可修改的措辞：内容取自案件的送达记录，"
                "如有错误，请先更正送达记录再印发"
            )
        # The page image scrolls inside the dialog: at full height it pushed 印发… below a
        # 768-pixel screen.
        pane = QScrollArea()
        pane.setWidget(self.preview)
        pane.setWidgetResizable(True)
        pane.setMinimumWidth(440)
        split = QSplitter()
        split.addWidget(self.editor)
        split.addWidget(pane)
        refresh = QPushButton("刷新预览")
        refresh.clicked.connect(self.render_preview)
        buttons = QDialogButtonBox()
        self.issue_button = buttons.addButton("印发…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.issue_button.setObjectName("issueButton")
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.issue)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(refresh)
        bar.addStretch(1)
        bar.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(bar)
        self.render_preview()
        self.guard()

    def _unnumbered(self) -> str:
        from app.domain.issuing import NUMBERED_AT_ISSUE

        if self.kind in NUMBERED_AT_ISSUE:
            return "（印发时取本局处理决定文号的下一个号）"
        return "（本文书不编文号）"

    def confirmation(self) -> str:
        """What 印发 will do, naming the number the document takes (issue 11 item 7)."""
        title, number = self.draft["title"], self.draft.get("number")
        if number:
            what = f"将以文号 {number} 印发《{title}》。"
        else:
            what = f"将印发《{title}》{self._unnumbered()}。"
        return what + "\n印发后内容冻结并生成校验码，只能以新版本更正。是否印发？"

    def content(self) -> dict[str, Any]:
        texts = [t for t in self.editor.toPlainText().split(PARAGRAPH_GAP) if t.strip()]
        return with_paragraphs(self.draft, texts)

    def render_preview(self) -> None:
        """The first page as the bureau will print it (the draft carries no number yet)."""
        try:
            from app.ui.documents_preview import rasterise

            buffer = io.BytesIO()
            self.services.documents.render_content(self.content(), buffer, screen=True)
            images = rasterise(buffer.getvalue(), 60, 1, 1)
        except Exception as exc:
            self.message.setText(refusal_text(exc))
            return
        # The wording renders: a refusal of it shown before no longer holds.
        self.message.setText("")
        if images:
            from PySide6.QtGui import QPixmap

            self.preview.setPixmap(QPixmap.fromImage(images[0]))

    def issue(self) -> None:
        if not confirmed(self, "确认印发", self.confirmation()):
            return
        try:
            self.issued = self.services.documents.issue_document(
                self.case_id, self.kind, self.ref_id, self.content(), shown=self.draft,
                replacing=self.in_force,
            )  # fmt: skip
        except Exception as exc:
            self.message.setText(refusal_text(exc))
            return
        self.accept()


class ReviewServiceDialog(GuardedDialog):
    """Record the service of an issued 复核决定书 (Art. 13, 14); 取消, Esc or × with the
    service typed and not recorded asks first."""

    def __init__(
        self,
        services: Any,
        review_decision_id: int,
        parent: QWidget | None,
        *,
        review: Any = None,
        applicant: str = "",
        document_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.rd_id = services, review_decision_id
        self.document_id = document_id  # the version served (第十三条: one reissued is refused)
        self.setWindowTitle("送达复核决定书")
        self.editor = ServiceEditor(f"rd{review_decision_id}")
        if review is not None:
            # As 第6步 does: now, and not before the decision day (a blank editor said
            # 2000-01-01 00:00, which the rule refuses every time); the applicant receives it.
            self.editor.set_served_at(default_served_at(services.ctx.now(), review.decided_on))
            self.editor.w("decisionLabel").setText(
                f"送达文书：复核决定书 {review.doc_number}（{applicant}）"
            )
        self.editor.w("recipient").setText(applicant)
        self.message = error_label("serviceMessage")
        buttons = QDialogButtonBox()
        buttons.addButton("登记送达", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor.root)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # As wide as 第6步's service form: at its smallest the fields were 135 px and cut a
        # place of service such as 「城区二中队办公室会议室」.
        fit_to_screen(self, 720, self.sizeHint().height())
        self.guard()

    def save(self) -> None:
        try:
            self.services.cases.record_review_service(
                self.rd_id, self.editor.spec(), document_id=self.document_id
            )
        except Exception as exc:
            self.message.setText(refusal_text(exc))
            return
        self.accept()
