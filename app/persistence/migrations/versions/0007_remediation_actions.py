"""Remediation actions (the plan of action and milestones), issue 14.

- ``remediation_actions``: any number per subcategory of an assessment, each with a stable
  ``uid`` (unique within its assessment; kept when carried over to the next cycle), title,
  description, owner, due date (a local calendar day), status, rationale (risk accepted),
  priority, milestone notes, linked evidence (JSON list of references to the subcategory's
  evidence items), the suggestion it was created from, carried-over flag and times. Deleted
  with their assessment.
- ``answer_history.field`` widens from 50 to 120 characters: an action's changes are recorded
  as ``action:<32 hex uid>:<field>`` (up to 51 characters). SQLite rebuilds the table for it
  (its append-only trigger is put back); PostgreSQL alters the column in place.

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

_TRIGGER = (
    "CREATE TRIGGER answer_history_append_only BEFORE UPDATE ON answer_history "
    "BEGIN SELECT RAISE(ABORT, 'the answer history is append-only'); END"
)


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
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite changes a column's type by rebuilding the table, which drops its triggers:
        # the append-only trigger is put back on the new table (as in 0004).
        op.execute("DROP TRIGGER IF EXISTS answer_history_append_only")
    with op.batch_alter_table("answer_history") as batch:
        batch.alter_column(
            "field", existing_type=sa.String(50), type_=sa.String(120), existing_nullable=False
        )
    if sqlite:
        op.execute(_TRIGGER)


def downgrade() -> None:
    op.drop_index("ix_actions_assessment_sub", "remediation_actions")
    op.drop_table("remediation_actions")
