"""Cached score summary per assessment, so that lists do not rescore every assessment.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL means "not computed yet": every existing assessment is rescored on first listing.
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("summary", sa.Text, nullable=True))
    op.create_index("ix_assessments_updated_at", "assessments", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_assessments_updated_at", "assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("summary")
