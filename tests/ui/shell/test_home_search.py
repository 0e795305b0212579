"""The home list's filter compares text the way every search does (app.domain.search.fold)."""

from __future__ import annotations

import pytest

from app.services.assessments import AssessmentService
from app.ui.home.model import Column

pytestmark = pytest.mark.gui

COMPOSED = "Z\u00fcrich"
DECOMPOSED = "Zu\u0308rich"


@pytest.mark.parametrize(("stored", "typed"), [(DECOMPOSED, COMPOSED), (COMPOSED, DECOMPOSED)])
def test_the_list_filter_finds_any_unicode_form(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_window, ui, stored, typed
):
    service = AssessmentService(ctx)
    service.create({"name": f"{stored} branch", "ai_system": "Loan scorer", "assessor": "Ana"})
    service.create({"name": "Geneva branch", "ai_system": "Loan scorer", "assessor": "Bo"})
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    window.home.search.insert(typed.upper())  # as pasted
    assert [r[Column.NAME] for r in ui.home_rows(window)] == [f"{stored} branch"]
