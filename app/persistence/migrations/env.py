"""Alembic environment: runs on the connection handed over by app.persistence.database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from app.persistence.rows import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    # Command-line use (`alembic -x url=... upgrade head`) for developers.
    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
