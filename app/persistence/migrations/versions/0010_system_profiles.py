"""The AI-system profile kept with each assessment (issue 14).

- ``system_profiles``: one row per assessment that has a profile (risk tier, intended use,
  lifecycle stage, model type and vendor, data categories, affected populations), as JSON text
  validated by ``app.domain.system_profile.SystemProfile``. Deleted with its assessment.
  Existing assessments have no row: their profile is empty until someone fills it in.

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "system_profiles",
        sa.Column(
            "assessment_id",
            sa.Integer,
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("profile", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("system_profiles")
