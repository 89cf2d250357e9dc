"""Wizard drafts: what a user typed in a step but has not finished, kept across crashes.

What was typed is the case's material before it is recorded — a summary, an evidence title,
facts — and may name a reporter the officer has not yet taken out (第十条). It is sealed at
rest (:mod:`app.services.draft_seal`) under the key every logged-in user holds and the
database never does, so whoever copies the database file reads no draft.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select

from app.services.auditkey import key_at_hand, keyring
from app.services.base import ServiceBase, ensure_account_current, to_jsonable
from app.services.draft_seal import DraftPlace, is_unsealed, open_draft, seal_draft
from app.storage.models import Draft

log = logging.getLogger(__name__)

#: What a step says when its draft was not kept (no audit key in this login to seal it).
UNKEPT = (
    "草稿未能保存：本次登录未解开审计密钥，草稿不能加密保存（依据第十条，不以明文保存）。"
    "请在本步录入完毕后直接保存，或请管理员重置本账号密码后重新登录"
)


class DraftService(ServiceBase):
    """Save, load and clear drafts keyed by (case_key, step, username).

    Drafts are scratch data, not case records: autosave fires on every pause in typing, so
    each save is its own small transaction through ``self.db.session()`` and deliberately
    NOT through ``self.tx`` — an audit record per keystroke would flood the audit chain with
    noise and say nothing about the case. What becomes part of the case is audited when the
    step's service call commits it, and the draft is cleared then.
    """

    @staticmethod
    def key(case_id: int | None) -> str:
        """The case id as text, or "new" for a case not yet proposed."""
        return "new" if case_id is None else str(case_id)

    def _guard(self, s: Any, case_key: str) -> None:
        """Art. 12: no drafts on a case the actor is recused from (as for every other write),
        and none by an account disabled or changed since its session began."""
        ensure_account_current(s, self.ctx.actor)
        if case_key.isdigit() and int(case_key) in self.ctx.hidden_ids(s):
            from app.domain.acts import hidden_refusal

            raise hidden_refusal()

    def save(self, case_key: str, step: int, payload: dict[str, Any]) -> bool:
        """Insert or replace the draft (one committed write, so a crash after it loses nothing).
        False when none is kept: no key in memory to seal it (the step says so, :data:`UNKEPT`)."""
        user = self.ctx.actor.username
        with self.db.session() as s:
            self._guard(s, case_key)
            # The login's key; before anyone holds it wrapped, the key file (as the audit's).
            key = keyring(self.db).bootstrap(s.connection())
            if key is None:  # no login's key in memory (a CLI run): nothing kept in clear
                log.info("draft of step %s not kept: no key in memory to seal it", step)
                return False
            data = seal_draft(key, DraftPlace(user, case_key, step), to_jsonable(payload))
            row = s.scalar(
                select(Draft).where(
                    Draft.case_key == case_key, Draft.step == step, Draft.username == user
                )
            )
            if row is None:
                s.add(
                    Draft(
                        case_key=case_key,
                        step=step,
                        username=user,
                        payload=data,
                        updated_at=self.ctx.now(),
                    )
                )
            else:
                row.payload = data
                row.updated_at = self.ctx.now()
        return True

    def load(self, case_key: str, step: int, *, unsealed: bool = False) -> dict[str, Any] | None:
        """The actor's draft of the step; refused on a case he has since withdrawn from (Art.
        12): what he typed there before is the case's material, closed to him like the rest.
        A plain (unsealed) draft only with ``unsealed``: see :meth:`is_unsealed`."""
        with self.db.read() as s:
            row = self._row(s, case_key, step)
            if row is None:
                return None
            place = DraftPlace(row.username, case_key, step)
            return open_draft(key_at_hand(self.db), place, row.payload, unsealed=unsealed)

    def is_unsealed(self, case_key: str, step: int) -> bool:
        """Whether the actor's draft of the step is a plain one, which the app cannot vouch
        for: an earlier version's, or text written into the database file by someone holding
        it, to be typed into a decision by an officer who trusts his own draft."""
        with self.db.read() as s:
            row = self._row(s, case_key, step)
            return row is not None and is_unsealed(row.payload)

    def _row(self, s: Any, case_key: str, step: int) -> Draft | None:
        self._guard(s, case_key)
        return s.scalar(
            select(Draft).where(
                Draft.case_key == case_key,
                Draft.step == step,
                Draft.username == self.ctx.actor.username,
            )
        )

    def clear(self, case_key: str, step: int | None = None) -> None:
        """Drop the draft once its step is committed (or all of a case's drafts)."""
        q = delete(Draft).where(
            Draft.case_key == case_key, Draft.username == self.ctx.actor.username
        )
        if step is not None:
            q = q.where(Draft.step == step)
        with self.db.session() as s:
            self._guard(s, case_key)
            s.execute(q)

    def steps(self, case_key: str) -> list[int]:
        """Steps of the case with a draft of the acting user (none asked of a hidden case)."""
        with self.db.read() as s:
            self._guard(s, case_key)
            return sorted(
                s.scalars(
                    select(Draft.step).where(
                        Draft.case_key == case_key, Draft.username == self.ctx.actor.username
                    )
                )
            )
