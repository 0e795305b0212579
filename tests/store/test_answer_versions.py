"""Optimistic versioning per answer, on every engine (issue 13, "Concurrency").

Every save states the version it was based on: a stale save merges the fields nobody else
changed since its base, and a field both changed is a Conflict that writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.context import ServiceContext
from app.services.errors import Conflict, InvalidInput

SUB = "GOVERN 1.1"
RATED = {"coverage": "H", "robustness": "H", "input_diversity": "M"}


@pytest.fixture
def store(store_url: str, catalog) -> Iterator[tuple[ServiceContext, int]]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "tester"
    aid = AssessmentService(ctx).create({"name": "Versions", "ai_system": "Loan scorer"}).id
    try:
        yield ctx, aid
    finally:
        ctx.db.dispose()


def test_every_save_counts_a_version(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    answers = AnswerService(ctx)
    assert answers.versions(aid) == {}
    answers.record(aid, SUB, notes="one")
    assert answers.last_version == 1
    answers.record(aid, SUB, base_version=1, owner="Dana")
    assert answers.last_version == 2
    answers.add_link(aid, SUB, "Policy", "https://example.org/p")  # evidence saves count too
    assert answers.versions(aid) == {SUB: 3}
    answers.record(aid, SUB, owner="Dana")  # nothing changed: no new version
    assert answers.last_version == 3 and answers.versions(aid) == {SUB: 3}


def test_stale_save_of_another_field_merges(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    mine, theirs = AnswerService(ctx), AnswerService(ctx)
    mine.record(aid, SUB, notes="first")  # version 1: both writers start from here
    theirs.record(aid, SUB, base_version=1, owner="Sam")  # version 2
    merged = mine.record(aid, SUB, base_version=1, notes="second")
    assert (merged.notes, merged.owner) == ("second", "Sam")
    assert mine.last_version == 3
    stored = mine.get(aid, SUB)
    assert (stored.notes, stored.owner) == ("second", "Sam")
    assert mine.check_history(aid).ok


def test_stale_save_of_the_same_field_is_a_conflict(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    mine, theirs = AnswerService(ctx), AnswerService(ctx)
    mine.record(aid, SUB, notes="first", owner="Dana")
    theirs.record(aid, SUB, base_version=1, notes="theirs")
    history_before = len(mine.history(aid))
    with pytest.raises(Conflict) as caught:
        mine.record(aid, SUB, base_version=1, notes="mine", owner="Kim")
    conflict = caught.value
    assert conflict.fields == {"notes": ("theirs", "mine")}
    assert conflict.version == 2 and conflict.stored.notes == "theirs"
    assert "notes" in str(conflict) and "nothing was written" in str(conflict)
    # Nothing written: not the conflicting field, not the one that would have merged.
    stored = mine.get(aid, SUB)
    assert (stored.notes, stored.owner) == ("theirs", "Dana")
    assert len(mine.history(aid)) == history_before
    assert mine.versions(aid) == {SUB: 2}
    # Keeping mine: saved again based on the version the conflict reported.
    kept = mine.record(aid, SUB, base_version=conflict.version, notes="mine", owner="Kim")
    assert (kept.notes, kept.owner) == ("mine", "Kim")


def test_same_value_from_both_writers_is_no_conflict(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    answers = AnswerService(ctx)
    answers.record(aid, SUB, notes="first")
    answers.record(aid, SUB, base_version=1, notes="agreed")
    assert answers.record(aid, SUB, base_version=1, notes="agreed").notes == "agreed"
    assert answers.versions(aid) == {SUB: 2}


def test_consequence_over_another_writers_field_is_a_conflict(store) -> None:  # type: ignore[no-untyped-def]
    """Choosing a rating clears N/A: over another writer's N/A that is their field too."""
    ctx, aid = store
    answers = AnswerService(ctx)
    answers.record(aid, SUB, notes="first")
    answers.record(aid, SUB, base_version=1, not_applicable=True, na_rationale="Not deployed")
    with pytest.raises(Conflict) as caught:
        answers.record(aid, SUB, base_version=1, metrics=RATED)
    assert "not_applicable" in caught.value.fields
    assert answers.get(aid, SUB).not_applicable is True


def test_new_answer_created_by_two_writers(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    answers = AnswerService(ctx)
    answers.record(aid, SUB, base_version=0, notes="first writer")
    with pytest.raises(Conflict):
        answers.record(aid, SUB, base_version=0, notes="second writer")
    merged = answers.record(aid, SUB, base_version=0, owner="Sam")
    assert (merged.notes, merged.owner) == ("first writer", "Sam")


@pytest.mark.parametrize("bad", [-1, 99, "2", True])
def test_impossible_base_version_is_refused(store, bad) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    answers = AnswerService(ctx)
    answers.record(aid, SUB, notes="first")
    with pytest.raises(InvalidInput):
        answers.record(aid, SUB, base_version=bad, notes="x")
    assert answers.get(aid, SUB).notes == "first"


def test_cli_refuses_a_conflict_naming_the_fields(store_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli.main import main

    def airmf(*args: str) -> tuple[int, str, str]:
        code = main(["--db", store_url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = airmf("assessment", "create", "--name", "Q1", "--system", "Loan scorer")
    assert code == 0, err
    aid = out.strip()
    assert airmf("answer", aid, SUB, "--notes", "first")[0] == 0  # version 1
    assert airmf("answer", aid, SUB, "--notes", "theirs", "--owner", "Sam")[0] == 0  # 2
    # Based on version 1: the owner and the notes were both changed since.
    code, out, err = airmf(
        "answer", aid, SUB, "--notes", "mine", "--owner", "Kim", "--base-version", "1"
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "notes, owner" in err and "version 2" in err
    code, out, _ = airmf("history", aid, SUB, "--json")
    assert code == 0 and '"mine"' not in out
    # A field nobody changed since version 1 merges; no base means the current version.
    assert airmf("answer", aid, SUB, "--target", "4", "--base-version", "1")[0] == 0
    assert airmf("answer", aid, SUB, "--notes", "mine")[0] == 0
    with pytest.raises(SystemExit) as usage:  # argparse's usage error, exit status 2
        airmf("answer", aid, SUB, "--notes", "x", "--base-version", "-1")
    assert usage.value.code == 2 and "is not a version" in capsys.readouterr().err
