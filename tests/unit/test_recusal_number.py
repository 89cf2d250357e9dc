"""A 回避决定书 is served on a person (第十二条) and carries the bureau's number, taken from
the series of decisions when it is first issued and kept by every later version."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from sqlalchemy import select

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.base import ServiceError
from app.services.numbers import KIND_DECISION
from app.storage.models import DocNumber, NumberCounter
from tests.helpers.builders import advance, grant_recusal

NUMBER = re.compile(r"^(.+)〔(\d{4})〕(\d+)号$")


def _recused_case(svc, world) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING)
    svc.cases.assign_investigator(cid, world.staff[2], declared_no_conflict=True)
    grant_recusal(svc, cid, world.staff[2])
    return cid, svc.queries.get_case(cid).recusals[0].id


def _last_seq(svc, year: int) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return int(
            s.scalar(
                select(NumberCounter.last_seq).where(
                    NumberCounter.kind == KIND_DECISION, NumberCounter.year == year
                )
            )
            or 0
        )


def test_a_recusal_decision_takes_the_next_decision_number(svc, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cid, rid = _recused_case(svc, world)
    decided = svc.queries.get_case(cid).recusals[0].decided_on
    before = _last_seq(svc, decided.year)
    draft = svc.documents.draft_document(cid, DocumentKind.RECUSAL_DECISION, rid)
    assert not draft.get("number")  # a draft takes no number
    with pytest.raises(ServiceError, match="文书编号由系统编号"):
        forged = {**draft, "number": f"荣综执纪〔{decided.year}〕999号"}
        svc.documents.issue_document(cid, DocumentKind.RECUSAL_DECISION, rid, content=forged)
    assert _last_seq(svc, decided.year) == before  # the refused issue took no number
    view = svc.documents.issue_document(cid, DocumentKind.RECUSAL_DECISION, rid)
    prefix, year, seq = NUMBER.match(view.number).groups()  # type: ignore[union-attr]
    assert prefix == svc.masterdata.settings().doc_prefix
    assert (int(year), int(seq)) == (decided.year, before + 1)
    with svc.db.read() as s:
        row = s.scalar(select(DocNumber).where(DocNumber.number == view.number))
    assert row is not None and row.case_id == cid and row.kind == KIND_DECISION
    out = tmp_path / "r.pdf"
    svc.documents.render(view.id, out)
    with pdfplumber.open(out) as pdf:
        first = (pdf.pages[0].extract_text() or "").replace(" ", "")
    assert view.number in first
    # Issued again (a new version): its draft shows the number it keeps; none is taken.
    redraft = svc.documents.draft_document(cid, DocumentKind.RECUSAL_DECISION, rid)
    assert redraft["number"] == view.number
    again = svc.documents.issue_document(cid, DocumentKind.RECUSAL_DECISION, rid)
    assert (again.version, again.number) == (2, view.number)
    assert _last_seq(svc, decided.year) == before + 1
    # The next recusal decision of another case takes the following number.
    other, other_rid = _recused_case(svc, world)
    nxt = svc.documents.issue_document(other, DocumentKind.RECUSAL_DECISION, other_rid)
    other_year = svc.queries.get_case(other).recusals[0].decided_on.year
    if other_year == decided.year:
        assert nxt.number == view.number.replace(f"〕{seq}号", f"〕{int(seq) + 1}号")
