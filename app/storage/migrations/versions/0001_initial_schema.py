"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 19:25:21.362491
"""

import sqlalchemy as sa
from alembic import op

from app.storage.migrations.helpers import (
    Table,
    column,
    create_tables,
    dialect,
    drop_mirror,
    drop_tables,
    mirror_search_text,
    ref,
    stamped,
    versioned,
)

revision = "0001"
down_revision = None

GENESIS = "0" * 64


def tables() -> list[Table]:
    """The tables in the order they are created: each after the tables its keys refer to."""
    return [
        Table(
            "audit_head",
            column("seq", sa.Integer()),
            column("hash", sa.String(64)),
        ),
        Table(
            "audit_records",
            column("seq", sa.Integer(), unique=True),
            column("at", sa.DateTime(), index=True),
            column("actor", sa.String(64)),
            column("action", sa.String(64)),
            column("entity", sa.String(32)),
            column("entity_id", sa.Integer(), nullable=True),
            column("case_id", sa.Integer(), nullable=True, index=True),
            column("before", sa.JSON(), nullable=True),
            column("after", sa.JSON(), nullable=True),
            column("prev_hash", sa.String(64)),
            column("hash", sa.String(64)),
        ),
        Table(
            "cases",
            column("number", sa.String(32), unique=True),
            column("stage", sa.String(16), index=True),
            column("proposer_type", sa.String(16)),
            column("proposer_name", sa.String(64)),
            column("proposed_on", sa.Date(), index=True),
            column("behaviour_type", sa.String(16)),
            column("behaviour_subtype", sa.String(32)),
            column("fault", sa.String(8)),
            column("consequences", sa.JSON()),
            column("summary", sa.Text()),
            column("opened_on", sa.Date(), nullable=True, index=True),
            column("investigation_deadline", sa.Date(), nullable=True),
            column("time_limit_extended", sa.Boolean()),
            column("reported_on", sa.Date(), nullable=True),
            column("decided_on", sa.Date(), nullable=True, index=True),
            column("closed_on", sa.Date(), nullable=True, index=True),
            column("close_note", sa.Text()),
            column("voided", sa.Boolean()),
            column("void_reason", sa.Text()),
            column("next_deadline", sa.Date(), nullable=True, index=True),
            column("next_deadline_kind", sa.String(32)),
            column("search_text", sa.Text()),
            column("updated_at", sa.DateTime(), nullable=True),
            column("row_version", sa.Integer()),
            *stamped(),
        ),
        Table(
            "drafts",
            column("case_key", sa.String(32)),
            column("step", sa.Integer()),
            column("username", sa.String(64)),
            column("payload", sa.JSON()),
            column("updated_at", sa.DateTime()),
            unique={"uq_drafts_key": ["case_key", "step", "username"]},
        ),
        Table(
            "holidays",
            column("day", sa.Date(), unique=True),
            column("year", sa.Integer(), index=True),
            column("is_workday", sa.Boolean()),
            column("name", sa.String(32)),
            *stamped(),
        ),
        Table(
            "number_counters",
            column("kind", sa.String(16)),
            column("year", sa.Integer()),
            column("last_seq", sa.Integer()),
            primary=["kind", "year"],
        ),
        Table(
            "settings",
            column("key", sa.String(64)),
            column("value", sa.Text()),
            primary=["key"],
        ),
        Table(
            "units",
            column("name", sa.String(100), unique=True),
            column("kind", sa.String(16)),
            column("active", sa.Boolean()),
            column("sort_order", sa.Integer()),
            *stamped(),
        ),
        Table(
            "case_grounds",
            ref("case_id", "cases", index=True),
            column("article", sa.Integer()),
            column("clause", sa.Integer()),
            unique={"uq_case_grounds": ["case_id", "article", "clause"]},
        ),
        Table(
            "doc_numbers",
            column("kind", sa.String(16)),
            column("year", sa.Integer()),
            column("seq", sa.Integer()),
            column("number", sa.String(64), unique=True),
            ref("case_id", "cases", nullable=True, index=True),
            *stamped(),
            unique={"uq_doc_numbers_seq": ["kind", "year", "seq"]},
        ),
        Table(
            "documents",
            ref("case_id", "cases", index=True),
            column("kind", sa.String(16)),
            column("ref_id", sa.Integer(), nullable=True),
            column("number", sa.String(64)),
            column("title", sa.String(200)),
            column("content", sa.JSON()),
            column("content_sha256", sa.String(64)),
            column("verification_code", sa.String(16), unique=True),
            column("version", sa.Integer()),
            column("superseded_by_id", sa.Integer(), nullable=True),
            column("frozen", sa.Boolean()),
            *stamped(),
        ),
        Table(
            "evidence",
            ref("case_id", "cases", index=True),
            column("title", sa.String(200)),
            column("description", sa.Text()),
            column("collected_on", sa.Date(), nullable=True),
            column("attachment_name", sa.String(255)),
            column("attachment_path", sa.String(500)),
            column("sha256", sa.String(64)),
            column("size", sa.Integer()),
            column("voided", sa.Boolean()),
            column("void_reason", sa.Text()),
            *versioned(),
        ),
        Table(
            "extensions",
            ref("case_id", "cases", index=True),
            column("old_deadline", sa.Date()),
            column("new_deadline", sa.Date()),
            column("approved_on", sa.Date()),
            column("reason", sa.Text()),
            *stamped(),
        ),
        Table(
            "leads",
            column("number", sa.String(32), unique=True),
            column("received_on", sa.Date(), index=True),
            column("source", sa.String(16)),
            column("channel", sa.String(16)),
            column("content", sa.Text()),
            column("reporter_blob", sa.LargeBinary(), nullable=True),
            column("anonymous", sa.Boolean()),
            ref("case_id", "cases", nullable=True, index=True),
            column("voided", sa.Boolean()),
            column("void_reason", sa.Text()),
            column("updated_at", sa.DateTime(), nullable=True),
            *stamped(),
        ),
        Table(
            "meetings",
            ref("case_id", "cases", index=True),
            column("kind", sa.String(16)),
            column("meeting_date", sa.Date()),
            column("minutes_ref", sa.String(64)),
            column("outcome", sa.String(32)),
            column("reason", sa.Text()),
            *versioned(),
        ),
        Table(
            "people",
            column("name", sa.String(64), index=True),
            ref("unit_id", "units", nullable=True),
            column("post", sa.String(64)),
            column("is_leader", sa.Boolean()),
            column("cadre_level", sa.String(32)),
            column("active", sa.Boolean()),
            *stamped(),
        ),
        Table(
            "reports",
            ref("case_id", "cases", index=True),
            column("report_date", sa.Date()),
            column("course", sa.Text()),
            column("findings", sa.Text()),
            column("attitude", sa.Text()),
            column("legal_basis", sa.Text()),
            *versioned(),
        ),
        Table(
            "case_subjects",
            ref("case_id", "cases", index=True),
            column("position", sa.Integer()),
            column("kind", sa.String(16)),
            ref("unit_id", "units", nullable=True, index=True),
            ref("person_id", "people", nullable=True, index=True),
            column("name", sa.String(100)),
            column("unit_name", sa.String(100)),
            column("post", sa.String(64)),
            column("is_leader", sa.Boolean()),
        ),
        Table(
            "investigators",
            ref("case_id", "cases", index=True),
            ref("person_id", "people", index=True),
            column("role", sa.String(16)),
            column("name", sa.String(64)),
            column("no_conflict_declared", sa.Boolean()),
            column("declared_on", sa.Date(), nullable=True),
            column("status", sa.String(16)),
            column("recusal_id", sa.Integer(), nullable=True),
            *stamped(),
        ),
        Table(
            "recusals",
            ref("case_id", "cases", index=True),
            ref("person_id", "people", index=True),
            column("person_name", sa.String(64)),
            column("role", sa.String(32)),
            column("mode", sa.String(16)),
            column("applicant", sa.String(64)),
            column("grounds", sa.Text()),
            column("verdict", sa.String(8)),
            column("decided_on", sa.Date()),
            ref("replacement_person_id", "people", nullable=True),
            *stamped(),
        ),
        Table(
            "users",
            column("username", sa.String(64), unique=True),
            column("display_name", sa.String(64)),
            column("role", sa.String(16)),
            column("password_hash", sa.String(255)),
            column("failed_attempts", sa.Integer()),
            column("locked_until", sa.DateTime(), nullable=True),
            ref("person_id", "people", nullable=True),
            column("can_view_reporters", sa.Boolean()),
            column("wrapped_data_key", sa.LargeBinary(), nullable=True),
            column("key_salt", sa.LargeBinary(), nullable=True),
            column("active", sa.Boolean()),
            column("last_login_at", sa.DateTime(), nullable=True),
            *stamped(),
        ),
        Table(
            "conduct_findings",
            ref("case_id", "cases", index=True),
            ref("subject_id", "case_subjects", index=True),
            column("cooperative", sa.Boolean()),
            column("description", sa.Text()),
            column("found_on", sa.Date()),
            *versioned(),
        ),
        Table(
            "decisions",
            ref("case_id", "cases", index=True),
            ref("subject_id", "case_subjects", index=True),
            column("version", sa.Integer()),
            ref("replaces_id", "decisions", nullable=True),
            column("status", sa.String(8), index=True),
            column("origin", sa.String(16)),
            ref("meeting_id", "meetings", nullable=True),
            column("decided_on", sa.Date(), index=True),
            column("effective_on", sa.Date()),
            column("outcome", sa.String(8)),
            column("forms", sa.JSON()),
            column("sanction_kind", sa.String(8), nullable=True),
            column("sanction_end", sa.Date(), nullable=True, index=True),
            column("other_form_text", sa.Text()),
            column("transfer_to_judicial", sa.Boolean()),
            column("facts", sa.Text()),
            column("reasons", sa.Text()),
            column("basis", sa.Text()),
            column("doc_number", sa.String(64), unique=True),
            *stamped(),
            index={"ix_decisions_case_subject": ["case_id", "subject_id"]},
        ),
        Table(
            "report_items",
            ref("report_id", "reports", index=True),
            ref("subject_id", "case_subjects"),
            column("responsibility", sa.String(16)),
            column("mitigation", sa.Text()),
            column("outcome", sa.String(8)),
            column("forms", sa.JSON()),
            column("sanction_kind", sa.String(8), nullable=True),
            column("other_form_text", sa.Text()),
            column("transfer_to_judicial", sa.Boolean()),
            column("reasons", sa.Text()),
        ),
        Table(
            "statements",
            ref("case_id", "cases", index=True),
            ref("subject_id", "case_subjects", index=True),
            column("kind", sa.String(16)),
            column("made_on", sa.Date()),
            column("content", sa.Text()),
            *versioned(),
        ),
        Table(
            "review_applications",
            ref("case_id", "cases", index=True),
            ref("decision_id", "decisions", index=True),
            column("received_on", sa.Date(), index=True),
            column("grounds", sa.Text()),
            column("late", sa.Boolean()),
            column("late_reason", sa.Text()),
            column("due_on", sa.Date()),
            column("status", sa.String(8)),
            *stamped(),
        ),
        Table(
            "services",
            ref("case_id", "cases", index=True),
            ref("decision_id", "decisions", index=True),
            column("served_at", sa.DateTime()),
            column("place", sa.String(200)),
            column("method", sa.String(8)),
            column("recipient", sa.String(64)),
            column("servers", sa.JSON()),
            column("witness", sa.String(64)),
            column("refusal_reason", sa.Text()),
            column("note", sa.Text()),
            column("review_last_day", sa.Date(), index=True),
            *versioned(),
        ),
        Table(
            "review_decisions",
            ref("case_id", "cases", index=True),
            ref("application_id", "review_applications", unique=True),
            column("decided_on", sa.Date(), index=True),
            column("outcome", sa.String(8)),
            column("reasons", sa.Text()),
            column("facts", sa.Text()),
            ref("new_decision_id", "decisions", nullable=True),
            column("doc_number", sa.String(64), unique=True),
            column("overdue", sa.Boolean()),
            *stamped(),
        ),
    ]


def upgrade() -> None:
    create_tables(tables())
    op.execute(sa.text(f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')"))
    _create_search_index()


def _create_search_index() -> None:
    """Full-text search over cases: FTS5 trigram on SQLite, pg_trgm on PostgreSQL."""
    if dialect() == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE cases_fts USING fts5("
            "search_text, content='cases', content_rowid='id', tokenize='trigram')"
        )
        mirror_search_text("cases_fts", "search_text", str, on_delete=False)
    elif dialect() == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_cases_search_trgm ON cases USING gin (search_text gin_trgm_ops)"
        )


def downgrade() -> None:
    if dialect() == "sqlite":
        drop_mirror("cases_fts")
    elif dialect() == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_cases_search_trgm")
    drop_tables(tables())
