"""The store: table definitions, the engine and its transactions, repositories (SQLAlchemy Core)
and Alembic migrations."""
