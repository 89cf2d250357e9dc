"""Rows inserted around the application (session 53).

Someone holding ``wenze.db`` inserted a row with ``sqlite3``: an evidence the 卷宗 then bound,
a 陈述申辩 that 第十一条's hearing counted, a 送达 that started a review window, an account.
Replay compared every row an audit record made with what that record wrote, and never asked
of a stored row whether any record made it: ``wenze audit verify`` said 「审计链校验通过」 and
the case issued its documents. Each is now named, with its case, and refused before 印发.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, literal, select

from app.domain.enums import DocumentKind
from app.domain.lifecycle import Stage
from app.services.base import ServiceError
from app.services.replay import case_replay_problems, replay_problems
from app.storage.models import Evidence, Service, Statement, User
from tests.helpers.builders import advance

# (model, what the message calls its row)
INSERTED = [(Evidence, "证据"), (Statement, "陈述申辩"), (Service, "送达记录")]


def _copy(db, model, row_id: int, **changed) -> int:  # type: ignore[no-untyped-def]
    """A copy of a row under a new id, as ``INSERT … SELECT`` in the file would make it."""
    table = model.__table__
    with db.engine.begin() as conn:
        new_id = conn.execute(select(func.max(table.c.id))).scalar_one() + 1
        values = [
            literal(new_id)
            if c.name == "id"
            else literal(changed[c.name])
            if c.name in changed
            else c
            for c in table.columns
        ]
        conn.execute(
            insert(table).from_select(
                [c.name for c in table.columns], select(*values).where(table.c.id == row_id)
            )
        )
    return new_id


@pytest.mark.parametrize(("model", "called"), INSERTED, ids=[m[1] for m in INSERTED])
def test_a_row_no_record_made_is_named(svc, db, world, model, called) -> None:  # type: ignore[no-untyped-def]
    cid = advance(svc, world, Stage.INVESTIGATING if model is Evidence else Stage.SERVED)
    if model is Evidence:
        svc.cases.add_evidence(cid, "现场检查笔录")
    number = svc.queries.get_case(cid).number
    assert svc.audit.verify().ok
    with db.read() as s:
        first = s.scalar(select(model.id).where(model.case_id == cid).order_by(model.id))
    new_id = _copy(db, model, first)
    with db.read() as s:
        whole, own = replay_problems(s), case_replay_problems(s, cid)
    for found in (whole, own):
        said = [p for p in found if f"{called}（编号{new_id}）" in p and number in p]
        assert said and "绕过系统添加" in said[0], found
    report = svc.audit.verify()
    assert not report.ok and any(f"编号{new_id}" in p for p in report.problems)


def test_no_document_is_issued_on_an_inserted_statement(svc, db, world) -> None:  # type: ignore[no-untyped-def]
    """第十一条: a 陈述申辩 nobody recorded does not make a hearing the 调查报告 can state."""
    cid = advance(svc, world, Stage.REPORTED)
    with db.read() as s:
        first = s.scalar(select(Statement.id).where(Statement.case_id == cid))
    _copy(db, Statement, first, content="本人对事实无异议")
    with pytest.raises(ServiceError, match="绕过系统"):
        svc.documents.issue_document(cid, DocumentKind.INITIATION_FORM)


def test_an_inserted_account_is_named(db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    """A second 管理员 copied from the first: same password, another name."""
    from app.domain.enums import UserRole
    from tests.helpers.accounts import admin_and

    admin_and(db, tmp_path, clock, "gs", "纪检干事", UserRole.OFFICER, "Gs-2026-pass!")
    with db.read() as s:
        first = s.scalar(select(User.id).order_by(User.id))
    new_id = _copy(db, User, first, username="backdoor")
    with db.read() as s:
        found = replay_problems(s)
    assert any("账号backdoor" in p and f"编号{new_id}" in p for p in found), found


def test_an_inserted_account_does_not_log_in(db, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    """A 管理员 copied from the first with ``sqlite3`` (his password hash, another name) logged
    in as one: the login read the account's records and, finding none, compared nothing."""
    from app.domain.enums import UserRole
    from tests.helpers.accounts import admin_and
    from tests.unit.test_trust_users import ADMIN_PW, login

    admin_and(db, tmp_path, clock, "gs", "纪检干事", UserRole.OFFICER, "Gs-2026-pass!")
    with db.read() as s:
        first = s.scalar(select(User.id).order_by(User.id))
    _copy(db, User, first, username="backdoor")
    with pytest.raises(ServiceError, match=r"没有任何审计记录.*不能登录"):
        login(db, tmp_path, clock, "backdoor", ADMIN_PW)
    assert login(db, tmp_path, clock, "admin", ADMIN_PW).ctx.actor.username == "admin"
