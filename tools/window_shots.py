"""Render the main window's pages (home, questionnaire, dashboard, actions, history, portfolio,
trend) at 1366x768 on a fresh sample database, in the light or dark scheme, to PNG files.

    python tools/window_shots.py [light|dark] [OUT_DIR]     # default: light, ./shots

The sample is taken into a second cycle (``enrich``) so that every view has something to show:
remediation actions (some overdue, one carried over from the first cycle), review states with
comments, evidence with dates (one expired), and an AI-system profile. The README's window
screenshots are these files (``docs/screenshots/<page>-<scheme>.png``).

Offscreen (QT_QPA_PLATFORM=offscreen); nothing of the user's data or settings is touched.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.context import ServiceContext

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def enrich(ctx: ServiceContext, sample_id: int) -> int:
    """Take the sample into its next cycle with actions, reviews, dated evidence and a profile;
    return the new cycle's id. Dates are relative to today, so the overdue action and the
    expired evidence stay so whenever this runs. Raises what the services raise."""
    from app.domain.review import ReviewAction
    from app.services.actions import ActionService
    from app.services.answers import AnswerService
    from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
    from app.services.lifecycle import LifecycleService
    from app.services.review import ReviewService

    today = dt.date.today()
    days = dt.timedelta
    ctx.actor = "Dana Okafor"
    ActionService(ctx).add(
        sample_id,
        "GOVERN 1.2",
        title="Publish the model risk policy to every team",
        owner="Dana Okafor",
        due_date=today - days(20),
        priority="high",
    )
    cycle = (
        LifecycleService(ctx)
        .start_next_cycle(sample_id, "Customer support assistant (2nd cycle)", from_draft=True)
        .id
    )
    AssessmentEditor(ctx).edit(
        cycle,
        AssessmentEdit(
            system={
                "risk_tier": "high",
                "intended_use": "Answer customer questions and draft replies for agents",
                "deployment_status": "operate_and_monitor",
                "model_type": "LLM (retrieval-augmented)",
                "model_vendor": "Hosted foundation model",
                "data_categories": ["customer messages", "order history"],
                "affected_populations": ["Customers", "Support agents"],
            }
        ),
    )
    actions = ActionService(ctx)
    for sub, title, owner, due, status in (
        ("GOVERN 1.1", "List the laws that apply to support chat", "Lee Park", -9, "in_progress"),
        ("MAP 1.1", "Document the intended use and its limits", "Sam Ruiz", 14, "planned"),
        (
            "MEASURE 2.5",
            "Measure answer accuracy on past tickets",
            "Sam Ruiz",
            -3,
            "planned",
        ),
        ("MANAGE 1.3", "Write the incident response runbook", "Lee Park", 40, "planned"),
        ("MAP 1.5", "Set the risk tolerance with the business owner", "Dana Okafor", -30, "done"),
    ):
        actions.add(cycle, sub, title=title, owner=owner, due_date=today + days(due), status=status)
    answers = AnswerService(ctx)
    better = {"coverage": "H", "robustness": "M", "input_diversity": "H"}
    for sub in ("GOVERN 1.3", "GOVERN 4.3", "MAP 5.1", "MEASURE 2.2", "MANAGE 1.1"):
        answers.record(cycle, sub, metrics=better, notes="Improved since the first cycle.")
    answers.add_link(
        cycle,
        "GOVERN 1.1",
        "Legal register 2025",
        "https://intranet.example/legal/register",
        as_of=today - days(400),
        valid_until=today - days(35),  # expired
    )
    answers.add_link(
        cycle,
        "GOVERN 1.2",
        "Model risk policy v3",
        "https://intranet.example/policies/model-risk",
        as_of=today - days(60),
        valid_until=today + days(20),  # lapses soon
    )
    answers.add_link(
        cycle,
        "MAP 1.1",
        "Intended use statement",
        "https://intranet.example/ai/support-assistant/use",
        as_of=today - days(10),
        valid_until=today + days(355),
    )
    reviews = ReviewService(ctx)
    ctx.actor = "Sam Ruiz"
    ready = ("GOVERN 1.1", "GOVERN 1.2", "MAP 1.1", "MAP 1.2")
    LifecycleService(ctx).mark_reviewed(cycle, ready)  # carried answers, looked at again
    for sub in ready:
        reviews.act(cycle, sub, ReviewAction.READY)
    ctx.actor = "Lee Park"
    reviews.act(cycle, "GOVERN 1.2", ReviewAction.APPROVE, "Matches the policy on file.")
    reviews.act(cycle, "MAP 1.1", ReviewAction.APPROVE)
    reviews.act(
        cycle,
        "GOVERN 1.1",
        ReviewAction.RETURN,
        "The legal register expired in the spring: attach the current one.",
    )
    ctx.actor = "Sam Ruiz"
    reviews.comment(cycle, "MAP 1.2", "Reviewers: the scope now includes the chat widget.")
    return cycle


def main() -> int:
    scheme = sys.argv[1] if len(sys.argv) > 1 else "light"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="airmf-shots-"))
    os.environ["AIRMF_DATA_DIR"] = str(tmp)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from app.ui.appearance import Appearance

    Appearance.of(app).apply(scheme, 100)  # as the window's View > Appearance sets it
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp / "qsettings"))
    from app.services.bootstrap import open_services
    from app.services.sample import create_sample
    from app.ui.main_window import MainWindow

    ctx = open_services(str(tmp / "shots.sqlite3"))
    ctx.actor = "Dana Okafor"  # the sample names the current actor as its assessor
    sample = create_sample(ctx)
    cycle = enrich(ctx, sample.id)
    settings = QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings, reopen_last=False)
    window.resize(1366, 768)
    window.show()

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str) -> None:
        path = out / f"{name}-{scheme}.png"
        window.grab().save(str(path))
        print(path)

    settle(1.5)
    shot("home")
    window.open_assessment(cycle)
    settle(1.5)
    window.questionnaire.show_subcategory("GOVERN 1.1")
    settle(1.0)
    shot("questionnaire")
    window.show_dashboard()
    settle(2.0)
    shot("dashboard")
    window.show_actions()
    settle(1.5)
    shot("actions")
    window.menus.history_view.trigger()
    settle(1.5)
    history = window.navigation.page("history")
    history.table.scrollToBottom()  # type: ignore[attr-defined]  # the latest changes
    settle(0.3)
    shot("history")
    window.show_progress()
    window.progress.portfolio.include_copies.setChecked(True)  # the sample is all there is
    settle(2.0)
    shot("portfolio")
    window.assessment_actions.trend.trigger()
    settle(2.0)
    shot("trend")
    window.close()
    ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
