"""Review 56f: 第十条 on the way back — a reporter written onto a lead already disposed of.

Since 2896cb2 dispose, report and correction refuse a 审批人 or 审批依据 naming the lead's
reporter (both are listed with the lead to every user). A reporter written onto the lead
*afterwards* was checked only against the dispositions' 理由, 初核报告 and 更正理由: the
listed 审批依据 「甄秘密来信签批单」 then sat beside a lead whose reporter is 甄秘密."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.leads_disposition import Approval, DispositionSpec
from app.domain.rules import RuleViolation
from tests.unit.test_review56b_leads import _counts, keyed  # noqa: F401 (the fixture)


@pytest.mark.parametrize(
    "approval",
    [
        Approval(date(2026, 11, 2), "纪委书记 周正", "甄秘密来信签批单"),
        Approval(date(2026, 11, 2), "甄秘密", "纪委会议纪要〔2026〕12号"),
    ],
)
def test_a_reporter_written_after_the_approval_that_names_him_is_refused(
    keyed,  # noqa: F811
    approval: Approval,
) -> None:  # type: ignore[no-untyped-def]
    from app.services.vault import ReporterIdentity

    admin, _officer = keyed
    lid = admin.leads.register_lead(
        received_on=date(2026, 11, 1), source="举报", channel="来信", content="反映某中队推诿投诉。"
    )
    admin.dispositions.dispose(lid, DispositionSpec("初步核实", approval))
    before = _counts(admin)
    with pytest.raises(RuleViolation) as exc:
        admin.leads.update_lead(lid, reporter=ReporterIdentity(name="甄秘密"))
    msg = str(exc.value)
    assert msg.startswith("依据第十条") and "甄秘密" not in msg, msg
    assert _counts(admin) == before
    assert admin.leads.reveal_reporter(lid) is None
