"""Ids never reused, and the origin of each assessment (a cycle, a copy or the sample).

- ``assessments.id`` becomes AUTOINCREMENT on SQLite: reports and exports cite assessment ids,
  and SQLite would otherwise give the id of a deleted last assessment to the next one. SQLite
  cannot add AUTOINCREMENT to a table, so the table is rebuilt (data, indexes and constraints
  kept; ``database.py`` runs upgrades with foreign keys off, so that dropping the old table does
  not cascade to the answers and history, and checks them before committing). PostgreSQL
  sequences never reuse ids: nothing to do there.
- Answer, evidence and history row ids are internal (never shown, exported or cited: history
  entries are cited by their ``seq``) and their rows are only ever deleted with their
  assessment, so they are left as they are.
- ``origin`` ("original", "copy", "sample") and ``copy_of`` (the uid a copy was made from) keep
  duplicates, re-imports and the sample out of an AI system's cycles. Existing rows are
  "original": what they were taken to be before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(
        "assessments",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
    ) as batch:
        batch.add_column(
            sa.Column("origin", sa.String(20), nullable=False, server_default="original")
        )
        batch.add_column(sa.Column("copy_of", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("copy_of")
        batch.drop_column("origin")
