"""The centre panel: one subcategory's statement and every field of its answer (layout only).

The editor shows values and reports what the user did; the controller decides what is saved.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import ANSWER_FIELDS, Answer
from app.domain.days import format_local_time
from app.domain.framework import Framework
from app.domain.rating import RatingScheme
from app.domain.report import function_name
from app.ui.help import SCORING, guide_button
from app.ui.questionnaire.banner import Banner
from app.ui.questionnaire.date_field import DateField
from app.ui.questionnaire.evidence_list import EvidencePanel
from app.ui.questionnaire.rating_widgets import RatingWidget, rating_widget_for
from app.ui.questionnaire.review_panel import ReviewPanel
from app.ui.style import error_label, muted, scaled_font
from app.ui.wheel_guard import guard_wheel

# Saved after a pause in typing; the due date is saved when complete (Enter, Tab, focus out).
TYPED_FIELDS = ("notes", "na_rationale", "owner")
NA_SHORTCUT = "Alt+0"
NOTES_HINT = "What is in place, who said so, what is missing… (saved as you type)"
RATIONALE_HINT = "Why does this subcategory not apply? (required to mark it not applicable)"
OWNER_HINT = "Person or team responsible"
DUE_HINT = "No due date (YYYY-MM-DD)"
FLAG_SHORTCUT = "Ctrl+Shift+F"


def answer_values(answer: Answer) -> dict[str, Any]:
    """The answer's fields as the objects the widgets take (not a serialised dump)."""
    return {f: getattr(answer, f) for f in ANSWER_FIELDS}


def _plain_edit(name: str, accessible: str, placeholder: str, parent: QWidget) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    return edit


