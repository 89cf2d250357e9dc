"""类案参考 (precedent reference): past decided cases most like this subject's case.

同案同罚 is what a reviewer checks first. For one subject of a case, every decision in force
on a subject of the same kind (person or unit) in another case is scored by what the two
cases share, and the best are listed with their forms and sanctions:

=========================================  ======
shared clause of Art. 7 / Art. 8           4 each
same behaviour type (不履行/不正确履行)     2
same sub-type (推诿, 无合法依据, …)          2
same fault (故意/过失)                      2
shared consequence                         1 each
same responsibility type (Art. 4)          2
=========================================  ======

Ties go to the more recent decision, then the case number. A case needs at least
``MIN_SCORE`` points to be listed. Recused cases (Art. 12) and voided cases never appear;
nothing about leads or reporters is read.

The warning: precedents scoring at least ``CLOSE_SCORE`` are *close*; with at least
``MIN_CLOSE`` of them, the prevailing outcome is the median severity of their decisions
(the ranks of :func:`app.domain.rules.severity`). A proposed decision ``MARGIN`` ranks or
more above or below that median is flagged as markedly heavier or lighter; the officer may
still decide so, with reasons (a warning, not a refusal).
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Text, cast, func, literal, or_, select, tuple_
from sqlalchemy import case as when

from app.domain.enums import DecisionStatus, SubjectKind
from app.domain.regulation import clause_label
from app.domain.rules import SanctionSpec
from app.domain.severity import severity
from app.services.base import NotFound, ServiceBase
from app.storage.models import Case, CaseGround, CaseSubject, Decision, Report, ReportItem

W_GROUND = 4
W_TYPE = 2
W_SUBTYPE = 2
W_FAULT = 2
W_CONSEQUENCE = 1
W_RESPONSIBILITY = 2
MIN_SCORE = 4
CLOSE_SCORE = 10
MIN_CLOSE = 3
MARGIN = 2


@dataclass(frozen=True)
class Features:
    grounds: frozenset[tuple[int, int]]
    behaviour_type: str
    behaviour_subtype: str
    fault: str
    consequences: frozenset[str]
    responsibility: str


@dataclass(frozen=True)
class Precedent:
    case_id: int
    case_number: str
    decided_on: date
    subject: str
    unit_name: str
    score: int
    reasons: tuple[str, ...]  # what the cases share, in words
    outcome: str
    forms: tuple[str, ...]
    sanction_kind: str
    transfer_to_judicial: bool
    severity: int

    @property
    def decision_text(self) -> str:
        if self.outcome != "予以问责":
            return self.outcome
        parts = [f for f in self.forms if f != "行政处分"]
        if self.sanction_kind:
            parts.append(f"行政处分（{self.sanction_kind}）")
        if self.transfer_to_judicial:
            parts.append("移送司法机关")
        return "、".join(parts) or self.outcome


@dataclass(frozen=True)
class PrecedentResult:
    precedents: tuple[Precedent, ...]
    close: int
    prevailing_severity: float | None  # median severity of the close precedents


def score(target: Features, other: Features) -> tuple[int, tuple[str, ...]]:
    """Points and the shared features in words."""
    pts = 0
    why: list[str] = []
    shared = sorted(target.grounds & other.grounds)
    if shared:
        pts += W_GROUND * len(shared)
        why.append("同引" + "、".join(_clause(a, c) for a, c in shared))
    if target.behaviour_type and target.behaviour_type == other.behaviour_type:
        pts += W_TYPE
        if target.behaviour_subtype and target.behaviour_subtype == other.behaviour_subtype:
            pts += W_SUBTYPE
            why.append(f"同为{other.behaviour_type}（{other.behaviour_subtype}）")
        else:
            why.append(f"同为{other.behaviour_type}")
    if target.fault and target.fault == other.fault:
        pts += W_FAULT
        why.append(f"同属{other.fault}")
    same_cons = sorted(target.consequences & other.consequences)
    if same_cons:
        pts += W_CONSEQUENCE * len(same_cons)
        why.append("后果相同：" + "、".join(same_cons))
    if target.responsibility and target.responsibility == other.responsibility:
        pts += W_RESPONSIBILITY
        why.append(f"同负{other.responsibility}")
    return pts, tuple(why)


def _clause(article: int, clause: int) -> str:
    try:
        return clause_label(article, clause)
    except Exception:  # an unknown clause still shows
        return f"第{article}条第{clause}项"


def _severity(outcome: str, forms: list[str], kind: str | None) -> int:
    try:
        return severity(SanctionSpec.of(outcome, forms, kind))
    except ValueError:
        return 0


def warning_for(result: PrecedentResult, proposed: SanctionSpec) -> str | None:
    """A warning when the proposal is markedly heavier or lighter than close precedents."""
    if result.prevailing_severity is None:
        return None
    mine = severity(proposed)
    median = result.prevailing_severity
    if mine >= median + MARGIN:
        word = "明显重于"
    elif mine <= median - MARGIN:
        word = "明显轻于"
    else:
        return None
    return (
        f"拟作出的处理{word}{result.close}件相近类案的通常处理（同案同罚），"
        "请核对事实、情节和理由，并在处理理由中说明。"
    )


def points_sql(target: Features) -> Any:
    """:func:`score` as one SQL expression over a decision's case and subject, so the ranking,
    the ``MIN_SCORE`` cut and the close count are the database's, and only the rows listed are
    loaded. The filter once kept only a shared clause or the same sub-type and dropped a case
    sharing, say, the fault and the responsibility (2 + 2 = 4): a similar case never listed.
    Scoring every in-force decision in Python instead loaded half the table (score 4 is a low
    bar). Each term is a column compare, one indexed count (the case's clauses, by
    ``uq_case_grounds``), one subquery run once (the subjects of that responsibility) or a match
    in the stored JSON of the consequences."""
    points: Any = literal(0)
    if target.grounds:
        shared = (
            select(func.count())
            .select_from(CaseGround)
            .where(
                CaseGround.case_id == Case.id,
                tuple_(CaseGround.article, CaseGround.clause).in_(sorted(target.grounds)),
            )
            .scalar_subquery()
        )
        points = points + W_GROUND * shared
    if target.behaviour_type:
        sub = (
            when((Case.behaviour_subtype == target.behaviour_subtype, W_SUBTYPE), else_=0)
            if target.behaviour_subtype
            else 0
        )
        points = points + when(
            (Case.behaviour_type == target.behaviour_type, W_TYPE + sub), else_=0
        )
    if target.fault:
        points = points + when((Case.fault == target.fault, W_FAULT), else_=0)
    if target.responsibility:
        bearing = (
            select(ReportItem.subject_id)
            .join(Report, Report.id == ReportItem.report_id)
            .where(
                ReportItem.responsibility == target.responsibility,
                Report.superseded_by_id.is_(None),
            )
        )
        points = points + when((CaseSubject.id.in_(bearing), W_RESPONSIBILITY), else_=0)
    stored = cast(Case.consequences, Text)
    for c in sorted(target.consequences):
        # As stored now (UTF-8 text) and as older rows have it (\uXXXX escapes).
        forms = {json.dumps(c, ensure_ascii=False), json.dumps(c)}
        named = or_(*(stored.contains(f, autoescape=True) for f in forms))
        points = points + when((named, W_CONSEQUENCE), else_=0)
    return points


class PrecedentService(ServiceBase):
    @staticmethod
    def _responsibilities(s: Any, subject_ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for start in range(0, len(subject_ids), 500):
            chunk = subject_ids[start : start + 500]
            rows = s.execute(
                select(ReportItem.subject_id, ReportItem.responsibility)
                .join(Report, Report.id == ReportItem.report_id)
                .where(ReportItem.subject_id.in_(chunk), Report.superseded_by_id.is_(None))
                .order_by(Report.id)
            )
            out.update({sid: resp or "" for sid, resp in rows})
        return out

    @staticmethod
    def _grounds(s: Any, case_ids: list[int]) -> dict[int, set[tuple[int, int]]]:
        out: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for start in range(0, len(case_ids), 500):
            chunk = case_ids[start : start + 500]
            for cid, art, clause in s.execute(
                select(CaseGround.case_id, CaseGround.article, CaseGround.clause).where(
                    CaseGround.case_id.in_(chunk)
                )
            ):
                out[cid].add((art, clause))
        return out

    def similar(self, case_id: int, subject_id: int, *, limit: int = 10) -> PrecedentResult:
        """The most similar past decisions for this subject, best first."""
        with self.db.read() as s:
            self.ctx.ensure_case_visible(s, case_id)
            case = s.get(Case, case_id)
            sub = s.get(CaseSubject, subject_id)
            if case is None or case.voided or sub is None or sub.case_id != case_id:
                raise NotFound("案件或问责对象不存在")
            target = Features(
                frozenset(self._grounds(s, [case_id]).get(case_id, set())),
                case.behaviour_type or "",
                case.behaviour_subtype or "",
                case.fault or "",
                frozenset(case.consequences or []),
                self._responsibilities(s, [subject_id]).get(subject_id, ""),
            )
            person = sub.kind == SubjectKind.PERSON.value
            kind_filter = (
                CaseSubject.kind == SubjectKind.PERSON.value
                if person
                else CaseSubject.kind != SubjectKind.PERSON.value
            )
            pts = points_sql(target)

            def decided(*cols: Any) -> Any:
                return (
                    select(*cols)
                    .join(CaseSubject, CaseSubject.id == Decision.subject_id)
                    .join(Case, Case.id == Decision.case_id)
                    .where(
                        self._visible(s),
                        Case.id != case_id,
                        Decision.status == DecisionStatus.IN_FORCE.value,
                        kind_filter,
                    )
                )

            rows = s.execute(
                decided(Decision, CaseSubject, Case)
                .where(pts >= MIN_SCORE)
                .order_by(pts.desc(), Decision.decided_on.desc(), Case.number)
                .limit(limit)
            ).all()
            close = [
                _severity(outcome, list(forms or []), kind)
                for outcome, forms, kind in s.execute(
                    decided(Decision.outcome, Decision.forms, Decision.sanction_kind).where(
                        pts >= CLOSE_SCORE
                    )
                )
            ]
            grounds = self._grounds(s, sorted({c.id for _d, _sub, c in rows}))
            resp = self._responsibilities(s, [sb.id for _d, sb, _c in rows])
            found: list[Precedent] = []
            for d, sb, c in rows:
                other = Features(
                    frozenset(grounds.get(c.id, set())),
                    c.behaviour_type or "",
                    c.behaviour_subtype or "",
                    c.fault or "",
                    frozenset(c.consequences or []),
                    resp.get(sb.id, ""),
                )
                got, why = score(target, other)
                if got < MIN_SCORE:  # the SQL and the scorer agree (tests say so): never shown
                    continue
                found.append(
                    Precedent(
                        c.id,
                        c.number,
                        d.decided_on,
                        sb.name,
                        sb.unit_name,
                        got,
                        why,
                        d.outcome,
                        tuple(d.forms or []),
                        d.sanction_kind or "",
                        bool(d.transfer_to_judicial),
                        _severity(d.outcome, list(d.forms or []), d.sanction_kind),
                    )
                )
        found.sort(key=lambda p: (-p.score, -p.decided_on.toordinal(), p.case_number))
        prevailing = statistics.median(close) if len(close) >= MIN_CLOSE else None
        return PrecedentResult(tuple(found[:limit]), len(close), prevailing)

    def proposal_warning(self, case_id: int, subject_id: int, proposed: SanctionSpec) -> str | None:
        return warning_for(self.similar(case_id, subject_id, limit=1), proposed)
