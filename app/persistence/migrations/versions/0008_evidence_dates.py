"""Evidence that can go stale, and AI 600-1 actions in place.

- ``evidence_items.as_of``: the calendar day the evidence is "as of" (the period it supports,
  apart from ``added_at``, when it was attached); NULL when not given.
- ``evidence_items.valid_until``: the last calendar day the evidence holds; NULL: it does not
  lapse. See ``app.domain.freshness`` for expired / expiring.
- ``answers.genai_actions_in_place``: JSON list of the AI 600-1 action ids ticked as in place
  (the Playbook's ``actions_in_place`` holds list positions; these are the profile's stable ids).

Existing rows get no dates and no ticks: every answer and its history read as before.

Revision ID: 0008
Revises: 0006 (the lead re-chains the revisions of this session's branches at merge)
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns and a constant default: added in place on SQLite and PostgreSQL (no table
    # rebuild, so triggers and foreign keys are untouched).
    op.add_column("evidence_items", sa.Column("as_of", sa.Date, nullable=True))
    op.add_column("evidence_items", sa.Column("valid_until", sa.Date, nullable=True))
    op.add_column(
        "answers",
        sa.Column("genai_actions_in_place", sa.Text, nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("genai_actions_in_place")
    with op.batch_alter_table("evidence_items") as batch:
        batch.drop_column("valid_until")
        batch.drop_column("as_of")
