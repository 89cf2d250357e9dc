"""The 案件台账 (case ledger) export of ``ReportService``: every visible case, streamed.

A mixin of :class:`app.services.reporting.ReportService` (it uses the service's database,
context and ``_grounds``); the workbook itself is written by ``app.reports.ledger``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import func, select

from app.domain.issuing import exported_proposer, exported_summary
from app.domain.lifecycle import STEP_TITLES, Stage
from app.domain.rules import ensure
from app.fsutil import recorded_output
from app.readmodels import LedgerRow
from app.services.leads import report_name_problems, reporter_terms
from app.storage.models import Case, CaseSubject

# Called with (done, total); returning False cancels the export.
Progress = Callable[[int, int], object]


def _number_key(number: str) -> tuple[int, int, str]:
    """WZ2026-0019 → (2026, 19): year then sequence, whatever the number of digits."""
    head, _, seq = number.rpartition("-")
    year = head[-4:]
    return (
        int(year) if year.isdigit() else 0,
        int(seq) if seq.isdigit() else 0,
        number,
    )


def stage_step(stage: str) -> str:
    """第3步 调查核实 — the wizard step a stage sits on."""
    try:
        st = Stage(stage)
    except ValueError:
        return ""
    return f"第{st.step}步 {STEP_TITLES[st.step]}"


class LedgerExport:
    """``ledger_count``, ``iter_ledger`` and ``export_ledger`` of the report service.

    Relies on ``ReportService``: ``db``, ``ctx``, ``services``, ``tx``, ``_count`` and
    ``_grounds``.
    """

    def _audit_export(self, action: str, after: dict) -> None:
        """The export of a report (月报, 台账) in the audit trail, with its file name."""
        with self.tx(action) as t:
            t.audit("report", None, after=after)

    def _ensure_report_name(self, path: str | Path) -> None:
        """第十条: the file name a report's export audit record will keep (月报, 台账) names no
        reporter of the visible cases' leads — refused before any file or record is written."""
        with self.db.read() as s:
            vault = getattr(self.services, "vault", None)
            ensure(report_name_problems(s, vault, Path(path).name, self.ctx.not_hidden(s)))

    def ledger_count(self) -> int:
        with self.db.read() as s:
            return self._count(
                s,
                select(func.count(Case.id)).where(self.ctx.not_hidden(s)),
            )

    def iter_ledger(self, batch_size: int = 2000) -> Iterator[list[LedgerRow]]:
        """Every visible case (voided ones marked) by year then number, streamed in batches.

        The order (WZ2025-0001 … WZ2025-0420, WZ2026-0001 …) is fixed once from the numbers;
        each batch is then its own short read by id, so memory stays bounded at any size.
        """
        # 下一期限 as the list and the dashboard read it: a review window or sanction period
        # over since it was stored is stored again first (once a day; often the day's first
        # read is `wenze report ledger`), not printed as the case's next due item.
        listing = getattr(self.services, "listing", None)
        if listing is not None:
            listing._restore_lapsed()
        with self.db.read() as s:
            numbered = s.execute(select(Case.id, Case.number).where(self.ctx.not_hidden(s))).all()
        order = [cid for cid, _ in sorted(numbered, key=lambda r: _number_key(r[1]))]
        del numbered
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            with self.db.read() as s:
                found = {
                    c.id: c
                    for c in s.execute(
                        select(
                            Case.id,
                            Case.number,
                            Case.proposed_on,
                            Case.proposer_type,
                            Case.proposer_name,
                            Case.behaviour_type,
                            Case.behaviour_subtype,
                            Case.stage,
                            Case.opened_on,
                            Case.investigation_deadline,
                            Case.reported_on,
                            Case.decided_on,
                            Case.closed_on,
                            Case.next_deadline,
                            Case.next_deadline_kind,
                            Case.summary,
                            Case.voided,
                        ).where(Case.id.in_(chunk))
                    ).all()
                }
                cases = [found[cid] for cid in chunk if cid in found]
                if not cases:
                    continue
                ids = [c.id for c in cases]
                subjects: dict[int, list[str]] = defaultdict(list)
                units: dict[int, list[str]] = defaultdict(list)
                for cid, name, unit in s.execute(
                    select(CaseSubject.case_id, CaseSubject.name, CaseSubject.unit_name)
                    .where(CaseSubject.case_id.in_(ids))
                    .order_by(CaseSubject.case_id, CaseSubject.position)
                ).all():
                    subjects[cid].append(name)
                    if unit and unit not in units[cid]:
                        units[cid].append(unit)
                grounds = self._grounds(s, ids)
                # 第十条: a summary or proposer an officer wrote a reporter's identity into is withheld,
                # and so is one the exporter's key cannot check (no vault: none opens).
                reporters = reporter_terms(s, getattr(self.services, "vault", None), ids)
            yield [
                LedgerRow(
                    case_number=c.number,
                    proposed_on=c.proposed_on,
                    proposer=f"{c.proposer_type}·"
                    + exported_proposer(c.proposer_name, reporters.get(c.id, ())),
                    subjects="、".join(subjects[c.id]),
                    units="、".join(units[c.id]),
                    grounds=grounds.get(c.id, ""),
                    behaviour=f"{c.behaviour_type}（{c.behaviour_subtype}）"
                    if c.behaviour_subtype
                    else c.behaviour_type,
                    stage=c.stage,
                    step=stage_step(c.stage),
                    opened_on=c.opened_on,
                    investigation_deadline=c.investigation_deadline,
                    reported_on=c.reported_on,
                    decided_on=c.decided_on,
                    closed_on=c.closed_on,  # every closed case, 不予启动 included
                    next_deadline=c.next_deadline,
                    next_deadline_kind=c.next_deadline_kind,
                    summary=exported_summary(c.summary, reporters.get(c.id, ())),
                    status="已作废" if c.voided else "正常",
                )
                for c in cases
            ]

    def export_ledger(
        self, path: str | Path, progress: Progress | None = None, *, batch_size: int = 2000
    ) -> int:
        """Write the 台账 in write-only mode; returns the number of cases written."""
        from app.reports.ledger import write_ledger

        self._ensure_report_name(path)  # 第十条: the name its audit record keeps
        settings = self.services.masterdata.settings() if self.services else None
        total = self.ledger_count()
        # Recorded once in place: none is left in the folder without its record (review 54f).
        return recorded_output(
            Path(path),
            lambda tmp: write_ledger(
                tmp,
                self.iter_ledger(batch_size),
                total=total,
                bureau_name=settings.bureau_name if settings else "",
                prepared_by=self.ctx.actor.label,
                prepared_on=self.ctx.today(),
                progress=progress,
            ),
            lambda n: self._audit_export("导出案件台账", {"cases": n, "file": Path(path).name}),
        )
