"""Shared evidence files: the content of attached files, in the database (team mode).

- ``evidence_files``: one row per distinct file content, named by its SHA-256 (so identical
  files are stored once), with its size in bytes, the content and when it was first stored.
  A server database keeps its members' files here, so that every member opens, verifies and
  exports the same files. An SQLite database keeps its files in the folder beside it, as
  before: the table exists there too (one schema for both engines) but stays empty.
- PostgreSQL: the content is stored uncompressed out of line (STORAGE EXTERNAL), so that a
  slice of it (``substring``) is read without decompressing the whole value: files are read
  in slices, never whole into memory.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE evidence_files ALTER COLUMN content SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("evidence_files")
