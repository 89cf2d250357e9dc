"""Review rev54b: a report's file name is kept by its export's audit record (第十条).

The 问责统计月报 and the 案件台账 record the file name the officer chose in the audit trail
the 审计员 reads, as `docs export` records its folder. A workbook named after a reporter of
the leads of the cases it covers (「甄秘密举报统计.xlsx」) put his name there; it is refused now,
before any file or record is written, and the refusal does not repeat him.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.rules import InitiationSpec, RuleViolation
from app.readmodels import Period
from app.services.vault import ReporterIdentity
from app.storage.models import AuditRecord
from tests.helpers.builders import proposal

REPORTER = ReporterIdentity(name="甄秘密", phone="13912345678")
MARCH = Period.month(2026, 3)


def _case_with_a_reporter(svc, world) -> int:  # type: ignore[no-untyped-def]
    lead = svc.leads.register_lead(
        received_on=date(2026, 3, 1), source="举报", channel="来信", content="反映推诿。",
        reporter=REPORTER,
    )  # fmt: skip
    cid = svc.cases.propose_case(proposal(world, lead_ids=[lead]))
    svc.cases.decide_initiation(
        cid, InitiationSpec(date(2026, 3, 5), "党组会议纪要〔2026〕7号", False, "反映问题不属实")
    )
    return cid


def _records(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(AuditRecord.id)))


def _audited_names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        rows = s.scalars(select(AuditRecord.after).where(AuditRecord.entity == "report"))
        return [str((a or {}).get("file", "")) for a in rows]


@pytest.mark.parametrize(
    "export",
    [
        lambda svc, path: svc.reports.export_monthly(path, MARCH),
        lambda svc, path: svc.reports.export_ledger(path),
    ],
    ids=["月报", "台账"],
)
def test_a_report_named_after_the_reporter_is_refused(
    svc, db, world, tmp_path: Path, export
) -> None:  # type: ignore[no-untyped-def]
    _case_with_a_reporter(svc, world)
    before = _records(db)
    for name in ("甄秘密举报统计.xlsx", "来电 139 1234 5678.xlsx"):  # the name, the telephone
        path = tmp_path / name
        with pytest.raises(RuleViolation) as refused:
            export(svc, path)
        message = str(refused.value)
        assert message.startswith("依据第十条"), message
        assert "文件名" in message and "报表" in message
        assert "甄秘密" not in message and "13912345678" not in message and name not in message
        assert not path.exists() and _records(db) == before
    assert not any("甄秘密" in n or "139" in n for n in _audited_names(db))
    path = tmp_path / "问责统计.xlsx"  # another name: exported and recorded
    export(svc, path)
    assert path.stat().st_size > 0 and _records(db) == before + 1
    assert _audited_names(db)[-1] == "问责统计.xlsx"
