"""SQLAlchemy 2 models. Nothing is deleted: rows are voided or superseded, never removed.

Portable types only (no SQLite-only SQL), so the same schema runs on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def ref(table: str, **kw: Any) -> MappedColumn[Any]:
    """A column holding the key of a row of ``table`` (a foreign key to ``table.id``)."""
    return mapped_column(ForeignKey(f"{table}.id"), **kw)


# Mixin columns follow a class's own unless sorted: the negative sort_order keeps the keys
# first, in the order the migrations created them (id, case_id, person_id).


class Keyed:
    """A surrogate integer key, the table's first column."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)


class OfCase(Keyed):
    """A row that belongs to one case: the case's key, indexed, follows the row's own."""

    case_id: Mapped[int] = ref("cases", index=True, sort_order=-2)


class OfCasePerson(OfCase):
    """A row about one person's part in a case (an investigator, a recusal)."""

    person_id: Mapped[int] = ref("people", index=True, sort_order=-1)


class Stamped:
    """When and by whom the row was written: the table's last columns."""

    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64), default="")


class Versioned(Stamped):
    """A correction writes a new row and points the old one at it (never an in-place edit)."""

    superseded_by_id: Mapped[int | None] = mapped_column(Integer, default=None)
    correction_reason: Mapped[str] = mapped_column(Text, default="")


# ----------------------------------------------------------------------------- master data


class Unit(Base, Keyed, Stamped):
    __tablename__ = "units"
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Person(Base, Keyed, Stamped):
    __tablename__ = "people"
    name: Mapped[str] = mapped_column(String(64), index=True)
    unit_id: Mapped[int | None] = ref("units")
    post: Mapped[str] = mapped_column(String(64), default="")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    cadre_level: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unit: Mapped[Unit | None] = relationship()


class User(Base, Keyed, Stamped):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    person_id: Mapped[int | None] = ref("people")
    can_view_reporters: Mapped[bool] = mapped_column(Boolean, default=False)
    # The reporter data key wrapped by a key derived from this user's password (Art. 10).
    wrapped_data_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The audit key (HMAC of the audit chain) wrapped by this user's password (issue 13).
    wrapped_audit_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    audit_key_salt: Mapped[bytes | None] = mapped_column(LargeBinary)


