"""The repositories, imported on first use: they bring SQLAlchemy, which the first screen does
without (it reads through ``app.persistence.snapshot``). ``lazy_repositories.X`` is
``repositories.X``."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    from app.persistence import repositories

    return getattr(repositories, name)
