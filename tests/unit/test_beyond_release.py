"""解除处分 (公务员法第六十四条、第六十五条): allowed and refused paths, the notice PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.domain.enums import UserRole
from app.domain.lifecycle import Stage
from app.domain.release import ReleaseSpec, SanctionState
from app.domain.rules import RuleViolation
from app.services.base import SYSTEM, Actor, NotFound
from app.services.releases import ReleaseService
from app.storage.models import AuditRecord, SanctionRelease
from tests.helpers.beyond_data import Sub, insert_case, recused, unit_and_people
from tests.helpers.builders import advance

SPEC = ReleaseSpec(date(2026, 11, 20), "受处分期间认真整改，工作表现良好", "纪委书记 周正")


@pytest.fixture
def rs(svc):  # type: ignore[no-untyped-def]
    return ReleaseService(svc.ctx, svc)


def refused(fn, *args, basis: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as exc:
        fn(*args)
    msg = str(exc.value)
    assert msg.startswith("依据"), msg
    assert basis in msg, msg
    return msg


def releases(svc) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.scalar(select(func.count(SanctionRelease.id))) or 0


@pytest.fixture
def old(svc):  # type: ignore[no-untyped-def]
    """Sanctions decided 2024-01-10: 降级 and 警告 ended, 开除 never ends; a unit's 通报批评."""
    with svc.db.session() as s:
        unit, (a, b, c, me) = unit_and_people(s, ["甲", "乙", "丙", "纪检干事"])
        _, (d1,) = insert_case(
            s, unit, date(2024, 1, 10), [Sub("甲", a, forms=["行政处分"], sanction_kind="降级")]
        )
        _, (d2,) = insert_case(
            s, unit, date(2024, 1, 10), [Sub("乙", b, forms=["行政处分"], sanction_kind="开除")]
        )
        hidden, (d3,) = insert_case(
            s, unit, date(2024, 1, 10), [Sub("丙", c, forms=["行政处分"], sanction_kind="警告")]
        )
        _, (d4,) = insert_case(s, unit, date(2024, 1, 10), [Sub("中队", None, forms=["通报批评"])])
        recused(s, hidden, me, "纪检干事", date(2024, 1, 1))
    from app.storage.models import Decision

    with svc.db.read() as s:
        ids = {
            sub: s.scalar(select(Decision.id).where(Decision.subject_id == sub))
            for sub in (d1, d2, d3, d4)
        }
    return {"降级": ids[d1], "开除": ids[d2], "警告": ids[d3], "通报批评": ids[d4], "me": me}


def test_release_after_period_with_notice(svc, rs, old, tmp_path) -> None:
    rid = rs.release(old["降级"], SPEC)
    view = rs.get_release(rid)
    assert (view.sanction_kind, view.period_end, view.released_on) == (
        "降级",
        date(2026, 1, 10),
        date(2026, 11, 20),
    )
    with svc.db.read() as s:
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "解除处分")).one()
    assert rec.entity == "sanction_release" and rec.after["released_on"] == "2026-11-20"
    states = {r.sanction_kind: r.state for r in rs.sanctions()}
    assert states["降级"] is SanctionState.RELEASED
    assert states["开除"] is SanctionState.PERMANENT
    assert states["警告"] is SanctionState.ENDED
    text = "".join(b.get("text", "") for b in rs.notice_content(rid)["blocks"])
    assert "第六十五条" in text and "第六十四条" in text
    assert "解除降级处分的，不视为恢复原级别、原职务、原职级" in text
    # 第六十五条: released at the end of the period (2026-01-10), not on the day it is recorded.
    assert "处分自2026年1月11日起解除" in text and "2026年11月20日起解除" not in text
    assert "经纪委书记周正确认" in text  # no stray gap between the title and the name
    # The notice is issued like every case document: numbered, frozen, verifiable; the
    # release service saves the issued notice only (test_release_notice_issued.py).
    from app.domain.enums import DocumentKind
    from app.storage.models import SanctionRelease

    with svc.db.read() as s:
        case_id = s.get(SanctionRelease, rid).case_id
    kinds = {i.kind for i in svc.documents.issuable(case_id)}
    assert "解除处分通知书" in kinds
    issued = svc.documents.issue_document(case_id, DocumentKind.RELEASE_NOTICE, rid)
    assert svc.documents.verify(issued.verification_code).valid
    pdf = tmp_path / "notice.pdf"
    result = rs.render_notice(rid, pdf)
    assert result.pages >= 1 and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "解除处分通知书" in out.replace(" ", "") and issued.number in out.replace(" ", "")
    issued_pdf = tmp_path / "issued.pdf"
    svc.documents.render(issued.id, issued_pdf)
    assert issued_pdf.read_bytes() == pdf.read_bytes()
    # Not twice.
    refused(rs.release, old["降级"], SPEC, basis="第六十五条")
    assert releases(svc) == 1