class KeyEscrow(Base, Keyed):
    """A key wrapped by the recovery key shown once at first run (purpose: reporter, audit)."""

    __tablename__ = "key_escrow"
    purpose: Mapped[str] = mapped_column(String(16), unique=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Holiday(Base, Keyed, Stamped):
    """The administrator's holiday table for years chinesecalendar does not know."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("day", name="uq_holidays_day"),)
    day: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer, index=True)
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(32), default="")


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ----------------------------------------------------------------------------- leads


class Lead(Base, Keyed, Stamped):
    __tablename__ = "leads"
    number: Mapped[str] = mapped_column(String(32), unique=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    # Art. 10: the reporter's identity only ever stored encrypted (AES-GCM, nonce || ciphertext).
    reporter_blob: Mapped[bytes | None] = mapped_column(LargeBinary)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[int | None] = ref("cases", index=True)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


# ----------------------------------------------------------------------------- cases


class Case(Base, Keyed, Stamped):
    __tablename__ = "cases"
    number: Mapped[str] = mapped_column(String(32), unique=True)
    stage: Mapped[str] = mapped_column(String(16), index=True)
    proposer_type: Mapped[str] = mapped_column(String(16))
    proposer_name: Mapped[str] = mapped_column(String(64))
    proposed_on: Mapped[date] = mapped_column(Date, index=True)
    behaviour_type: Mapped[str] = mapped_column(String(16))
    behaviour_subtype: Mapped[str] = mapped_column(String(32))
    fault: Mapped[str] = mapped_column(String(8))
    consequences: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[date | None] = mapped_column(Date, index=True)
    investigation_deadline: Mapped[date | None] = mapped_column(Date)
    time_limit_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    time_limit_approved_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date | None] = mapped_column(Date, index=True)
    decided_on: Mapped[date | None] = mapped_column(Date, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    close_note: Mapped[str] = mapped_column(Text, default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # The next deadline, kept denormalised so the list sorts and filters by it at 100k cases.
    next_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    next_deadline_kind: Mapped[str] = mapped_column(String(32), default="")
    # Subjects, summary, facts and findings joined: indexed by FTS5 (SQLite) or pg_trgm.
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    subjects: Mapped[list[CaseSubject]] = relationship(
        back_populates="case", order_by="CaseSubject.position"
    )
    grounds: Mapped[list[CaseGround]] = relationship(order_by="CaseGround.id")
    recorded_heads: Mapped[list[CaseUnitHead]] = relationship(order_by="CaseUnitHead.person_id")


class CaseSubject(Base, OfCase):
    __tablename__ = "case_subjects"
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = ref("units", index=True)
    person_id: Mapped[int | None] = ref("people", index=True)
    # Snapshots, so later master-data edits do not rewrite a served document.
    name: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    post: Mapped[str] = mapped_column(String(64), default="")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    case: Mapped[Case] = relationship(back_populates="subjects")


class CaseUnitHead(Base, OfCasePerson):
    """A head of a unit subject of the case (Art. 12 with Art. 4: 一把手负总责): at its
    proposal, or appointed while it was open. Moved or demoted since, he keeps his interest,
    so the case stays hidden from him and he may not act on it. Rows are only added."""

    __tablename__ = "case_unit_heads"
    __table_args__ = (UniqueConstraint("case_id", "person_id", name="uq_case_unit_heads"),)


class CaseGround(Base, OfCase):
    __tablename__ = "case_grounds"
    __table_args__ = (UniqueConstraint("case_id", "article", "clause", name="uq_case_grounds"),)
    article: Mapped[int] = mapped_column(Integer)
    clause: Mapped[int] = mapped_column(Integer)


class Meeting(Base, OfCase, Versioned):
    """A Party group meeting (Art. 9): initiation, decision, extension approval, review."""

    __tablename__ = "meetings"
    kind: Mapped[str] = mapped_column(String(16))
    meeting_date: Mapped[date] = mapped_column(Date, index=True)
    minutes_ref: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # How the Party group set the investigation period, so a corrected date re-derives it.
    investigation_days: Mapped[int | None] = mapped_column(Integer)
    investigation_until: Mapped[date | None] = mapped_column(Date)


class Investigator(Base, OfCasePerson, Stamped):
    __tablename__ = "investigators"
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    no_conflict_declared: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="在任")
    recusal_id: Mapped[int | None] = mapped_column(Integer)


class Recusal(Base, OfCasePerson, Stamped):
    __tablename__ = "recusals"
    person_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))
    applicant: Mapped[str] = mapped_column(String(64))
    grounds: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(8))
    decided_on: Mapped[date] = mapped_column(Date)
    replacement_person_id: Mapped[int | None] = ref("people")


class Evidence(Base, OfCase, Versioned):
    __tablename__ = "evidence"
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    collected_on: Mapped[date | None] = mapped_column(Date)
    attachment_name: Mapped[str] = mapped_column(String(255), default="")
    attachment_path: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")


class Statement(Base, OfCase, Versioned):
    """The subject's 陈述申辩 (公务员法第六十三条), or a recorded waiver."""

    __tablename__ = "statements"
    subject_id: Mapped[int] = ref("case_subjects", index=True)
    kind: Mapped[str] = mapped_column(String(16))
    made_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text, default="")


class ConductFinding(Base, OfCase, Versioned):
    """Art. 10: the subject's cooperation with, or obstruction of, the investigation."""

    __tablename__ = "conduct_findings"
    subject_id: Mapped[int] = ref("case_subjects", index=True)
    cooperative: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    found_on: Mapped[date] = mapped_column(Date)


class Extension(Base, OfCase, Stamped):
    __tablename__ = "extensions"
    old_deadline: Mapped[date] = mapped_column(Date)
    new_deadline: Mapped[date] = mapped_column(Date)
    approved_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")


