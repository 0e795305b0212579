"""SQLAlchemy rows, the engine and session factory, repositories and Alembic migrations."""
