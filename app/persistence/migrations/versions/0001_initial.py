"""Initial schema: assessments, answers, evidence items and the append-only answer history.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("ai_system", sa.String(200), nullable=False),
        sa.Column("organization", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("assessor", sa.Text, nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("framework_version", sa.String(50), nullable=False),
        sa.Column("scheme_id", sa.String(100), nullable=False),
        sa.Column("default_target", sa.Integer, nullable=False),
        sa.Column("profiles", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("last_subcategory", sa.String(100), nullable=True),
        sa.Column("finalized_by", sa.Text, nullable=False),
        sa.Column("finalized_role", sa.Text, nullable=False),
        sa.Column("finalized_statement", sa.Text, nullable=False),
        sa.Column("finalized_at", sa.String(32), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column(
            "previous_id",
            sa.Integer,
            sa.ForeignKey("assessments.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_assessments_ai_system", "assessments", ["ai_system"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Integer,
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("subcategory_id", sa.String(100), nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("not_applicable", sa.Boolean, nullable=False),
        sa.Column("na_rationale", sa.Text, nullable=False),
        sa.Column("target", sa.Integer, nullable=True),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("evidence_status", sa.String(20), nullable=True),
        sa.Column("actions_in_place", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("flagged", sa.Boolean, nullable=False),
        sa.Column("carried_over", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("assessment_id", "subcategory_id"),
    )
    op.create_index("ix_answers_assessment_id", "answers", ["assessment_id"])
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "answer_id", sa.Integer, sa.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("added_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_evidence_items_answer_id", "evidence_items", ["answer_id"])
    op.create_index("ix_evidence_items_sha256", "evidence_items", ["sha256"])
    op.create_table(
        "answer_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Integer,
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("subcategory_id", sa.String(100), nullable=False),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("old", sa.Text, nullable=False),
        sa.Column("new", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("assessment_id", "seq"),
    )
    op.create_index("ix_history_assessment_sub", "answer_history", ["assessment_id", "subcategory_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER answer_history_append_only BEFORE UPDATE ON answer_history "
            "BEGIN SELECT RAISE(ABORT, 'the answer history is append-only'); END"
        )


def downgrade() -> None:
    op.drop_table("answer_history")
    op.drop_table("evidence_items")
    op.drop_table("answers")
    op.drop_table("assessments")
