"""Compose the case documents (DESIGN §5) as editable JSON content, and turn content into a Doc.

Why JSON content: the officer edits the wording before issue; the edited content is then
frozen in the ``documents`` table, and every later rendering starts from that frozen content,
so a reprint years later is word-for-word the issued document. Composition is pure: it reads a
``CaseDetail`` (which never carries a reporter's identity, Art. 10) and the bureau's settings.

The composer is a package, one module per document kind; every name is importable from
``app.documents.compose`` as before.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# What rendering frozen content needs is loaded now; the composers (and the regulation,
# citations and deadlines they read) when a name of theirs is first used, so a process that
# only re-renders an issued document (`wenze docs export --case`) does not import them.
from app.documents.compose.content import (
    ALTERED,
    BLOCK_TYPES,
    SCHEMA,
    ContentError,
    Letterhead,
    canonical_json,
    content,
    content_sha256,
    h1,
    h2,
    imprint,
    p,
    plain_text,
    sig,
    space,
    table,
    to_doc,
    toc_label,
    validate,
)

if TYPE_CHECKING:
    from app.documents.compose.case_forms import (
        initiation_form,
        investigation_report,
        recusal_decision,
    )
    from app.documents.compose.decisions import (
        decision,
        recipient_of,
        review_decision,
        review_service_proof,
        service_proof,
        split_request,
    )
    from app.documents.compose.dossier import (
        DossierEntry,
        HistoryRow,
        dossier,
        dossier_cover,
        dossier_history,
        validate_dossier,
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

_COMPOSERS: dict[str, tuple[str, ...]] = {
    "case_forms": ("initiation_form", "investigation_report", "recusal_decision"),
    "decisions": (
        "decision",
        "recipient_of",
        "review_decision",
        "review_service_proof",
        "service_proof",
        "split_request",
    ),
    "dossier": (
        "DossierEntry",
        "HistoryRow",
        "dossier",
        "dossier_cover",
        "dossier_history",
        "validate_dossier",
    ),
    "wording": (
        "TITLE_WORDS",
        "_with_subject",
        "consequence_clauses",
        "decision_refs",
        "form_action",
        "form_basis",
        "form_phrase",
        "form_refs",
        "meeting_phrase",
        "reg",
        "rights_notice",
        "title_breaks",
    ),
}


def __getattr__(name: str) -> Any:
    """A composer's name: load every composer module once and bind their names here (after
    the import, so the function ``dossier`` wins over the submodule of the same name)."""
    if not any(name in names for names in _COMPOSERS.values()):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = {}
    for module_name, names in _COMPOSERS.items():
        module = import_module(f"{__name__}.{module_name}")
        found.update({n: getattr(module, n) for n in names})
    globals().update(found)
    return found[name]


__all__ = [
    "ALTERED",
    "BLOCK_TYPES",
    "SCHEMA",
    "TITLE_WORDS",
    "ContentError",
    "DossierEntry",
    "HistoryRow",
    "Letterhead",
    "_with_subject",
    "canonical_json",
    "consequence_clauses",
    "content",
    "content_sha256",
    "decision",
    "decision_refs",
    "dossier",
    "dossier_cover",
    "dossier_history",
    "form_action",
    "form_basis",
    "form_phrase",
    "form_refs",
    "h1",
    "h2",
    "imprint",
    "initiation_form",
    "investigation_report",
    "meeting_phrase",
    "p",
    "plain_text",
    "recipient_of",
    "recusal_decision",
    "reg",
    "review_decision",
    "review_service_proof",
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
    "validate_dossier",
]