class SubcategoryEditor(QScrollArea):
    changed = Signal(dict)  # answer fields the user set (discrete choices)
    typed = Signal()  # notes, rationale or owner edited (saved after a pause)
    na_clicked = Signal(bool)  # the user ticked/unticked "Not applicable"
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subcategoryEditor")
        self.setAccessibleName("Answer of the selected subcategory")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("subcategoryEditorBody")
        self.setWidget(body)
        self._loading = False
        self.scheme: RatingScheme | None = None
        self.rating: RatingWidget | None = None
        self._default_target = 3
        self._edited: set[str] = set()  # typed fields the user changed since they were read

        self.error_banner = Banner("saveErrorBanner", warning=True, parent=body)
        self.retry_button = self.error_banner.add_button(
            "&Retry", "saveRetry", "Save the change that failed again"
        )
        self.dismiss_button = self.error_banner.add_button("Dismiss", "saveDismiss")

        self.context = muted(QLabel(body))
        self.context.setObjectName("subcategoryContext")
        self.context.setWordWrap(True)
        self.heading = QLabel(body)
        self.heading.setObjectName("subcategoryId")
        self.heading.setFont(scaled_font(self.heading, 1.45, bold=True))
        self.statement = QLabel(body)
        self.statement.setObjectName("subcategoryStatement")
        self.statement.setWordWrap(True)
        self.statement.setFont(scaled_font(self.statement, 1.1))
        self.statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.carried = Banner("carriedOverBanner", parent=body)
        self.carried.show_text(
            "Carried over from the previous cycle and not yet reviewed. Any change, or "
            "“Mark reviewed”, confirms it."
        )
        self.carried.setVisible(False)
        self.mark_reviewed = self.carried.add_button(
            "Mark re&viewed", "markReviewed", "Confirm the carried-over answer as it is"
        )

        # Rating ----------------------------------------------------------------------------
        self.rating_box = QGroupBox("Rating", body)
        self.rating_box.setObjectName("ratingBox")
        self.rating_layout = QVBoxLayout(self.rating_box)
        self.clear_rating = QPushButton("Clear rating", self.rating_box)
        self.clear_rating.setObjectName("clearRating")
        self.clear_rating.setAccessibleName("Clear rating")
        self.clear_rating.setToolTip("Make this subcategory unanswered again")
        self.scoring_help = guide_button(SCORING, "rating schemes and scoring", self.rating_box)
        clear_row = QHBoxLayout()
        clear_row.addWidget(self.scoring_help)
        clear_row.addStretch(1)
        clear_row.addWidget(self.clear_rating)
        self.rating_layout.addLayout(clear_row)

        # Not applicable --------------------------------------------------------------------
        self.na_box = QGroupBox("Applicability", body)
        self.na = QCheckBox("&Not applicable to this AI system", self.na_box)
        self.na.setObjectName("notApplicable")
        self.na.setAccessibleName("Not applicable")
        self.na.setToolTip(f"Needs a rationale below   {NA_SHORTCUT}")
        self.rationale = _plain_edit(
            "naRationale",
            "Rationale for not applicable",
            RATIONALE_HINT,
            self.na_box,
        )
        self.rationale.setFixedHeight(self.rationale.fontMetrics().lineSpacing() * 3 + 14)
        self.na_error = error_label(self.na_box, "naError")
        na_layout = QVBoxLayout(self.na_box)
        na_layout.addWidget(self.na)
        na_layout.addWidget(self.rationale)
        na_layout.addWidget(self.na_error)

        # Notes -----------------------------------------------------------------------------
        self.notes_box = QGroupBox("Notes", body)
        self.notes = _plain_edit(
            "notes",
            "Notes",
            NOTES_HINT,
            self.notes_box,
        )
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 7 + 14)
        QVBoxLayout(self.notes_box).addWidget(self.notes)

        # Evidence --------------------------------------------------------------------------
        self.evidence_box = QGroupBox("Evidence", body)
        self.evidence = EvidencePanel(self.evidence_box)
        QVBoxLayout(self.evidence_box).addWidget(self.evidence)

        # Follow-up -------------------------------------------------------------------------
        self.follow_box = QGroupBox("Follow-up", body)
        self.target = QComboBox(self.follow_box)
        self.target.setObjectName("target")
        self.target.setAccessibleName("Target level")
        guard_wheel(self.target)
        self.owner = QLineEdit(self.follow_box)
        self.owner.setObjectName("owner")
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText(OWNER_HINT)
        self.due = DateField("dueDate", "Due date", DUE_HINT, self.follow_box)
        self.flagged = QCheckBox("&Flag for review", self.follow_box)
        self.flagged.setObjectName("flagged")
        self.flagged.setAccessibleName("Flag for review")
        self.flagged.setToolTip(f"Mark this subcategory to come back to   {FLAG_SHORTCUT}")
        form = QFormLayout(self.follow_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        target_label = QLabel("&Target", self.follow_box)
        target_label.setBuddy(self.target)
        owner_label = QLabel("O&wner", self.follow_box)
        owner_label.setBuddy(self.owner)
        form.addRow(target_label, self.target)
        form.addRow(owner_label, self.owner)
        due_label = QLabel("&Due date", self.follow_box)
        due_label.setBuddy(self.due.edit)
        form.addRow(due_label, self.due)
        form.addRow("", self.flagged)

        self.saved_label = muted(QLabel(body))
        self.saved_label.setObjectName("answerSavedAt")
        self.review = ReviewPanel(body)  # review state, actions and comment thread

        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.context)
        layout.addWidget(self.heading)
        layout.addWidget(self.statement)
        layout.addWidget(self.carried)
        layout.addWidget(self.rating_box)
        layout.addWidget(self.na_box)
        layout.addWidget(self.notes_box)
        layout.addWidget(self.evidence_box)
        layout.addWidget(self.follow_box)
        layout.addWidget(self.review)
        layout.addWidget(self.saved_label)
        layout.addStretch(1)

        self.clear_rating.clicked.connect(self._clear_rating)
        self.na.clicked.connect(self._na_clicked)
        self.mark_reviewed.clicked.connect(lambda: self.changed.emit({"carried_over": False}))
        self.target.activated.connect(lambda _i: self._emit({"target": self.target.currentData()}))
        self.flagged.clicked.connect(lambda on: self._emit({"flagged": bool(on)}))
        self.notes.textChanged.connect(lambda: self._typed("notes"))
        self.rationale.textChanged.connect(lambda: self._typed("na_rationale"))
        self.owner.textEdited.connect(lambda _t: self._typed("owner"))
        self.due.committed.connect(lambda due: self._emit({"due_date": due}))
        self.evidence.status_chosen.connect(lambda s: self._emit({"evidence_status": s}))
        self.retry_button.clicked.connect(self.retry_requested)
        self.dismiss_button.clicked.connect(lambda: self.error_banner.show_text(""))
        self.set_enabled_for_answer(False)

    # -- scheme -------------------------------------------------------------------------------
    def set_scheme(self, scheme: RatingScheme, default_target: int) -> None:
        if self.rating is not None:
            self.rating.setParent(None)
            self.rating.deleteLater()
        self.scheme = scheme
        self._default_target = default_target
        self.rating = rating_widget_for(scheme, self.rating_box)
        self.rating.setObjectName("ratingControls")
        self.rating_layout.insertWidget(0, self.rating)
        self.rating.rating_chosen.connect(self._emit)
        self.rating.choice_changed.connect(self._update_enabled)
        # The rating is built after the rest: put it back in reading order for Tab.
        chain = [
            self.mark_reviewed,
            *self.rating.focus_widgets(),
            self.scoring_help,
            self.clear_rating,
            self.na,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.rating_box.setTitle(f"Rating: {scheme.name}")
        self.rating_box.setToolTip(scheme.description)
        self.target.clear()
        default = scheme.level(default_target)
        self.target.addItem(f"Assessment default ({default.value} {default.name})", None)
        for level in scheme.levels:
            self.target.addItem(f"{level.value} {level.name}", level.value)

    # -- showing ------------------------------------------------------------------------------
    def show_answer(self, framework: Framework, answer: Answer) -> None:
        """Show a subcategory and its answer, typed fields included."""
        sub = framework.subcategory(answer.subcategory_id)
        function, category = framework.parents(sub.id)
        self.context.setText(
            f"{function_name(function.id, function.title)}  ›  {category.id}: {category.title}"
        )
        self.heading.setText(sub.id)
        self.statement.setText(sub.text)
        self.heading.setAccessibleName(f"Subcategory {sub.id}")
        self.statement.setAccessibleName(sub.text)
        self.na_error.setVisible(False)
        self.evidence.show_message("")
        self.evidence.clear_link_inputs()
        self.set_enabled_for_answer(True)
        self._edited.clear()
        self.apply_values(answer_values(answer), typed=True)
        self.sync(answer)

    def apply_values(self, values: dict[str, Any], typed: bool = True) -> None:
        """Put field values in the widgets without reporting them as user edits."""
        self._loading = True
        try:
            if typed:
                if "notes" in values and self.notes.toPlainText() != values["notes"]:
                    self.notes.setPlainText(values["notes"])
                if (
                    "na_rationale" in values
                    and self.rationale.toPlainText() != values["na_rationale"]
                ):
                    self.rationale.setPlainText(values["na_rationale"])
                if "owner" in values and self.owner.text() != values["owner"]:
                    self.owner.setText(values["owner"])
            if "due_date" in values:
                self.due.set_date(values["due_date"])
            if "not_applicable" in values:
                self.na.setChecked(bool(values["not_applicable"]))
            if self.rating is not None and ("metrics" in values or "level" in values):
                self.rating.show_rating(values.get("metrics") or {}, values.get("level"))
            if "target" in values:
                self.target.setCurrentIndex(max(0, self.target.findData(values["target"])))
            if "flagged" in values:
                self.flagged.setChecked(bool(values["flagged"]))
            if "evidence_status" in values or "evidence" in values:
                self.evidence.show_evidence(
                    values.get("evidence_status", self.evidence.status.currentData()),
                    values.get("evidence", self.evidence.model.items()),
                )
        finally:
            self._loading = False
        self._update_enabled()

    def sync(self, answer: Answer, fields: set[str] | None = None) -> None:
        """Show what is stored for the non-typed ``fields`` (all of them by default).

        A partial metrics choice (not saved until complete) is kept unless the stored answer
        now has a rating or is not applicable.
        """
        values = {f: v for f, v in answer_values(answer).items() if f not in TYPED_FIELDS}
        if fields is not None:
            values = {f: v for f, v in values.items() if f in fields}
        if not (answer.is_rated or answer.not_applicable):
            values.pop("metrics", None)
            values.pop("level", None)
        if "evidence" in values or "evidence_status" in values:
            values.setdefault("evidence", answer.evidence)
            values.setdefault("evidence_status", answer.evidence_status)
        self.apply_values(values, typed=False)
        self.carried.setVisible(answer.carried_over)
        if answer.updated_at is not None:
            local = format_local_time(answer.updated_at)
            self.saved_label.setText(f"Last changed {local}")
        else:
            self.saved_label.setText("Not answered yet.")

    def take_edits(self, finished: bool = True) -> dict[str, Any]:
        """The typed fields the user changed since the last call, with their values.

        Only these are saved: a field the user did not touch is never sent back, so a value
        another program stored meanwhile is not overwritten by the copy shown here. When the
        user leaves the answer (``finished``), a valid due date typed but not confirmed with
        Enter or Tab counts too; a refused one never does.
        """
        read = {
            "notes": self.notes.toPlainText,
            "na_rationale": self.rationale.toPlainText,
            "owner": self.owner.text,
        }
        # Read only what was edited: notes can be long, and this runs at every navigation.
        edits = {f: read[f]() for f in TYPED_FIELDS if f in self._edited}
        self._edited.clear()
        pending, due = self.due.uncommitted()
        if pending and finished:
            edits["due_date"] = due
        return edits

    def show_na_error(self, text: str) -> None:
        self.na_error.setText(text)
        self.na_error.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for w in (
            self.rating_box,
            self.na,
            self.target,
            self.flagged,
            self.mark_reviewed,
        ):
            w.setEnabled(not read_only)
        for edit in (self.notes, self.rationale):
            edit.setReadOnly(read_only)
        self.owner.setReadOnly(read_only)
        self.due.set_read_only(read_only)
        placeholders = (
            (self.notes, NOTES_HINT, "No notes."),
            (self.rationale, RATIONALE_HINT, "No rationale."),
            (self.owner, OWNER_HINT, "No owner."),
        )
        for edit, editable_hint, read_only_hint in placeholders:
            edit.setPlaceholderText(read_only_hint if read_only else editable_hint)
        self.evidence.set_read_only(read_only)
        self.review.set_read_only(read_only)
        self._update_enabled()

    def set_enabled_for_answer(self, enabled: bool) -> None:
        """Nothing to edit before a subcategory is shown."""
        self.widget().setEnabled(enabled)

    # -- user actions -------------------------------------------------------------------------
    def _emit(self, changes: dict[str, Any]) -> None:
        if not self._loading:
            self.changed.emit(changes)

    def _typed(self, field: str) -> None:
        if not self._loading:
            self._edited.add(field)
            self.typed.emit()

    def _na_clicked(self, checked: bool) -> None:
        if self._loading:
            return
        # The controller re-ticks it once the change is accepted.
        self.na.setChecked(not checked)
        self.na_clicked.emit(checked)

    def _clear_rating(self) -> None:
        if self.rating is not None:
            self._emit(self.rating.clear_changes())

    def _update_enabled(self) -> None:
        read_only = getattr(self, "_read_only", False)
        na = self.na.isChecked()
        if self.rating is not None:
            self.rating.setEnabled(not na and not read_only)
        has_choice = self.rating is not None and self.rating.has_choice()
        self.clear_rating.setEnabled(has_choice and not na and not read_only)
