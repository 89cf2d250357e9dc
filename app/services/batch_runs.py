"""处分条例第十条's runs in the batch demo, worked out in memory after each chunk.

After every act the services store each sanction's run end (``sanction_runs.refresh_runs``):
they read back every sanction of each person the case names and compare the ends with those
stored. The batch demo did the same after each chunk, in SQL; with a roster of tens of people
every chunk names nearly all of them, so each chunk read back every sanction of the run so far
(1.2 s a chunk at 100,000 cases, growing with the database). The run already holds those
sanctions (``BatchDocuments.sanctions``); :class:`RunBook` holds beside them each sanctioned
decision's stored run end, so a chunk's moves are worked out from memory by the same
definition (``release.run_ends``) and only the moved rows are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.release import LaterSanction, run_ends
from app.services.sanction_runs import Shifts
from app.storage.models import CaseSubject, Decision


@dataclass
class RunBook:
    """Each person's decisions with a sanction kind, in force or not, as stored: by decision id,
    [its case, its stored run end, its own sanction end] (the columns refresh_runs reads)."""

    rows: dict[int, dict[int, list[Any]]] = field(default_factory=dict)

    @classmethod
    def on_record(cls, s: Session) -> RunBook:
        """The decisions on record when the run begins."""
        book = cls()
        query = (
            select(CaseSubject.person_id, Decision.id, Decision.case_id, Decision.run_end,
                   Decision.sanction_end)
            .join(CaseSubject, CaseSubject.id == Decision.subject_id)
            .where(CaseSubject.person_id.is_not(None), Decision.sanction_kind.is_not(None))
        )  # fmt: skip
        for pid, did, cid, stored, own in s.execute(query):
            book.rows.setdefault(pid, {})[did] = [cid, stored, own]
        return book

    def add(self, person_of: Mapping[int, int | None], decisions: Iterable[dict[str, Any]]) -> None:
        """A finished case's decision rows as they will be inserted (``person_of``: each of its
        subjects' person, by subject id)."""
        for d in decisions:
            pid = person_of.get(d["subject_id"])
            if pid is not None and d.get("sanction_kind") is not None:
                self.rows.setdefault(pid, {})[d["id"]] = [
                    d["case_id"],
                    d["run_end"],
                    d["sanction_end"],
                ]

    def refresh(
        self, persons: Iterable[int], sanctions: Mapping[int, Mapping[int, LaterSanction]]
    ) -> tuple[Shifts, dict[int, date | None]]:
        """As ``sanction_runs.refresh_runs`` for ``persons`` once the chunk is stored: the cases
        whose stored run end moved (with the moves) and each moved decision's new end; the
        book then holds the new ends as stored. A decision not in force keeps its own end."""
        moved: Shifts = {}
        new_ends: dict[int, date | None] = {}
        for pid in sorted(persons):
            ends = run_ends(sanctions.get(pid, {}))
            for did, rec in self.rows.get(pid, {}).items():
                end = ends.get(did, rec[2])
                if rec[1] != end:
                    moved.setdefault(rec[0], []).append((rec[1], end))
                    new_ends[did] = end
                    rec[1] = end
        return moved, new_ends
