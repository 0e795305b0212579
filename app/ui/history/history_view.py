"""Change history table of an assessment or one subcategory, and a check of its hash chain.

Public API::

    view = HistoryView(ctx, background=None, parent=None)
    view.load(assessment_id, "GOVERN 1.1")   # one subcategory (plus sign-off / reopen events)
    view.load(assessment_id, None)           # every entry of the assessment

Columns: #, when (local time), who, subcategory ("Whole assessment" for sign-off events),
field, old value, new value; long values are elided, the full stored text is in the tooltip.
"Verify chain" runs ``AnswerService.check_history`` and says whether the whole chain is intact,
names the first broken entry (also marked ⚠ in the table), and says whether entries were
deleted (the chain ends before its stored head) or answers were changed outside the history.
Both load and verify run off the UI thread; ``loaded`` and ``verified`` are emitted when done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import HistoryEntry
from app.domain.comparison import Change
from app.domain.days import format_local_time
from app.services.answers import AnswerService
from app.services.context import ServiceContext
from app.services.errors import NotFound
from app.services.lifecycle import ASSESSMENT_EVENT
from app.ui.history.history_model import Column, HistoryModel, field_name
from app.ui.progress.changes import change_color
from app.ui.progress.widgets import message_line, read_only_table, subtitle
from app.ui.style import error_color, heading
from app.ui.workers import Background, LatestLoad


@dataclass(frozen=True)
class _Loaded:
    name: str
    subcategory: str | None
    entries: list[HistoryEntry]
    # Subcategory id -> its Playbook suggested actions (how "actions in place" reads).
    actions: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifyResult:
    """``total`` entries; the first ``broken`` one; ``problems``: every problem found (the
    broken entry, deleted or added entries, answers that differ from their history)."""

    total: int
    broken: HistoryEntry | None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.problems


def _fetch(ctx: ServiceContext, assessment_id: int, subcategory: str | None) -> _Loaded:
    answers = AnswerService(ctx)
    assessment = answers.assessments.get(assessment_id)
    everything = answers.history(assessment_id)
    try:
        framework = answers.assessments.framework_for(assessment)
    except NotFound:  # a framework no longer installed: the history still shows, by number
        framework = None
    actions = {
        s.id: s.guidance.suggested_actions
        for s in (framework.subcategories() if framework else ())
        if s.guidance
    }
    if subcategory is None:
        return _Loaded(assessment.name, None, everything, actions)
    if subcategory == ASSESSMENT_EVENT:
        wanted = ASSESSMENT_EVENT
    else:
        wanted = answers.resolve_subcategory(
            answers.assessments.framework_for(assessment), subcategory
        )
    entries = [e for e in everything if e.subcategory_id in (wanted, ASSESSMENT_EVENT)]
    return _Loaded(assessment.name, wanted, entries, actions)


def _verify(ctx: ServiceContext, assessment_id: int) -> VerifyResult:
    check = AnswerService(ctx).check_history(assessment_id)
    return VerifyResult(check.entries, check.broken, tuple(check.problems()))


def verify_message(result: VerifyResult) -> str:
    if result.broken is None and result.problems:
        listed = "; ".join(result.problems[:3])
        more = len(result.problems) - 3
        tail = f"; and {more} more (airmf history verify)" if more > 0 else ""
        return f"✖ The change history does NOT verify: {listed}{tail}."
    if result.broken is None:
        n = "1 entry is" if result.total == 1 else f"all {result.total} entries are"
        if result.total == 0:
            return "✔ Nothing recorded yet: the history is empty, so there is nothing to verify."
        return f"✔ The change history verifies: {n} intact and in order."
    e = result.broken
    where = "the whole assessment" if e.subcategory_id == ASSESSMENT_EVENT else e.subcategory_id
    when = format_local_time(e.at, seconds=True)
    before = f" Entries 1 to {e.seq - 1} are intact." if e.seq > 1 else ""
    return (
        f"✖ The change history does NOT verify: it is broken at entry {e.seq} "
        f"({where}, {field_name(e)}, recorded {when} by {e.actor}). That entry, or its link to "
        f"the entry before it, was changed after it was recorded.{before}"
    )


class HistoryView(QWidget):
    """See the module docstring."""

    loaded = Signal()
    verified = Signal()

    def __init__(
        self,
        ctx: ServiceContext,
        background: Background | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background or Background(self)
        self.assessment_id: int | None = None
        self.subcategory: str | None = None
        self.last_result: VerifyResult | None = None
        self._loads = LatestLoad(self, self.background)
        self._verifies = LatestLoad(self, self.background)
        self.setObjectName("historyView")
        self.setAccessibleName("Change history")

        self.title = heading("Change history", factor=1.3, parent=self)
        self.title.setObjectName("historyTitle")
        self.intro = subtitle(
            "Every change is appended to a hash chain and never edited. Hover a value to read "
            "it in full.",
            self,
        )
        self.message = message_line(self, "historyMessage")
        self.model = HistoryModel(self)
        self.table = read_only_table(self, "historyTable", "Change history entries")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in (
            (Column.SEQ, 56),
            (Column.WHEN, 160),
            (Column.WHO, 120),
            (Column.SUBCATEGORY, 130),
            (Column.FIELD, 190),
        ):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(Column.OLD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.NEW, QHeaderView.ResizeMode.Stretch)

        self.verify_button = QPushButton("&Verify chain", self)
        self.verify_button.setObjectName("historyVerify")
        self.verify_button.setAccessibleName("Verify the history's hash chain")
        self.verify_button.setToolTip(
            "Recompute every entry's hash to check that no entry of this assessment's history "
            "was altered or removed"
        )
        # Its natural size: alone on its row (before a result shows), it would span the window.
        self.verify_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.result = message_line(self, "historyVerifyResult")
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.result, 1)

        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addLayout(row)

        self.verify_button.clicked.connect(self.verify)
        self.verify_button.setEnabled(False)

    def load(self, assessment_id: int, subcategory_id: str | None) -> None:
        """Show the history of one subcategory (with sign-off events), or of everything."""
        self.assessment_id, self.subcategory = assessment_id, subcategory_id
        self._verifies.cancel()  # a verification still running was of what was shown before
        self.result.setVisible(False)
        self.last_result = None
        self._say("Loading the history…")
        ctx = self.ctx
        self._loads.run(
            lambda: _fetch(ctx, assessment_id, subcategory_id), self._loaded, self._failed
        )

    def _loaded(self, loaded: _Loaded) -> None:
        self.subcategory = loaded.subcategory
        self.model.set_entries(loaded.entries, loaded.actions)
        if loaded.subcategory in (None, ASSESSMENT_EVENT):
            self.title.setText(f"Change history: {loaded.name}")
        else:
            self.title.setText(f"Change history: {loaded.subcategory} in {loaded.name}")
        if not loaded.entries:
            what = loaded.subcategory or "this assessment"
            self._say(f"No change has been recorded for {what} yet.")
        else:
            self._say("")
        self.verify_button.setEnabled(True)
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.model.set_entries([])
        self.verify_button.setEnabled(False)
        self._say(f"The history could not be shown: {exc}")
        self.loaded.emit()

    def verify(self) -> None:
        """Check the assessment's whole chain off the UI thread and show the outcome."""
        if self.assessment_id is None:
            return
        aid, ctx = self.assessment_id, self.ctx
        self.verify_button.setEnabled(False)
        self.result.setText("Verifying…")
        self.result.setVisible(True)
        self._verifies.run(lambda: _verify(ctx, aid), self._verified, self._verify_failed)

    def _verified(self, result: VerifyResult) -> None:
        self.last_result = result
        self.verify_button.setEnabled(True)
        pal = self.result.palette()
        ok = result.ok
        color = change_color(Change.IMPROVED, pal) if ok else error_color(pal)
        if color is not None:
            pal.setColor(QPalette.ColorRole.WindowText, color)
        self.result.setPalette(pal)
        self.result.setText(verify_message(result))
        self.result.setAccessibleName(verify_message(result))
        self.model.mark_broken(result.broken.seq if result.broken else None)
        if result.broken is not None:
            row = self.model.row_of(result.broken.seq)
            if row is not None:
                self.table.scrollTo(self.model.index(row, 0))
                self.table.selectRow(row)
        self.verified.emit()

    def _verify_failed(self, exc: Exception) -> None:
        self.verify_button.setEnabled(True)
        self.result.setText(f"The history could not be verified: {exc}")
        self.verified.emit()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
