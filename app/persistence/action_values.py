"""Stored remediation actions to models, without SQLAlchemy: shared by the repository
(``app.persistence.actions``) and the read on the sqlite3 driver that the window uses while
it shows its first screen (``read_actions``; SQLAlchemy's import is left for later)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import ValidationError

from app.domain.actions import ACTION_FIELDS, RemediationAction
from app.persistence.errors import DatabaseError

# The stored columns that are model fields of the same name (``evidence`` is JSON besides).
VALUES = (
    "uid",
    "subcategory_id",
    *(f for f in ACTION_FIELDS if f != "evidence"),
    "created_at",
    "updated_at",
)
_SELECT = f"SELECT {', '.join(VALUES)}, evidence FROM remediation_actions WHERE assessment_id = ?"


def to_action(values: dict[str, Any]) -> RemediationAction:
    """A model from stored values (``evidence`` a list of dicts). Validated again: only a
    change made outside the app can fail, and it raises DatabaseError naming the action."""
    try:
        return RemediationAction.model_validate(values)
    except ValidationError as exc:
        raise DatabaseError(
            "the database",
            f"remediation action {values.get('uid')} holds a value the app does not accept "
            f"(changed outside the app?): {exc.errors()[0].get('msg', exc)}",
        ) from exc


def read_actions(
    con: sqlite3.Connection, assessment_id: int, subcategory_id: str | None = None
) -> list[RemediationAction]:
    """The actions of an assessment (or of one subcategory) in order of creation, read on
    the sqlite3 driver. Values convert as the column types do (text dates and times, 0/1)."""
    query, params = _SELECT, [assessment_id]
    if subcategory_id is not None:
        query += " AND subcategory_id = ?"
        params.append(subcategory_id)
    out = []
    for row in con.execute(query + " ORDER BY position", params):
        values = dict(zip(VALUES, row[:-1], strict=True))
        values["carried_over"] = bool(values["carried_over"])
        values["evidence"] = json.loads(row[-1]) if row[-1] else []
        out.append(to_action(values))
    return out


def read_unit_actions(
    unit: Any, assessment_id: int, subcategory_id: str | None = None
) -> list[RemediationAction]:
    """The actions of an assessment (or of one subcategory) in order of creation, read in a
    unit of the store (``store.StoreReading``/``StoreWriting``): on its sqlite3 connection when
    it has one (no SQLAlchemy, same transaction), else through the repository on its connection."""
    if isinstance(unit.connection, sqlite3.Connection):
        return read_actions(unit.connection, assessment_id, subcategory_id)
    from app.persistence.actions import ActionRepository

    return unit.part(ActionRepository).list(assessment_id, subcategory_id)
