"""Leftovers of the eleventh review (r11-rules2): a corrected service's proof is offered for
reissue, CLI dates are bounded, a late application on a closed case says the case is closed."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from tests.helpers.builders import advance, issue_missing


def test_a_proof_of_a_corrected_service_is_offered_again_and_reissued(svc, world) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.SERVED)
    issue_missing(svc, cid)
    proofs = [i for i in svc.documents.issuable(cid) if i.kind == DocumentKind.SERVICE_PROOF]
    assert proofs and all(i.issued for i in proofs)
    decision_id = proofs[0].ref_id
    service = next(sv for sv in svc.cases.state(cid).services if sv.decision_id == decision_id)
    svc.cases.correct_service(service.id, "送达时间笔误", served_at=datetime(2026, 4, 4, 10, 0))
    items = {(i.kind, i.ref_id): i for i in svc.documents.issuable(cid)}
    stale = items[(DocumentKind.SERVICE_PROOF, decision_id)]
    assert not stale.issued and "须重新印发" in stale.label
    other = [i for k, i in items.items() if k[0] == DocumentKind.SERVICE_PROOF and i is not stale]
    assert other and all(i.issued for i in other)  # the other subject's service was not corrected
    issue_missing(svc, cid)
    again = {(i.kind, i.ref_id): i for i in svc.documents.issuable(cid)}
    assert again[(DocumentKind.SERVICE_PROOF, decision_id)].issued
    doc = next(
        d
        for d in svc.documents.list_documents(cid)
        if d.kind == DocumentKind.SERVICE_PROOF and d.ref_id == decision_id
    )
    _view, content = svc.documents.get_document(doc.id)
    assert "4日" in str(content) or "04-04" in str(content) or "4月4日" in str(content)
    assert doc.version == 2


@pytest.mark.parametrize(
    ("kind", "cites"),
    [
        ("review", "依据第十四条，收到处理决定之日"),
        ("review-decision", "依据《公务员法》第九十六条，收到复核申请之日"),
        ("case-limit", "依据《行政机关公务员处分条例》第四十四条，立案之日"),
    ],
)
def test_a_deadline_from_before_the_earliest_plausible_date_is_refused(capsys, kind, cites) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    assert main(["deadline", kind, "0001-01-01"]) == 2
    out = capsys.readouterr().out
    assert cites in out and "早于本单位可受理的最早日期（2000-01-01）" in out
    assert "0001" not in out.replace("0001-01-01", "")  # no deadline computed for year 1
    assert main(["deadline", kind, "2000-01-01"]) == 0


def test_the_deadline_command_reads_the_bureaus_earliest_date(svc, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main

    if not svc.db.is_sqlite:
        pytest.skip("the command opens the data directory's own SQLite file")
    svc.masterdata.update_settings(earliest_date="2010-01-01")
    svc.db.dispose()
    assert main(["deadline", "review", "2009-12-31", "--data-dir", str(tmp_path)]) == 2
    assert "最早日期（2010-01-01）" in capsys.readouterr().out
    assert main(["deadline", "review", "2010-01-04", "--data-dir", str(tmp_path)]) == 0
    assert "复核申请期限" in capsys.readouterr().out


def test_a_late_review_application_on_a_closed_case_says_the_case_is_closed(svc, world) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from app.domain.rules import ReviewApplicationSpec, RuleViolation

    cid = advance(svc, world, Stage.SERVED)
    svc.cases.close_case(cid, closed_on=date(2026, 6, 1))
    decision = svc.queries.get_case(cid).decisions_in_force()[1]
    spec = ReviewApplicationSpec(date(2026, 6, 10), "不服", "住院治疗，无法按期提出")
    with pytest.raises(RuleViolation) as err:
        svc.cases.apply_review(decision.id, spec)
    message = str(err.value)
    assert message.startswith("依据第十四条，本案已于2026-06-01结案归档，不能再登记复核申请")
    assert "送达之后" not in message and "当前环节" not in message


@pytest.mark.parametrize(
    ("edit", "column"),
    [
        (
            "UPDATE services SET review_last_day = '2026-12-31' WHERE decision_id = :i",
            "review_last_day",
        ),
        ("UPDATE review_applications SET due_on = '2026-12-31' WHERE decision_id = :i", "due_on"),
        ("UPDATE review_applications SET late = TRUE WHERE decision_id = :i", "late"),
        ("DELETE FROM case_unit_heads WHERE case_id = :c AND person_id = :p", "unit_heads"),
    ],
)
def test_columns_written_from_outside_the_case_are_checked_before_issuing(  # type: ignore[no-untyped-def]
    svc, world, db, clock, edit, column
) -> None:
    """A review window, an application's due date and 逾期 flag and a case's unit heads are
    folded from the acts outside the case that wrote them (a holiday change, a unit head
    appointed): after those the case issues, and an edit of them in the file is refused."""
    from datetime import date, time

    from sqlalchemy import text

    from app.domain.rules import ReviewApplicationSpec
    from app.services.base import ServiceError
    from app.services.replay import case_replay_problems

    cid = advance(svc, world, Stage.SERVED)
    decision = svc.queries.get_case(cid).decisions_in_force()[1]
    svc.cases.apply_review(decision.id, ReviewApplicationSpec(date(2026, 4, 20), "不服"))
    window = svc.cases.state(cid).service_of(decision.id).review_last_day
    clock.now = datetime.combine(date(2026, 4, 10), time(9))
    svc.masterdata.set_holiday(window, is_workday=False, name="调休")  # the window moves
    assert svc.cases.state(cid).service_of(decision.id).review_last_day != window
    svc.masterdata.update_person(world.officer_id, is_leader=True)  # joins the case's heads
    clock.now = datetime.combine(date(2026, 11, 25), time(10))
    with svc.db.read() as s:
        assert case_replay_problems(s, cid) == []
    with db.engine.begin() as conn:
        conn.execute(text(edit), {"i": decision.id, "c": cid, "p": world.officer_id})
    with pytest.raises(ServiceError, match="与审计记录不符") as err:
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)
    assert column in str(err.value)


def test_no_deactivation_leaves_no_enabled_admin_holding_the_audit_key(  # type: ignore[no-untyped-def]
    db, tmp_path, clock
) -> None:
    """Deactivating deletes an account's key wraps and enabling it again restores none: an
    administrator disabled and enabled again holds no audit key until his password is reset.
    The last administrator holding it cannot then disable himself (nor make himself 办案人员):
    the other would log in and be refused every write, 修改用户 and 重置密码 included. Once the
    other's password is reset, it can; and the trail still verifies."""
    from app.domain.enums import UserRole
    from app.services import build_services
    from app.services.auditkey import keyring
    from app.services.base import ServiceError
    from tests.unit.test_sec_recovery import ADMIN2_PW, ADMIN_PW, login

    first = build_services(db, data_dir=tmp_path, clock=clock)
    first.users.create_first_admin("admin", "管理员甲", ADMIN_PW)
    admin = login(db, tmp_path, clock, "admin", ADMIN_PW)
    other = admin.users.create_user("admin2", "管理员乙", UserRole.ADMIN, ADMIN2_PW)
    me = admin.ctx.actor.user_id
    admin.users.update_user(other, active=False)
    admin.users.update_user(other, active=True)
    for change in ({"active": False}, {"role": UserRole.OFFICER}):
        with pytest.raises(ServiceError, match="没有任何启用的管理员持有审计密钥"):
            admin.users.update_user(me, **change, recovery_only_ok=True)
    admin.users.reset_password(other, ADMIN2_PW)
    admin.users.update_user(me, active=False, recovery_only_ok=True)
    keyring(db, tmp_path).set_key(None)  # the next login is another run of the program
    second = login(db, tmp_path, clock, "admin2", ADMIN2_PW)
    second.users.update_user(me, active=True)  # not locked out
    assert second.audit.verify().ok


def test_a_decision_corrected_before_issue_is_not_offered_for_issue(svc, world) -> None:  # type: ignore[no-untyped-def]
    """Only its new version may be issued (the old one is refused 「已被更正…不能再印发」):
    the 制作文书 list does not offer the old one, and issuing what it offers succeeds."""
    from datetime import date

    from app.domain.rules import DecisionSpec
    from tests.helpers.builders import SQUAD_SANCTION

    cid = advance(svc, world, Stage.DECIDED)
    old = svc.queries.get_case(cid).decisions_in_force()[0]
    spec = DecisionSpec(
        old.subject_id, date(2026, 4, 2), date(2026, 4, 2), "党组会议纪要〔2026〕11号",
        SQUAD_SANCTION, "经查，该中队对投诉推诿塞责。", "第七条第（五）项",
    )  # fmt: skip
    new, _number = svc.cases.correct_decision(old.id, spec, "处理依据笔误")
    offered = {i.ref_id for i in svc.documents.issuable(cid) if i.kind == DocumentKind.DECISION}
    assert new in offered and old.id not in offered
    issue_missing(svc, cid)  # every offered document issues
    assert all(i.issued for i in svc.documents.issuable(cid) if i.kind != DocumentKind.DOSSIER)