class Report(Base, OfCase, Versioned):
    __tablename__ = "reports"
    report_date: Mapped[date] = mapped_column(Date)
    course: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text)
    attitude: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text)
    items: Mapped[list[ReportItem]] = relationship(order_by="ReportItem.id")


class ReportItem(Base, Keyed):
    __tablename__ = "report_items"
    report_id: Mapped[int] = ref("reports", index=True)
    subject_id: Mapped[int] = ref("case_subjects", index=True)
    responsibility: Mapped[str] = mapped_column(String(16))
    mitigation: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(8))
    forms: Mapped[list] = mapped_column(JSON, default=list)
    sanction_kind: Mapped[str | None] = mapped_column(String(8))
    other_form_text: Mapped[str] = mapped_column(Text, default="")
    transfer_to_judicial: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[str] = mapped_column(Text, default="")


class Decision(Base, OfCase, Stamped):
    """A decision on one subject; a correction or review result is a new version."""

    __tablename__ = "decisions"
    subject_id: Mapped[int] = ref("case_subjects", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = ref("decisions", index=True)
    status: Mapped[str] = mapped_column(String(8), index=True)
    origin: Mapped[str] = mapped_column(String(16), default="党组决定")
    meeting_id: Mapped[int | None] = ref("meetings")
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(8))
    forms: Mapped[list] = mapped_column(JSON, default=list)
    sanction_kind: Mapped[str | None] = mapped_column(String(8))
    sanction_end: Mapped[date | None] = mapped_column(Date, index=True)
    #: The period's last day as served: the run of 处分条例第十条 (app.services.sanction_runs);
    #: NULL without a period, or for a run that includes 开除.
    run_end: Mapped[date | None] = mapped_column(Date, index=True)
    other_form_text: Mapped[str] = mapped_column(Text, default="")
    transfer_to_judicial: Mapped[bool] = mapped_column(Boolean, default=False)
    facts: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text)
    doc_number: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[CaseSubject] = relationship()


class NumberCounter(Base):
    """Gap-free document numbers per kind and year; locked row by row when issuing."""

    __tablename__ = "number_counters"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class DocNumber(Base, Keyed, Stamped):
    __tablename__ = "doc_numbers"
    __table_args__ = (
        UniqueConstraint("kind", "year", "seq", name="uq_doc_numbers_seq"),
        Index("ix_doc_numbers_year_case", "year", "case_id", "seq"),  # 〔2025〕12号 searches (0018)
    )
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int | None] = ref("cases", index=True)


class Service(Base, OfCase, Versioned):
    """Proof of service of a decision (Art. 13)."""

    __tablename__ = "services"
    decision_id: Mapped[int] = ref("decisions", index=True)
    served_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    place: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(64))
    servers: Mapped[list] = mapped_column(JSON, default=list)
    witness: Mapped[str] = mapped_column(String(64), default="")
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    review_last_day: Mapped[date] = mapped_column(Date, index=True)
    # The issued 问责决定书/复核决定书 version that was served (Art. 13: service in writing).
    document_id: Mapped[int | None] = mapped_column(Integer)
    # Set when this is the service of a 复核决定书 rather than of the decision itself.
    review_decision_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # 委托送达: the unit entrusted to serve (its people are the servers); NULL before 0021.
    entrusted_unit: Mapped[str | None] = mapped_column(String(100))


class ReviewApplication(Base, OfCase, Stamped):
    __tablename__ = "review_applications"
    decision_id: Mapped[int] = ref("decisions", index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    grounds: Mapped[str] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_reason: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="待复核")


class ReviewDecision(Base, OfCase, Stamped):
    __tablename__ = "review_decisions"
    application_id: Mapped[int] = ref("review_applications", unique=True)
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    outcome: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    new_decision_id: Mapped[int | None] = ref("decisions")
    doc_number: Mapped[str] = mapped_column(String(64), unique=True)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)


# ----------------------------------------------------------------------------- documents, drafts


