"""Fixtures for the report tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def module_ctx(tmp_path_factory, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A service context shared by the tests of one module (reports are slow to build)."""
    from app.services.bootstrap import open_services

    folder = tmp_path_factory.mktemp("report-db")
    context = open_services(str(folder / "assessments.sqlite3"), catalog=catalog)
    context.actor = "tester"
    yield context
    context.db.dispose()
