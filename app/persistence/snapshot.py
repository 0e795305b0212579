"""Reads on the sqlite3 driver alone: an assessment and its answers, for opening one.

Opening an assessment (the first screen at start-up among others) reads through here, so that
it needs no SQLAlchemy (whose import costs as much as the rest of the first screen). Values are
converted exactly as the column types convert them (a test compares the results with the
repositories').
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from app.domain.assessment import Answer, Assessment, EvidenceItem, HistoryEntry
from app.persistence.columns import ANSWER_COLUMNS, ASSESSMENT_COLUMNS
from app.persistence.convert import to_answer, to_assessment, to_entry, to_evidence

_GET_ASSESSMENT = f"SELECT {', '.join(ASSESSMENT_COLUMNS)} FROM assessments WHERE id = ?"
# {} : the placeholders of the assessment ids read.
_GET_ANSWERS = (
    f"SELECT {', '.join(ANSWER_COLUMNS)} FROM answers WHERE assessment_id IN ({{}}) ORDER BY id"
)
_GET_VERSIONS = "SELECT subcategory_id, version FROM answers WHERE assessment_id = ?"
_GET_EVIDENCE = (
    "SELECT e.answer_id, e.title, e.url, e.file_name, e.sha256, e.size, e.added_at, "
    "e.as_of, e.valid_until "
    "FROM evidence_items AS e JOIN answers AS a ON a.id = e.answer_id "
    "WHERE a.assessment_id IN ({}) ORDER BY e.answer_id, e.position"
)

_GET_HISTORY = (
    "SELECT seq, subcategory_id, field, old, new, actor, at, prev_hash, entry_hash "
    "FROM answer_history WHERE assessment_id = ? ORDER BY seq"
)


def read_history(con: sqlite3.Connection, assessment_id: int) -> list[HistoryEntry]:
    """The assessment's history entries as stored, in chain order (for the integrity check
    on opening, which must not load SQLAlchemy either)."""
    return [
        to_entry(
            SimpleNamespace(
                seq=seq,
                subcategory_id=sub,
                field=field,
                old=old,
                new=new,
                actor=actor,
                at=dt.datetime.fromisoformat(at),
                prev_hash=prev,
                entry_hash=digest,
            )
        )
        for seq, sub, field, old, new, actor, at, prev, digest in con.execute(
            _GET_HISTORY, (assessment_id,)
        )
    ]


def read_assessment(con: sqlite3.Connection, assessment_id: int) -> Assessment | None:
    row = con.execute(_GET_ASSESSMENT, (assessment_id,)).fetchone()
    if row is None:
        return None
    return to_assessment(
        SimpleNamespace(**dict(zip(ASSESSMENT_COLUMNS, row, strict=True))), raw=True
    )


def read_versions(con: sqlite3.Connection, assessment_id: int) -> dict[str, int]:
    """Subcategory id -> version of every stored answer of the assessment (schema 0005)."""
    return dict(con.execute(_GET_VERSIONS, (assessment_id,)).fetchall())


def read_answers(con: sqlite3.Connection, assessment_id: int) -> dict[str, Answer]:
    """Every stored answer of the assessment with its evidence, by subcategory id."""
    return read_answers_of(con, [assessment_id])[assessment_id]


def read_answers_of(
    con: sqlite3.Connection, assessment_ids: Sequence[int]
) -> dict[int, dict[str, Answer]]:
    """The stored answers of several assessments (id -> subcategory id -> answer), in two
    queries however many they are (rescoring a list after an upgrade reads them all)."""
    ids = list(assessment_ids)
    answers: dict[int, dict[str, Answer]] = {aid: {} for aid in ids}
    if not ids:
        return answers
    marks = ", ".join("?" * len(ids))
    evidence: dict[int, list[EvidenceItem]] = {}
    for answer_id, title, url, file_name, sha256, size, added_at, as_of, until in con.execute(
        _GET_EVIDENCE.format(marks), ids
    ):
        evidence.setdefault(answer_id, []).append(
            to_evidence(
                title, url, file_name, sha256, size, _datetime(added_at), _date(as_of), _date(until)
            )
        )
    for row in con.execute(_GET_ANSWERS.format(marks), ids):
        values = _answer_values(dict(zip(ANSWER_COLUMNS, row, strict=True)))
        answer = to_answer(SimpleNamespace(**values), evidence.get(values["id"], []))
        answers[values["assessment_id"]][answer.subcategory_id] = answer
    return answers


def _answer_values(values: dict[str, Any]) -> dict[str, Any]:
    """Stored text to values, as the column types (JSONText, Boolean, Date, UTCDateTime) do."""
    # Decoded once per distinct text: a database holds a few dozen metric combinations and
    # action lists across ~115,000 answers. Shared values: to_answer copies them.
    values["metrics"] = _shared_json(values["metrics"])
    values["actions_in_place"] = _shared_json(values["actions_in_place"])
    values["genai_actions_in_place"] = _shared_json(values["genai_actions_in_place"])
    values["not_applicable"] = _bool(values["not_applicable"])
    values["flagged"] = _bool(values["flagged"])
    values["carried_over"] = _bool(values["carried_over"])
    values["due_date"] = _date(values["due_date"])
    values["updated_at"] = _datetime(values["updated_at"])
    return values


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@functools.lru_cache(maxsize=1024)
def _shared_json(text: str | None) -> Any:
    """``_json`` for small, often repeated texts; the caller must not change the result."""
    return _json(text)


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _datetime(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)
