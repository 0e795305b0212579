"""Optimistic versioning per answer: ``answers.version`` and ``answers.field_versions``.

- ``version``: the number of saves of the answer; every save states the version it was based
  on, and a save based on an older one is merged or refused (``AnswerService.record``).
- ``field_versions``: JSON object, field name -> the version that last changed that field, so
  that a stale save can tell which fields another writer changed after its base.

Existing answers start at version 0 with no field changed since: a save based on version 0 (or
on none) applies to them as before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding columns with a constant default: SQLite and PostgreSQL both do it in place (no
    # table rebuild, so the answers' triggers and foreign keys are untouched).
    op.add_column(
        "answers", sa.Column("version", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column(
        "answers", sa.Column("field_versions", sa.Text, nullable=False, server_default="{}")
    )


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("field_versions")
        batch.drop_column("version")
