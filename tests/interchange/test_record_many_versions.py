"""``AnswerService.record_many`` with base versions and a source file: the batch save the
workbook import applies through (one transaction, conflicts refused whole)."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.limits import NAME_MAX
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import Conflict


@pytest.fixture
def aid(ctx: Any) -> int:
    return AssessmentService(ctx).create({"name": "Batch"}).id


def test_a_field_changed_after_the_base_version_refuses_the_whole_batch(ctx: Any, aid: int) -> None:
    answers = AnswerService(ctx)
    answers.record(aid, "GOVERN 1.1", notes="v1")
    base = answers.versions(aid)["GOVERN 1.1"]
    answers.record(aid, "GOVERN 1.1", notes="changed meanwhile")
    before = len(answers.history(aid))
    with pytest.raises(Conflict) as info:
        answers.record_many(
            aid,
            [
                ("row 2", "GOVERN 1.1", {"notes": "from the file"}),
                ("row 3", "MAP 1.1", {"owner": "Kim"}),
            ],
            base_versions={"GOVERN 1.1": base, "MAP 1.1": 0},
        )
    assert list(info.value.fields) == ["notes"]
    assert len(answers.history(aid)) == before
    assert answers.get(aid, "MAP 1.1").owner == ""


def test_other_fields_merge_and_the_source_is_named_in_the_history(ctx: Any, aid: int) -> None:
    answers = AnswerService(ctx)
    answers.record(aid, "GOVERN 1.1", notes="v1")
    base = answers.versions(aid)["GOVERN 1.1"]
    answers.record(aid, "GOVERN 1.1", notes="changed meanwhile")
    answers.record_many(
        aid,
        [("row 2", "GOVERN 1.1", {"owner": "Dana"})],
        base_versions={"GOVERN 1.1": base},
        source="returned.xlsx",
    )
    got = answers.get(aid, "GOVERN 1.1")
    assert (got.notes, got.owner) == ("changed meanwhile", "Dana")
    last = answers.history(aid)[-1]
    assert (last.field, last.actor) == ("owner", "tester (from returned.xlsx)")


def test_a_long_file_name_keeps_the_actor_within_the_name_limit(ctx: Any, aid: int) -> None:
    answers = AnswerService(ctx)
    answers.record_many(
        aid, [("row 2", "GOVERN 1.1", {"owner": "Dana"})], source="x" * 400 + ".xlsx"
    )
    actor = answers.history(aid)[-1].actor
    assert len(actor) == NAME_MAX and actor.startswith("tester (from xxx") and actor.endswith("…)")
