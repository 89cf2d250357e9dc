"""Compose the case documents (DESIGN §5) as editable JSON content, and turn content into a Doc.

Why JSON content: the officer edits the wording before issue; the edited content is then
frozen in the ``documents`` table, and every later rendering starts from that frozen content,
so a reprint years later is word-for-word the issued document. Composition is pure: it reads a
``CaseDetail`` (which never carries a reporter's identity, Art. 10) and the bureau's settings.

The composer is a package, one module per document kind; every name is importable from
``app.documents.compose`` as before.
"""

from __future__ import annotations

from app.documents.compose.case_forms import (
    initiation_form,
    investigation_report,
    recusal_decision,
)
from app.documents.compose.content import (
    BLOCK_TYPES,
    SCHEMA,
    ContentError,
    Letterhead,
    content,
    h1,
    h2,
    p,
    plain_text,
    sig,
    space,
    table,
    to_doc,
    toc_label,
    validate,
)
from app.documents.compose.decisions import (
    decision,
    recipient_of,
    review_decision,
    service_proof,
    split_request,
)
from app.documents.compose.dossier import (
    DossierEntry,
    HistoryRow,
    dossier,
    dossier_cover,
)
from app.documents.compose.wording import (
    TITLE_WORDS,
    _with_subject,
    consequence_clauses,
    decision_refs,
    form_action,
    form_basis,
    form_phrase,
    form_refs,
    meeting_phrase,
    reg,
    rights_notice,
    title_breaks,
)

__all__ = [
    "BLOCK_TYPES",
    "SCHEMA",
    "TITLE_WORDS",
    "ContentError",
    "DossierEntry",
    "HistoryRow",
    "Letterhead",
    "_with_subject",
    "consequence_clauses",
    "content",
    "decision",
    "decision_refs",
    "dossier",
    "dossier_cover",
    "form_action",
    "form_basis",
    "form_phrase",
    "form_refs",
    "h1",
    "h2",
    "initiation_form",
    "investigation_report",
    "meeting_phrase",
    "p",
    "plain_text",
    "recipient_of",
    "recusal_decision",
    "reg",
    "review_decision",
    "rights_notice",
    "service_proof",
    "sig",
    "space",
    "split_request",
    "table",
    "title_breaks",
    "to_doc",
    "toc_label",
    "validate",
]
