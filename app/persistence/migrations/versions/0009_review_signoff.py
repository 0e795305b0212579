"""Review and sign-off by more than one person.

- ``answer_reviews``: each answer's review state (draft, ready_for_review, reviewed,
  returned), who set it and when. No row means draft, so existing answers start as drafts.
- ``review_comments``: the reviewer comment thread of each subcategory (also recorded in the
  hash-chained history, which stays the record; this table is for display).
- ``signoff_roles``: up to three roles of a sign-off (assessor, reviewer, approver) with name,
  title, statement and time. Existing finalized assessments get no rows: their single
  ``finalized_by`` is read as the approver (``domain.review.legacy_signoff``), so their stored
  data and fingerprints stay exactly as they were.
- ``signoff_settings``: per assessment, whether the four-eyes rule is relaxed (no row: not).

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _assessment() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "assessment_id",
        sa.Integer,
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "answer_reviews",
        _assessment(),
        sa.Column("subcategory_id", sa.String(100), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=True),
    )
    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Integer,
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("subcategory_id", sa.String(100), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_review_comments_assessment_sub", "review_comments", ["assessment_id", "subcategory_id"]
    )
    op.create_table(
        "signoff_roles",
        _assessment(),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=True),
    )
    op.create_table(
        "signoff_settings",
        _assessment(),
        sa.Column("four_eyes_relaxed", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("signoff_settings")
    op.drop_table("signoff_roles")
    op.drop_index("ix_review_comments_assessment_sub", table_name="review_comments")
    op.drop_table("review_comments")
    op.drop_table("answer_reviews")