class IssuedDocument(Base, OfCase, Stamped):
    """A document as issued: its composed content is frozen so regeneration is identical."""

    __tablename__ = "documents"
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded_by_id: Mapped[int | None] = mapped_column(Integer)
    frozen: Mapped[bool] = mapped_column(Boolean, default=True)
    # The audit chain's (seq, head) when it was issued: bound into the printed code, so a paper
    # copy anchors the chain outside the database (issue 13).
    anchor_seq: Mapped[int | None] = mapped_column(Integer)
    anchor_head: Mapped[str | None] = mapped_column(String(64))


class Draft(Base, Keyed):
    """What a user typed in a wizard step but has not finished; survives a crash."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("case_key", "step", "username", name="uq_drafts_key"),)
    case_key: Mapped[str] = mapped_column(String(32))
    step: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# ----------------------------------------------------------------------------- audit


class AuditRecord(Base, Keyed):
    """Who did what, when, before and after; each record carries the previous record's hash."""

    __tablename__ = "audit_records"
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA-256 under the audit key, chained (issue 13); NULL until a keyed write seals it.
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base, Keyed):
    """One row holding the chain head; locking it serialises audit writers on any database."""

    __tablename__ = "audit_head"
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    # The last sealed record (seq, mac) and a keyed MAC over them (issue 13).
    sealed_seq: Mapped[int | None] = mapped_column(Integer, default=0)
    sealed_mac: Mapped[str | None] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))


Index("ix_decisions_case_subject", Decision.case_id, Decision.subject_id)
Index("ix_case_subjects_unit_case", CaseSubject.unit_id, CaseSubject.case_id)  # unit filter (0018)
# A case's replay reads the acts outside any case on its rows (case_id NULL, by entity) (0029)
Index("ix_audit_records_case_entity", AuditRecord.case_id, AuditRecord.entity)


# ----------------------------------------------------------------------------- beyond (issue 16)


class LeadDisposition(Base, Keyed, Stamped):
    """One approved disposition of a lead (拟立案/初步核实/谈话函询/暂存待查/予以了结).

    A lead's current disposition is its newest row; 初核 and 谈话函询 are completed on
    their own row (report, outcome) and the outcome is a new row, so the history is kept.
    """

    __tablename__ = "lead_dispositions"
    lead_id: Mapped[int] = ref("leads", index=True)
    kind: Mapped[str] = mapped_column(String(8), index=True)
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    approver: Mapped[str] = mapped_column(String(64))
    approval_ref: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    revisit_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    completed_on: Mapped[date | None] = mapped_column(Date)
    report_text: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(8), default="")
    follows_id: Mapped[int | None] = mapped_column(Integer)
    # 更正处置意见 (0027): a correction is a new version the old one points at; the new one
    # names the first version of its chain, whose key keeps the lead's order of acts.
    superseded_by_id: Mapped[int | None] = mapped_column(Integer, default=None)
    correction_reason: Mapped[str | None] = mapped_column(Text, default="")
    version_of_id: Mapped[int | None] = mapped_column(Integer, default=None)


class StaffNumber(Base, Keyed, Stamped):
    """A person's 工号 from the staff roster (人员名册): the key a re-import updates by."""

    __tablename__ = "staff_numbers"
    person_id: Mapped[int] = ref("people", unique=True)
    staff_no: Mapped[str] = mapped_column(String(32), unique=True)


class SanctionRelease(Base, OfCase, Versioned):
    """解除处分 (公务员法第六十五条): the release of one sanction decision at its period's end.
    A correction is a new version (0022): one current release per decision, kept by a partial
    unique index on the current rows (``uq_sanction_releases_current``, raw SQL)."""

    __tablename__ = "sanction_releases"
    decision_id: Mapped[int] = ref("decisions", index=True)
    subject_id: Mapped[int] = ref("case_subjects", index=True)
    sanction_kind: Mapped[str] = mapped_column(String(8))
    period_end: Mapped[date] = mapped_column(Date)
    released_on: Mapped[date] = mapped_column(Date, index=True)
    conduct: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
