"""Migration 0005 on the previous schema's fixture: existing answers start at version 0 with
no field changed since, so a save based on none or on version 0 applies as before, and the
history still verifies."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.services.errors import Conflict

FIXTURE = Path(__file__).with_name("fixtures") / "schema-0004.sqlite3"


def test_existing_answers_start_at_version_zero(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    try:
        answers = AnswerService(ctx)
        assert answers.versions(1) == {"GOVERN 1.1": 0, "MAP 1.1": 0}
        answers.record(1, "GOVERN 1.1", base_version=0, notes="After the upgrade")
        answers.record(1, "MAP 1.1", owner="Dana")
        assert answers.versions(1) == {"GOVERN 1.1": 1, "MAP 1.1": 1}
        # A stale save based on the migrated version merges or conflicts like any other.
        assert answers.record(1, "GOVERN 1.1", base_version=0, owner="Sam").owner == "Sam"
        with pytest.raises(Conflict):
            answers.record(1, "GOVERN 1.1", base_version=0, notes="stale")
        assert answers.check_history(1).ok
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version, field_versions FROM answers ORDER BY id").fetchall() == [
        (2, '{"notes":1,"owner":2}'),
        (1, '{"owner":1}'),
    ]
    con.close()
