"""The first listing after an upgrade or a large import rescores every assessment off the UI
thread, and the home page shows how far it got."""

from __future__ import annotations

from sqlalchemy import text

from app.services import assessments as assessments_module
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


def _stale(ctx, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    ids = []
    for i in range(n):
        aid = AssessmentService(ctx).create({"name": f"Q{i}", "ai_system": "S"}).id
        AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=HML)
        ids.append(aid)
    with ctx.db.write() as s:
        s.execute(text("UPDATE assessments SET summary = NULL"))
    return ids


def test_list_reports_progress_per_batch(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _stale(ctx, 5)
    monkeypatch.setattr(assessments_module, "SUMMARY_BATCH", 2)
    seen: list[tuple[int, int]] = []
    listed = AssessmentService(ctx).list(progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert {row.overall.score for row in listed} == {3.0}
    seen.clear()
    AssessmentService(ctx).list(progress=lambda done, total: seen.append((done, total)))
    assert seen == []  # cached now: nothing to rescore, nothing reported


def test_home_page_shows_the_rescoring_count(make_window, ctx, ui, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _stale(ctx, 3)
    window = make_window()
    ui.home_loaded(window)
    home = window.home
    # While loading: the loading text tells what is happening and how far it got.
    home.stack.setCurrentWidget(home.loading)
    home.rescoring.emit(50, 1600)
    assert home.loading.text() == "Updating the scores of 1,600 assessments… 50 of 1,600 done"
    # A refresh of a list already shown keeps the list and reports in its footer.
    home.stack.setCurrentWidget(home.list_panel)
    home.rescoring.emit(100, 1600)
    assert "100 of 1,600 done" in home.footer.text()
    # The real thing: a refresh with stale summaries emits progress from the worker thread.
    with ctx.db.write() as s:
        s.execute(text("UPDATE assessments SET summary = NULL"))
    reports: list[tuple[int, int]] = []
    home.rescoring.connect(lambda done, total: reports.append((done, total)))
    ui.reload_home(window)
    assert reports == [(3, 3)]
    assert len(ui.home_rows(window)) == 3
