"""Where data lives: the platform's folders unless AIRMF_DATA_DIR or --db says otherwise."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from app.config import paths


def test_without_an_override_the_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.ENV_DATA, raising=False)
    monkeypatch.delenv(paths.ENV_DB, raising=False)
    app = paths.APP_NAME
    assert paths.default_data_dir() == Path(platformdirs.user_data_dir(app, appauthor=False))
    assert paths.default_cache_dir() == Path(platformdirs.user_cache_dir(app, appauthor=False))
    assert paths.log_file() == (
        Path(platformdirs.user_log_dir(app, appauthor=False)) / paths.LOG_FILE_NAME
    )
    assert paths.resolve().sqlite_path == paths.default_data_dir() / paths.DB_FILE_NAME


def test_an_override_replaces_every_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.ENV_DATA, str(tmp_path))
    assert paths.default_data_dir() == tmp_path
    assert paths.default_cache_dir() == tmp_path / "cache"
    assert paths.log_file() == tmp_path / "logs" / paths.LOG_FILE_NAME
    monkeypatch.setenv(paths.ENV_DB, str(tmp_path / "x.sqlite3"))
    located = paths.resolve()
    assert located.sqlite_path == tmp_path / "x.sqlite3"
    assert located.evidence_dir == tmp_path / "evidence"
