"""Official-document engine: GB/T 9704 layout, Chinese line breaking, embedded fonts."""

from app.documents.layout import (
    Cell,
    Cover,
    Doc,
    FormRow,
    FormTable,
    Heading1,
    Heading2,
    LayoutError,
    PageBreak,
    Para,
    RenderResult,
    Signature,
    Spacer,
    render_bundle,
    render_pdf,
)
from app.documents.text import format_cn_date, format_cn_datetime, format_doc_number
from app.documents.verify import check_code, verification_code

__all__ = [
    "Cell",
    "Cover",
    "Doc",
    "FormRow",
    "FormTable",
    "Heading1",
    "Heading2",
    "LayoutError",
    "PageBreak",
    "Para",
    "RenderResult",
    "Signature",
    "Spacer",
    "check_code",
    "format_cn_date",
    "format_cn_datetime",
    "format_doc_number",
    "render_bundle",
    "render_pdf",
    "verification_code",
]
