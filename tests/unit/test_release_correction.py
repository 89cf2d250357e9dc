"""更正解除处分 (《公务员法》第六十五条): a release is corrected by a new version, tried on the
release's own rules, audited, the old version kept; its issued notice is issued again as the
next version under the same number. And the notice of a release a review carried (第十四条)
to the decision it changed is still issued, stating the decision in force."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.enums import DocumentKind, ReviewOutcome, ServiceMethod, UserRole
from app.domain.issuing import RECORD_CORRECTED
from app.domain.lifecycle import Stage
from app.domain.release import RELEASE_FIELDS, ReleaseSpec
from app.domain.rules import ReviewApplicationSpec, ReviewDecisionSpec, ServiceSpec
from app.services.base import SYSTEM, Actor, NotFound, RoleDenied, ServiceError
from app.services.replay import replay_problems
from app.storage.models import AuditRecord, SanctionRelease
from tests.helpers.builders import REVIEW_WARNING, advance
from tests.unit.test_beyond_release import SPEC, old, rs  # noqa: F401  (fixtures)
from tests.unit.test_rulebook import audit_count, refused


def _text(content: dict) -> str:  # type: ignore[type-arg]
    return "".join(b.get("text", "") for b in content["blocks"])


def _case_of(svc, rid: int) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as s:
        return s.get(SanctionRelease, rid).case_id


def test_a_correction_is_a_new_version_the_old_one_kept_and_audited(svc, rs, old) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    rid = rs.release(old["降级"], SPEC)
    new = rs.correct_release(
        rid, "确认人登记有误", confirmed_by="纪委副书记 李明", released_on=date(2026, 11, 18)
    )
    assert new != rid
    was, now = rs.get_release(rid), rs.get_release(new)
    assert (was.confirmed_by, was.released_on, was.superseded_by_id) == (
        "纪委书记 周正", date(2026, 11, 20), new,
    )  # fmt: skip
    assert (now.confirmed_by, now.released_on, now.superseded_by_id) == (
        "纪委副书记 李明", date(2026, 11, 18), None,
    )  # fmt: skip
    assert now.correction_reason == "确认人登记有误" and now.conduct == was.conduct
    assert (now.period_end, now.sanction_kind) == (was.period_end, was.sanction_kind)
    row = next(r for r in rs.sanctions() if r.decision_id == old["降级"])
    assert (row.release_id, row.released_on) == (new, date(2026, 11, 18))
    with svc.db.read() as s:
        current = select(func.count(SanctionRelease.id)).where(
            SanctionRelease.decision_id == old["降级"], SanctionRelease.superseded_by_id.is_(None)
        )
        assert s.scalar(current) == 1
        rec = s.scalars(select(AuditRecord).where(AuditRecord.action == "更正解除处分")).one()
        assert (rec.entity, rec.entity_id, rec.before["id"]) == ("sanction_release", new, rid)
        assert rec.before["confirmed_by"] == "纪委书记 周正"
        assert rec.after["reason"] == "确认人登记有误"
        assert rec.after["released_on"] == "2026-11-18"
        assert replay_problems(s) == []
    # The version replaced is not corrected again; the current one is.
    with pytest.raises(NotFound, match="已被更正"):
        rs.correct_release(rid, "再改", note="改")
    rs.correct_release(new, "补充备注", note="经党组研究")
    # Still released once: no second release of the decision.
    refused(rs.release, old["降级"], SPEC, article="第六十五条", text="不能重复解除")


def test_the_corrected_values_meet_the_releases_own_rules(svc, rs, old) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    rid = rs.release(old["降级"], SPEC)
    before = audit_count(svc)
    fix = rs.correct_release
    refused(
        fix, rid, "改", article="第六十五条", text="不能晚于今天", released_on=date(2026, 12, 1)
    )
    refused(
        fix, rid, "改", article="第六十五条", text="不能早于送达日期", released_on=date(1999, 1, 1)
    )
    # 降级 decided 2024-01-10: its period (24 months) ends 2026-01-10.
    msg = refused(
        fix, rid, "改", article="第六十四条、第六十五条", text="2026-01-11起",
        released_on=date(2026, 1, 10),
    )  # fmt: skip
    assert "期内不能解除" in str(msg)
    refused(fix, rid, "改", article="第六十五条", text="确认解除处分的人员", confirmed_by=" ")
    refused(fix, rid, "改", article="第六十五条", text="受处分期间的表现", conduct="")
    with pytest.raises(ServiceError, match="“处分种类”不能在此更正"):
        fix(rid, "改", sanction_kind="警告")
    with pytest.raises(ServiceError, match="理由"):
        fix(rid, " ", note="改")
    with pytest.raises(ServiceError, match="没有任何改动"):
        fix(rid, "改")
    assert audit_count(svc) == before
    assert rs.get_release(rid).superseded_by_id is None
    # From the day after the period: allowed.
    assert fix(rid, "日期登记有误", released_on=date(2026, 1, 11))


def test_a_corrected_date_inside_the_run_of_article_10_is_refused(svc, world, clock) -> None:  # type: ignore[no-untyped-def]
    first = advance(svc, world, Stage.SERVED)
    second = advance(svc, world, Stage.SERVED)  # 王喆 again, within the first period
    d1 = next(d for d in svc.queries.get_case(first).decisions_in_force() if d.sanction_kind)
    end = {r.decision_id: r for r in svc.releases.sanctions()}[d1.id].sanction_end
    assert end > d1.sanction_end and second
    clock.now = datetime.combine(end + timedelta(days=3), datetime.min.time())
    spec = ReleaseSpec(end + timedelta(days=1), "受处分期间表现良好，有悔改表现", "纪晓岚")
    rid = svc.releases.release(d1.id, spec)
    refused(
        svc.releases.correct_release, rid, "日期有误", article="第十条", text=end.isoformat(),
        released_on=d1.sanction_end + timedelta(days=1),
    )  # fmt: skip
    assert svc.releases.get_release(rid).period_end == end


def test_an_issued_notice_is_issued_again_under_its_number(svc, rs, old, clock) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    """A real office does not withdraw a notice by editing the record under it: the corrected
    notice is issued again (the next version, the same 文号), the first one verifies as stating
    a corrected record, and the corrected date stays in the year of its number."""
    rid = rs.release(old["降级"], SPEC)
    cid = _case_of(svc, rid)
    first = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, rid)
    new = rs.correct_release(rid, "表现登记有误", conduct="受处分期间积极整改，表现良好")
    # The notice on file states the old version: not this version's notice, not printed as it.
    assert rs.issued_notice(new) is None
    with pytest.raises(ServiceError, match="尚未印发"):
        rs.render_notice(new, "/dev/null")
    assert RECORD_CORRECTED in svc.documents.verify(first.verification_code).message
    (item,) = [i for i in svc.documents.issuable(cid) if i.kind == DocumentKind.RELEASE_NOTICE]
    assert item.ref_id == new and not item.issued and "须重新印发" in item.label
    # The draft keeps the number; reissued, it is version 2 of the notice.
    assert rs.notice_content(new)["number"] == first.number
    again = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, new)
    assert (again.number, again.version) == (first.number, 2)
    assert "积极整改" in _text(svc.documents.get_document(again.id)[1])
    assert rs.issued_notice(new) == again.id
    assert "新版本" in svc.documents.verify(first.verification_code).message
    assert svc.documents.verify(again.verification_code).valid
    (item,) = [i for i in svc.documents.issuable(cid) if i.kind == DocumentKind.RELEASE_NOTICE]
    assert item.issued and "须重新印发" not in item.label
    # The old version is no longer issued on.
    refused(
        svc.documents.issue_document, cid, DocumentKind.RELEASE_NOTICE, rid,
        article="第六十五条", text="已被更正",
    )  # fmt: skip


def test_a_corrected_date_stays_in_the_year_of_the_issued_notice(svc, rs, old, clock) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    clock.now = datetime(2027, 1, 10, 9, 0)
    rid = rs.release(old["降级"], replace(SPEC, released_on=date(2026, 12, 30)))
    cid = _case_of(svc, rid)
    issued = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, rid)
    assert "〔2026〕" in issued.number
    refused(
        rs.correct_release, rid, "日期有误", article="第六十五条", text="按2026年编定",
        released_on=date(2027, 1, 4),
    )  # fmt: skip
    assert rs.correct_release(rid, "日期有误", released_on=date(2026, 12, 29))


def test_the_correction_is_refused_to_a_recused_officer_and_to_a_leader(svc, rs, old) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    rid = rs.release(old["警告"], SPEC)
    svc.ctx.actor = Actor("gb", "纪检干事", UserRole.OFFICER, person_id=old["me"])
    try:
        with pytest.raises(NotFound, match="第十二条"):
            rs.correct_release(rid, "改", note="改")
        svc.ctx.actor = Actor("ld", "领导", UserRole.LEADER)
        with pytest.raises(RoleDenied):
            rs.correct_release(rid, "改", note="改")
        with pytest.raises(RoleDenied):
            rs.release(old["降级"], SPEC)  # the same roles as the release itself
    finally:
        svc.ctx.actor = SYSTEM
    assert rs.get_release(rid).superseded_by_id is None


def _carried(svc, world, clock):  # type: ignore[no-untyped-def]
    """A 记过 released 2027-05-01, then changed on review (2027-05-05) into a 警告: the release
    carried to the new decision, its notice not yet issued."""
    cid = advance(svc, world, Stage.SERVED)
    d = next(x for x in svc.queries.get_case(cid).decisions_in_force() if x.sanction_kind)
    app_id, _ = svc.cases.apply_review(d.id, ReviewApplicationSpec(date(2026, 4, 20), "过重"))
    svc.cases.assign_reviewer(
        cid, world.staff[3], declared_no_conflict=True, declared_on=date(2026, 4, 20)
    )
    clock.now = datetime(2027, 5, 10, 10, 0)
    spec = ReleaseSpec(date(2027, 5, 1), "受处分期间认真整改，工作表现良好", "纪委书记 周正")
    rid = svc.releases.release(d.id, spec)
    review = ReviewDecisionSpec(
        date(2027, 5, 5), ReviewOutcome.CHANGE, "情节较轻", "经复核", REVIEW_WARNING
    )
    rd, _ = svc.cases.decide_review(app_id, review)
    svc.documents.issue_document(cid, DocumentKind.REVIEW_DECISION, rd)
    served = ServiceSpec(
        datetime(2027, 5, 6, 9), "办公室", ServiceMethod.DIRECT, "王喆", ["纪晓岚"]
    )
    svc.cases.record_review_service(rd, served)
    new = next(x for x in svc.queries.get_case(cid).decisions_in_force() if x.sanction_kind)
    assert new.id != d.id
    return cid, rid, d, new


def test_the_notice_of_a_carried_release_is_issued_on_the_decision_in_force(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    cid, rid, d, new = _carried(svc, world, clock)
    issuable = [i for i in svc.documents.issuable(cid) if i.kind == DocumentKind.RELEASE_NOTICE]
    assert [(i.ref_id, i.issued) for i in issuable] == [(rid, False)]
    view = svc.documents.issue_document(cid, DocumentKind.RELEASE_NOTICE, rid)
    text = _text(svc.documents.get_document(view.id)[1])
    # It states the decision in force (the review's, a 警告), changed from the original.
    assert new.doc_number in text and d.doc_number in text, text
    assert "复核决定变更为警告处分" in text and "对王喆" in text and "的警告处分自" in text, text
    assert "记过处分自" not in text
    # Its period counts from the original decision's effect (警告: 6 months).
    start = d.effective_on
    assert f"处分期间自{start.year}年{start.month}月{start.day}日起" in text, text
    result = svc.documents.verify(view.verification_code)
    assert result.valid and "现行有效版本" in result.message, result.message
    assert svc.releases.issued_notice(rid) == view.id


def test_a_carried_release_is_corrected_and_stays_dated_before_the_review(
    svc, world, clock
) -> None:  # type: ignore[no-untyped-def]
    _cid, rid, _d, new = _carried(svc, world, clock)
    refused(
        svc.releases.correct_release, rid, "日期有误", article="第十四条", text="不能早于解除处分",
        released_on=date(2027, 5, 8),
    )  # fmt: skip
    fixed = svc.releases.correct_release(rid, "表现登记有误", conduct="受处分期间表现良好")
    row = next(r for r in svc.releases.sanctions() if r.decision_id == new.id)
    assert (row.release_id, row.released_on) == (fixed, date(2027, 5, 1))


def test_every_correctable_field_has_a_chinese_name() -> None:
    """A refusal names fields as the forms do, never by column (「confirmed_by」)."""
    from app.services import corrections as c

    sets = [fields for _what, fields in c.CORRECTABLE.values()]
    sets += [c.PROPOSAL_FIELDS, RELEASE_FIELDS]
    for fields in sets:
        for name in fields:
            label = c.FIELD_NAMES.get(name, "")
            assert label and not re.search("[A-Za-z_]", label), name
    with pytest.raises(ServiceError) as exc:
        c._allowed({"sanction_kind": "警告"}, RELEASE_FIELDS, "解除处分")
    text = str(exc.value).split("；")[0]
    assert "“确认人”" in text and not re.search("[A-Za-z_]", text), text
