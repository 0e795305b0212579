"""The report's dates are the reader's local days (issue 11): overdue marks, report date, footer.

At 02:00 UTC on 1 February 2027 it is still 31 January, 18:00, in Los Angeles: an item due on
31 January is not overdue there and the report is dated 31 January; in Kiritimati (UTC+14),
Kolkata and UTC it is 1 February and the item is overdue. The clock is fixed (the service
context's ``clock``), the time zone set through ``TZ``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from report_helpers import make_two_cycles, read_pdf, rubric
from zones import local_zone

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService

NOW = dt.datetime(2027, 2, 1, 2, 0, tzinfo=dt.UTC)
DUE = dt.date(2027, 1, 31)
# zone -> (local day at NOW, local time with offset as printed, overdue?)
ZONES = {
    "America/Los_Angeles": ("2027-01-31", "2027-01-31 18:00 UTC−08:00", False),
    "Pacific/Kiritimati": ("2027-02-01", "2027-02-01 16:00 UTC+14:00", True),
    "UTC": ("2027-02-01", "2027-02-01 02:00 UTC+00:00", True),
    "Asia/Kolkata": ("2027-02-01", "2027-02-01 07:30 UTC+05:30", True),
}


@pytest.fixture(params=sorted(ZONES))
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    with local_zone(request.param) as name:
        yield name


def test_overdue_and_dates_follow_the_local_day(ctx, zone: str) -> None:  # type: ignore[no-untyped-def]
    day, moment, overdue = ZONES[zone]
    ctx.clock = lambda: NOW
    aid = AssessmentService(ctx).create({"name": "Days", "ai_system": "Loan scorer"}).id
    AnswerService(ctx).record(
        aid, "GOVERN 1.1", metrics=rubric("L", "L", "L"), owner="Risk office", due_date=DUE
    )
    service = ReportService(ctx)
    pdf = read_pdf(service.render(service.build(aid)))

    assert f"generated {day}" in pdf.pages[0]  # the footer
    assert f"Report date {moment}" in pdf.text
    assert f"Assessment created / changed {moment} / {moment}" in pdf.text
    gap_item = pdf.text[pdf.text.rindex("GOVERN 1.1 · gap") :][:600]
    assert "Due: 2027-01-31" in gap_item
    assert ("(overdue)" in gap_item) is overdue
    assert service.default_file_name(aid).endswith(f"-{day}.pdf")


def test_cycle_dates_in_the_progress_section_are_local_days(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Both cycles were created at 02:00 UTC on 1 February: in Los Angeles that is 31 January."""
    with local_zone("America/Los_Angeles"):
        ctx.clock = lambda: NOW
        _first, second = make_two_cycles(ctx, tmp_path)
        report = ReportService(ctx).build(second)
    assert report.progress is not None
    assert {row.created for row in report.progress.trend} == {DUE}
