"""An instant that cannot be shown in the local time zone (year 1 west of UTC, stored before
import refused such dates) never makes a list raise: it is shown in UTC, marked as such."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from zones import local_zone

from app.domain.days import format_day, format_local_time
from app.services.assessments import AssessmentService


@pytest.fixture
def west_of_utc():  # type: ignore[no-untyped-def]
    with local_zone("America/Los_Angeles"):
        yield


def test_local_times_never_raise(west_of_utc) -> None:  # type: ignore[no-untyped-def]
    year_one = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(OverflowError):  # what every surface did before
        year_one.astimezone()
    assert format_local_time(year_one) == "0001-01-01 00:00 UTC"
    assert format_day(year_one) == "0001-01-01"
    late = dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC)
    assert format_day(late).startswith("9999-12-3")
    ordinary = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert format_local_time(ordinary) == "2026-06-01 05:00"


@pytest.mark.gui
def test_the_home_list_shows_a_year_one_instant(ctx, west_of_utc, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from app.ui.home.model import AssessmentListModel, Column

    a = AssessmentService(ctx).create({"name": "Old"})
    con = sqlite3.connect(ctx.location.sqlite_path)
    con.execute(
        "UPDATE assessments SET updated_at = '0001-01-01T00:00:00.000000+00:00', "
        "status = 'finalized', finalized_at = '0001-01-01T00:00:00.000000+00:00'"
    )
    con.commit()
    con.close()
    model = AssessmentListModel()
    model.set_rows(AssessmentService(ctx).list())
    qtmodeltester.check(model)  # every role of every cell, as a repaint asks for them
    row = model.row_of(a.id)
    assert model.data(model.index(row, Column.UPDATED)) == "0001-01-01 00:00 UTC"
    tip = model.data(model.index(row, Column.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "0001-01-01" in tip
