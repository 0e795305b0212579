"""The window's prediction of a save (same rules as the store) and what an undo writes back."""

from __future__ import annotations

import datetime as dt

from app.domain.assessment import Answer
from app.ui.questionnaire.answer_book import AnswerBook, predict, previous_values

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}
CARRIED = Answer(
    subcategory_id="GOVERN 1.1", metrics=HML, carried_over=True, due_date=dt.date(2027, 1, 1)
)


def test_undo_values_cover_every_field_the_save_touches() -> None:
    assert previous_values(CARRIED, {"target": 4}) == {"target": None, "carried_over": True}
    assert previous_values(CARRIED, {"not_applicable": True, "na_rationale": "x"}) == {
        "not_applicable": False,
        "na_rationale": "",
        "metrics": HML,
        "carried_over": True,
    }
    # Writing the undo values back gives the previous answer, whatever the change was.
    for change in ({"target": 4}, {"metrics": {}}, {"due_date": None}, {"carried_over": False}):
        after = predict(CARRIED, change)
        assert predict(after, previous_values(CARRIED, change)) == CARRIED


def test_the_view_applies_each_queued_save_in_turn() -> None:
    """An undo that puts the mark back, then a new change: the mark is cleared again."""
    book = AnswerBook({"GOVERN 1.1": CARRIED.model_copy(update={"carried_over": False})})
    first = book.begin("GOVERN 1.1", {"target": None, "carried_over": True})  # an undo
    assert book.view("GOVERN 1.1").carried_over
    book.begin("GOVERN 1.1", {"flagged": True})  # a change after it
    assert not book.view("GOVERN 1.1").carried_over
    book.fail("GOVERN 1.1", first)
    view = book.view("GOVERN 1.1")
    assert view.flagged and not view.carried_over
