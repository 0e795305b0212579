"""Tamper evidence: the history chain's head stored with each assessment; compact history entries.

- ``assessments.history_count`` / ``history_head``: the number of history entries and the last
  one's hash, computed here from each assessment's history (then moved by every append), so
  that deleting the newest entries is detected.
- ``answer_history.old`` becomes nullable: new entries store only the new value (the old one is
  the previous entry's). Existing entries are kept exactly as recorded, old text included: their
  hashes cover it, and re-hashing them here would erase the very evidence the chain exists for.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_TRIGGER = (
    "CREATE TRIGGER answer_history_append_only BEFORE UPDATE ON answer_history "
    "BEGIN SELECT RAISE(ABORT, 'the answer history is append-only'); END"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("history_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("history_head", sa.String(64), nullable=False, server_default=GENESIS)
        )
    # The head is the last entry (highest seq): its seq and hash. An intact chain numbers its
    # entries 1..n, so the seq is the count; a gap already there stays visible as a break.
    op.execute(
        "UPDATE assessments SET "
        "history_count = COALESCE((SELECT MAX(h.seq) FROM answer_history AS h "
        "WHERE h.assessment_id = assessments.id), 0), "
        f"history_head = COALESCE((SELECT h.entry_hash FROM answer_history AS h "
        "WHERE h.assessment_id = assessments.id ORDER BY h.seq DESC LIMIT 1), "
        f"'{GENESIS}')"
    )
    if sqlite:
        # SQLite changes a column's nullability by rebuilding the table, which drops its
        # triggers: the append-only trigger is put back on the new table.
        op.execute("DROP TRIGGER IF EXISTS answer_history_append_only")
    with op.batch_alter_table("answer_history") as batch:
        batch.alter_column("old", existing_type=sa.Text, nullable=True)
    if sqlite:
        op.execute(_TRIGGER)


def downgrade() -> None:
    # ``old`` stays nullable: filling compact entries with text would break their hashes.
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("history_head")
        batch.drop_column("history_count")
