"""Where data lives: platformdirs defaults, overridden by ``--db`` or ``AIRMF_DB``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.config.redact import redact

APP_NAME = "airmf-assessor"
ENV_DB = "AIRMF_DB"
ENV_DATA = "AIRMF_DATA_DIR"
DB_FILE_NAME = "assessments.sqlite3"
LOG_FILE_NAME = "airmf-gui.log"


def default_data_dir() -> Path:
    """The user's data directory, or ``AIRMF_DATA_DIR`` when set (tests, portable use)."""
    override = os.environ.get(ENV_DATA)
    if override:
        return Path(override)
    from platformdirs import user_data_dir  # imported on use (~9 ms with its tempfile)

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_cache_dir() -> Path:
    """Where copies that can always be rebuilt are kept (the validated catalog): the platform's
    cache folder, or ``AIRMF_DATA_DIR/cache`` when set."""
    override = os.environ.get(ENV_DATA)
    if override:
        return Path(override) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    """The window's log file: the platform's log folder, or ``AIRMF_DATA_DIR/logs`` when set."""
    override = os.environ.get(ENV_DATA)
    if override:
        return Path(override) / "logs" / LOG_FILE_NAME
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False)) / LOG_FILE_NAME


def is_url(value: str) -> bool:
    return "://" in value


@dataclass(frozen=True)
class DataLocation:
    """The database URL and the folders that belong to it."""

    url: str
    sqlite_path: Path | None
    evidence_dir: Path
    backup_dir: Path

    @property
    def display(self) -> str:
        return str(self.sqlite_path) if self.sqlite_path else _redact(self.url)


def _redact(url: str) -> str:
    """Hide a password in a URL before showing it (config.redact, the one helper)."""
    return redact(url)


def resolve(db: str | None = None) -> DataLocation:
    """Resolve ``--db`` (a path or SQLAlchemy URL), else ``AIRMF_DB``, else the default file."""
    raw = db or os.environ.get(ENV_DB) or ""
    if raw and is_url(raw):
        if raw.startswith("sqlite:///") and raw != "sqlite:///:memory:":
            return _for_sqlite_file(Path(raw[len("sqlite:///") :]))
        base = default_data_dir()
        return DataLocation(raw, None, base / "evidence", base / "backups")
    path = Path(raw).expanduser() if raw else default_data_dir() / DB_FILE_NAME
    return _for_sqlite_file(path)


def _for_sqlite_file(path: Path) -> DataLocation:
    path = path.expanduser().absolute()
    folder = path.parent
    return DataLocation(
        url=f"sqlite:///{path}",
        sqlite_path=path,
        evidence_dir=folder / "evidence",
        backup_dir=folder / "backups",
    )
