"""A case voided (作废) while its papers are exported (第十三条): the export's selection leaves
voided cases out (``issuing.voided_export_problems``), and one voided while the export runs is
left out the same way, batch by batch. Of every case's export it is skipped and named at the
end (``Exported.voided``); one case's export is refused, as it is when voided before it began.
What the export wrote of that case before the voiding is taken out of the folder again: those
files were written by this run moments ago and would read like documents in force."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import issuing
from app.services.base import ServiceError
from app.storage.models import Case


class Exported(list[Path]):
    """The files an export wrote; ``voided``: the numbers of the cases voided while it ran,
    whose papers it did not export."""

    def __init__(self) -> None:
        super().__init__()
        self.voided: list[str] = []
        self._of_case: dict[str, list[Path]] = {}

    def wrote(self, number: str, path: Path) -> None:
        self.append(path)
        self._of_case.setdefault(number, []).append(path)

    def drop_voided(self, voided: set[str], one_case: bool) -> None:
        """Cases found voided at this batch: their files written so far are removed; one
        case's export stops (ServiceError), every case's goes on without them."""
        newly = sorted(voided - set(self.voided))
        for number in newly:
            for path in self._of_case.pop(number, []):
                path.unlink(missing_ok=True)
                self.remove(path)
        if not newly:
            return
        if one_case:
            raise ServiceError(issuing.voided_meanwhile(newly, stopped=True))
        self.voided.extend(newly)

    def voided_message(self) -> str:
        """What the officer is told at the end ("" when no case was voided meanwhile)."""
        return issuing.voided_meanwhile(self.voided, stopped=False) if self.voided else ""


def voided_numbers(s: Session, case_ids: Iterable[int]) -> set[str]:
    """The numbers of the cases among ``case_ids`` that are voided now."""
    ids = sorted(set(case_ids))
    if not ids:
        return set()
    rows = s.scalars(select(Case.number).where(Case.id.in_(ids), Case.voided.is_(True)))
    return set(rows)
