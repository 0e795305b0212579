"""Remediation actions (the plan of action and milestones), issue 14.

- ``remediation_actions``: any number per subcategory of an assessment, each with a stable
  ``uid`` (unique within its assessment; kept when carried over to the next cycle), title,
  description, owner, due date (a local calendar day), status, rationale (risk accepted),
  priority, milestone notes, linked evidence (JSON list of references to the subcategory's
  evidence items), the suggestion it was created from, carried-over flag and times. Deleted
  with their assessment.
- ``answer_history.field`` widens from 50 to 120 characters: an action's changes are recorded
  as ``action:<32 hex uid>:<field>``. Only PostgreSQL enforces the length (SQLite keeps any
  text in the column), so only there is the column altered: no table rebuild on SQLite, whose
  append-only trigger stays as it is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remediation_actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Integer,
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("subcategory_id", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("owner", sa.Text, nullable=False, server_default=""),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.Column("rationale", sa.Text, nullable=False, server_default=""),
        sa.Column("priority", sa.String(10), nullable=False, server_default="medium"),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("evidence", sa.Text, nullable=False, server_default="[]"),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("carried_over", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.String(32), nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("assessment_id", "uid"),
    )
    op.create_index(
        "ix_actions_assessment_sub", "remediation_actions", ["assessment_id", "subcategory_id"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE answer_history ALTER COLUMN field TYPE VARCHAR(120)")


def downgrade() -> None:
    op.drop_index("ix_actions_assessment_sub", "remediation_actions")
    op.drop_table("remediation_actions")
