"""Shared fixtures. Qt runs offscreen; data goes to a temporary folder, never the user's."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"


@pytest.fixture(autouse=True)
def _no_logged_errors(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """A record logged at ERROR or above fails the test that caused it (a failure swallowed by
    a callback, a bug logged in a worker), unless the test is marked ``logs_errors``."""
    yield
    if request.node.get_closest_marker("logs_errors") is not None:
        return
    errors = [
        record
        for when in ("setup", "call")
        for record in caplog.get_records(when)
        if record.levelno >= logging.ERROR
    ]
    if errors:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in errors)
        pytest.fail(f"errors were logged:\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def _isolated_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user data directory or an AIRMF_DB from the environment."""
    monkeypatch.setenv("AIRMF_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("AIRMF_DB", raising=False)


@pytest.fixture(scope="session")
def catalog():  # type: ignore[no-untyped-def]
    from app.catalog.loader import Catalog

    return Catalog.load()


@pytest.fixture(scope="session")
def framework(catalog):  # type: ignore[no-untyped-def]
    return catalog.framework("nist-ai-rmf-1.0")


@pytest.fixture(scope="session")
def rubric(catalog):  # type: ignore[no-untyped-def]
    return catalog.scheme("rubric")


@pytest.fixture(scope="session")
def direct(catalog):  # type: ignore[no-untyped-def]
    return catalog.scheme("direct")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "assessments.sqlite3"


@pytest.fixture
def ctx(db_path: Path, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from app.services.bootstrap import open_services

    context = open_services(str(db_path), catalog=catalog)
    context.actor = "tester"
    yield context
    context.db.dispose()
