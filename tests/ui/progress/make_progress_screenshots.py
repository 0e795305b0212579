"""Render the portfolio, trend and compare views at 1280x800 into docs/screenshots (on demand).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python tests/ui/progress/make_progress_screenshots.py``
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from app.services.answers import AnswerService  # noqa: E402
from app.services.assessments import AssessmentService  # noqa: E402
from app.services.bootstrap import open_services  # noqa: E402
from app.services.lifecycle import LifecycleService  # noqa: E402
from app.services.sample import create_sample  # noqa: E402
from app.ui.progress.compare import CompareView  # noqa: E402
from app.ui.progress.portfolio import PortfolioView  # noqa: E402
from app.ui.progress.system_trend import SystemTrendView  # noqa: E402
from app.ui.workers import Background  # noqa: E402

OUT = REPO / "docs" / "screenshots"
CODES = "LMH"


def _at(ctx, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    moment = dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=dt.UTC)
    ctx.clock = lambda: moment


def _improve(ctx, aid: int, rng: random.Random, steps: int, regress: int) -> None:  # type: ignore[no-untyped-def]
    ans = AnswerService(ctx)
    framework = ctx.catalog.framework("nist-ai-rmf-1.0")
    subs = [s.id for f in framework.functions for c in f.categories for s in c.subcategories]
    current = AssessmentService(ctx).answers(aid)
    for sub in rng.sample(subs, steps):
        old = current.get(sub)
        base = [
            CODES.index(old.metrics[k]) if old and old.metrics else 0
            for k in ("coverage", "robustness", "input_diversity")
        ]
        new = [min(2, b + rng.choice((0, 1, 1))) for b in base]
        ans.record(
            aid,
            sub,
            metrics=dict(
                zip(
                    ("coverage", "robustness", "input_diversity"),
                    (CODES[n] for n in new),
                    strict=True,
                )
            ),
        )
    for sub in rng.sample([s for s in subs if s in current and current[s].metrics], regress):
        ans.record(aid, sub, metrics={"coverage": "L", "robustness": "L", "input_diversity": "L"})


def build(ctx) -> tuple[str, list[int]]:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    life = LifecycleService(ctx)
    _at(ctx, dt.date(2024, 11, 4))
    first = create_sample(ctx)
    ids = [first.id]
    for day, name in (
        (dt.date(2025, 3, 3), "Q1 2025 review"),
        (dt.date(2025, 7, 1), "Mid-year 2025 review"),
        (dt.date(2025, 11, 10), "Annual review 2025"),
    ):
        _at(ctx, day)
        nxt = life.start_next_cycle(ids[-1], name, from_draft=True).id
        _improve(ctx, nxt, rng, steps=18, regress=2)
        if name.startswith("Mid"):
            AnswerService(ctx).record(
                nxt,
                "MEASURE 2.11",
                not_applicable=True,
                na_rationale="Fairness testing moved to the vendor",
            )
        ids.append(nxt)
    life.finalize(ids[2], "Dana Whitfield", "Chief Risk Officer", "Reviewed with the board")
    for system, days in (
        ("Loan default scorer", (dt.date(2024, 9, 2), dt.date(2025, 2, 3), dt.date(2025, 9, 1))),
        ("Resume screening assistant", (dt.date(2025, 1, 20), dt.date(2025, 6, 16))),
        ("Fraud detection model", (dt.date(2025, 5, 5),)),
    ):
        prev = None
        for i, day in enumerate(days):
            _at(ctx, day)
            if prev is None:
                prev = (
                    AssessmentService(ctx)
                    .create(
                        {"name": f"{system} {day.year}", "ai_system": system, "default_target": 3}
                    )
                    .id
                )
                _improve(ctx, prev, rng, steps=30, regress=0)
            else:
                name = f"{system} {day.isoformat()}"
                prev = life.start_next_cycle(prev, name, from_draft=True).id
                _improve(ctx, prev, rng, steps=3 if i == 2 else 12, regress=9 if i == 2 else 1)
    ctx.clock = lambda: dt.datetime.now(dt.UTC)
    return first.ai_system, ids


def _shot(app: QApplication, widget: QWidget, name: str, until) -> None:  # type: ignore[no-untyped-def]
    widget.resize(1280, 800)
    widget.show()
    widget.activateWindow()
    for _ in range(500):
        app.processEvents()
        if until():
            break
        import time

        time.sleep(0.01)
    widget.setFocus()
    app.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_services(str(Path(tmp) / "shots.sqlite3"))
        ctx.actor = "dana"
        system, ids = build(ctx)
        bg = Background()
        done: list[str] = []
        portfolio = PortfolioView(ctx, bg)
        # The sample and its next cycles are not cycles of a real AI system: shown on request.
        portfolio.include_copies.setChecked(True)
        portfolio.loaded.connect(lambda: done.append("p"))
        portfolio.refresh()
        _shot(app, portfolio, "portfolio.png", lambda: "p" in done)
        trend = SystemTrendView(ctx, bg)
        trend.include_copies.setChecked(True)
        trend.loaded.connect(lambda: done.append("t"))
        trend.load(system)
        _shot(app, trend, "trend.png", lambda: "t" in done)
        compare = CompareView(ctx, bg)
        compare.loaded.connect(lambda: done.append("c"))
        compare.load(ids[1], ids[2])
        _shot(app, compare, "compare.png", lambda: "c" in done)
        bg.wait()
        ctx.db.dispose()


if __name__ == "__main__":
    main()