def test_expulsion_refused_citing_both_articles(svc, rs, old) -> None:
    msg = refused(
        rs.release, old["开除"], SPEC, basis="《中华人民共和国公务员法》第六十四条、第六十五条"
    )
    assert "开除" in msg
    assert releases(svc) == 0


def test_no_sanction_refused(svc, rs, old) -> None:
    msg = refused(rs.release, old["通报批评"], SPEC, basis="第六十五条")
    assert "没有给予行政处分" in msg


def test_new_violation_blocks_release(svc, rs, old) -> None:
    spec = ReleaseSpec(date(2026, 11, 20), "表现一般", "周正", new_violation=True)
    msg = refused(rs.release, old["降级"], spec, basis="第六十五条")
    assert "又发生违纪违法行为" in msg
    assert releases(svc) == 0


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (ReleaseSpec(date(2026, 11, 26), "良好", "周正"), "不能晚于今天"),
        (ReleaseSpec(date(2026, 11, 20), " ", "周正"), "受处分期间的表现"),
        (ReleaseSpec(date(2026, 11, 20), "良好", ""), "确认解除处分的人员"),
    ],
)
def test_release_fields_refused(rs, old, spec, words) -> None:  # type: ignore[no-untyped-def]
    assert words in refused(rs.release, old["降级"], spec, basis="第六十五条")


def test_recused_case_is_invisible(svc, rs, old) -> None:
    svc.ctx.actor = Actor("gb", "纪检干事", UserRole.OFFICER, person_id=old["me"])
    try:
        with pytest.raises(NotFound):
            rs.release(old["警告"], SPEC)
        assert "警告" not in {r.sanction_kind for r in rs.sanctions()}
    finally:
        svc.ctx.actor = SYSTEM


def test_before_period_end_refused_then_allowed(svc, rs, world, clock) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    [row] = rs.sanctions(case_id=cid)
    assert (row.sanction_kind, row.sanction_end, row.state) == (
        "记过",
        date(2027, 4, 1),
        SanctionState.IN_FORCE,
    )
    assert rs.sanctions(person_id=world.leader_id)[0].decision_id == row.decision_id
    msg = refused(rs.release, row.decision_id, SPEC, basis="第六十四条、第六十五条")
    assert "至2027-04-01届满" in msg and "2027-04-02起" in msg
    clock.now = datetime(2027, 4, 6, 9, 0)
    assert rs.due_releases()[0].decision_id == row.decision_id
    early = ReleaseSpec(date(2027, 4, 1), "表现良好", "周正")
    refused(rs.release, row.decision_id, early, basis="第六十四条、第六十五条")
    rid = rs.release(row.decision_id, ReleaseSpec(date(2027, 4, 2), "表现良好", "周正"))
    text = "".join(b.get("text", "") for b in rs.notice_content(rid)["blocks"])
    assert "不视为恢复" not in text  # 记过 has no grade or post to restore
    assert not rs.due_releases()


def test_a_voided_cases_decision_is_not_released_and_the_refusal_says_why(svc, rs, world) -> None:  # type: ignore[no-untyped-def]
    from app.storage.models import Decision

    cid = advance(svc, world, Stage.DECIDED)  # decided, not yet served: it may be voided
    with svc.db.read() as s:
        decision = s.scalar(select(Decision.id).where(Decision.case_id == cid))
    svc.cases.void_case(cid, "重复立案")
    with pytest.raises(NotFound) as exc:
        rs.release(decision, ReleaseSpec(date(2026, 11, 20), "良好", "周正"))
    msg = str(exc.value)
    assert msg.startswith("依据《公务员法》第六十五条") and "已作废" in msg, msg
    assert releases(svc) == 0
