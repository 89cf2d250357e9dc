"""Review 57r: a correction of an investigation record is refused for the words it may change.

57a refused a correction of evidence whose merged record named a reporter of the case's leads,
the attachment's file name included. That name is what the file was called when it was
registered and no correction may change it (证据 corrects 名称, 说明, 取得日期 only); an
attachment registered by one who holds no key (「甄秘密来信.pdf」, not checked: he cannot open
the reporter) made every later correction of that evidence refused, its 取得日期 too — a
refusal no correction could meet. The words a correction may change are still refused.
"""

from __future__ import annotations

from datetime import date

from tests.unit.test_rev57a_record_words import _opened
from tests.unit.test_review52b_case_words import _lead, _refused, site  # noqa: F401


def test_evidence_whose_file_name_no_one_can_correct_still_takes_a_corrected_date(  # type: ignore[no-untyped-def]
    site,  # noqa: F811
    tmp_path,
) -> None:
    admin, officer, world = site
    cid = _opened(admin, world, [_lead(admin)])
    letter = tmp_path / "甄秘密来信.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    eid = officer.cases.add_evidence(
        cid, "群众来信", collected_on=date(2026, 3, 10), attachment=letter
    )
    new = admin.cases.correct_evidence(eid, "取得日期录错", collected_on=date(2026, 3, 9))
    assert [e.collected_on for e in admin.queries.get_case(cid).evidence] == [date(2026, 3, 9)]
    # what a correction may change is still refused when it names the reporter
    _refused(lambda: admin.cases.correct_evidence(new, "补正名称", title="甄秘密来信"), "evidence")
