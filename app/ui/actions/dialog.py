"""Add or edit one remediation action: every field, checked by the domain's rules before the
dialog closes (the dialog stays open on a refused value, naming it)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.actions import (
    ActionPriority,
    ActionStatus,
    EvidenceRef,
    RemediationAction,
)
from app.domain.assessment import NAME_MAX, EvidenceItem
from app.services.validation import field_sentence, what_is_wrong
from app.ui.questionnaire.date_field import DateField
from app.ui.readable_checks import readable_checks
from app.ui.screen_fit import opening_height
from app.ui.style import error_label, muted
from app.ui.wheel_guard import guard_wheel

_PLACEHOLDER_UID = "0" * 32  # validation of the typed values before the service gives a uid


def _text_box(name: str, accessible: str, parent: QWidget, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


def _combo(name: str, accessible: str, items: list[tuple[str, Any]], parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for label, value in items:
        combo.addItem(label, value)
    guard_wheel(combo)
    return combo


class ActionDialog(QDialog):
    """``action`` None: a new action for ``subcategory_id``; else edit that action.

    ``evidence``: the subcategory's evidence items, offered for linking. After ``accepted``,
    ``values()`` holds the fields to store (only those that differ, when editing).
    """

    def __init__(
        self,
        subcategory_id: str,
        evidence: list[EvidenceItem],
        action: RemediationAction | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.subcategory_id = subcategory_id
        self.original = action
        self._evidence = evidence
        self.setObjectName("actionDialog")
        self.setWindowTitle(
            f"Edit action — {subcategory_id}" if action else f"New action — {subcategory_id}"
        )
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)

        self.title = QLineEdit(self)
        self.title.setObjectName("actionTitle")
        self.title.setAccessibleName("Title")
        self.title.setMaxLength(NAME_MAX)
        self.title.setPlaceholderText("What is to be done (required)")
        self.description = _text_box("actionDescription", "Description", self)
        self.owner = QLineEdit(self)
        self.owner.setObjectName("actionOwner")
        self.owner.setAccessibleName("Owner")
        self.owner.setMaxLength(NAME_MAX)
        self.owner.setPlaceholderText("Who is responsible")
        self.due = DateField("actionDue", "Due date", "YYYY-MM-DD (optional)", self)
        self.priority = _combo(
            "actionPriority", "Priority", [(p.label, p) for p in ActionPriority], self
        )
        self.status = _combo("actionStatus", "Status", [(s.label, s) for s in ActionStatus], self)
        self.rationale = _text_box("actionRationale", "Why the risk is accepted", self, 2)
        self.rationale.setPlaceholderText("Required when the risk is accepted")
        self.notes = _text_box("actionNotes", "Milestone notes", self)
        self.links = QListWidget(self)
        self.links.setObjectName("actionEvidence")
        readable_checks(self.links)
        self.links.setAccessibleName("Linked evidence: tick the items this action relates to")
        linked = action.evidence if action else []
        # Links to items removed from the answer since are listed too (ticked) and kept
        # unless unticked: only the user's tick changes what is linked.
        gone = [r for r in linked if not any(r.matches(item) for item in evidence)]
        self._refs = [EvidenceRef.of(item) for item in evidence] + gone
        for ref in self._refs:
            missing = ref in gone
            row = QListWidgetItem(
                f"{ref.title} (no longer in the evidence)" if missing else ref.title, self.links
            )
            row.setToolTip(ref.url or ref.title)
            row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            on = ref in linked
            row.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.links.setMaximumHeight(self.links.fontMetrics().lineSpacing() * 5 + 12)
        no_evidence = muted(QLabel("No evidence yet: add it under Evidence, then link it.", self))
        no_evidence.setObjectName("actionNoEvidence")
        no_evidence.setWordWrap(True)
        self.links.setVisible(bool(self._refs))
        no_evidence.setVisible(not self._refs)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Title:", self.title)
        form.addRow("&Description:", self.description)
        form.addRow("&Owner:", self.owner)
        form.addRow("D&ue date:", self.due)
        form.addRow("&Priority:", self.priority)
        form.addRow("&Status:", self.status)
        form.addRow("&Rationale:", self.rationale)
        form.addRow("&Milestone notes:", self.notes)
        form.addRow("&Linked evidence:", self.links if self._refs else no_evidence)
        if not self._refs:
            self.links.setParent(self)
            self.links.hide()
        if action is not None and action.source:
            source = muted(QLabel(f"Created from suggestion {action.source}", self))
            source.setObjectName("actionSource")
            form.addRow("", source)
        self.error = error_label(self, "actionError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("actionSave")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)

        if action is not None:
            self.title.setText(action.title)
            self.title.setCursorPosition(0)  # a long title reads from its start
            self.description.setPlainText(action.description)
            self.owner.setText(action.owner)
            self.due.set_date(action.due_date)
            self.priority.setCurrentIndex(self.priority.findData(action.priority))
            self.status.setCurrentIndex(self.status.findData(action.status))
            self.rationale.setPlainText(action.rationale)
            self.notes.setPlainText(action.notes)
        else:
            self.priority.setCurrentIndex(self.priority.findData(ActionPriority.MEDIUM))
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()
        self._checked: RemediationAction | None = None
        self.resize(560, opening_height(self, self.sizeHint().height()))

    def _status_changed(self, *_args: object) -> None:
        accepted = self.chosen_status() is ActionStatus.RISK_ACCEPTED
        self.rationale.setEnabled(accepted or bool(self.rationale.toPlainText().strip()))

    def chosen_status(self) -> ActionStatus:
        """The status chosen (combo data is stored as text by Qt: converted back here)."""
        return ActionStatus(self.status.currentData())

    def _linked(self) -> list[EvidenceRef]:
        return [
            ref
            for row, ref in enumerate(self._refs)
            if self.links.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _typed(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "description": self.description.toPlainText(),
            "owner": self.owner.text().strip(),
            "due_date": self.due.edit.text(),
            "priority": ActionPriority(self.priority.currentData()),
            "status": self.chosen_status(),
            "rationale": self.rationale.toPlainText(),
            "notes": self.notes.toPlainText(),
            "evidence": self._linked(),
        }

    def values(self) -> dict[str, Any]:
        """The checked values to store: all of them for a new action, the changed ones for
        an edit (so that a bulk change made meanwhile is not undone)."""
        checked = self._checked
        assert checked is not None, "values() is read after the dialog was accepted"
        names = (
            "title",
            "description",
            "owner",
            "due_date",
            "priority",
            "status",
            "rationale",
            "notes",
            "evidence",
        )
        out = {n: getattr(checked, n) for n in names}
        if self.original is None:
            return out
        return {n: v for n, v in out.items() if getattr(self.original, n) != v}

    def accept(self) -> None:
        typed = self._typed()
        if not typed["title"]:
            return self._refuse("Give the action a title.", self.title)
        base = self.original.model_dump() if self.original else {}
        try:
            self._checked = RemediationAction.model_validate(
                {
                    **base,
                    **typed,
                    "uid": self.original.uid if self.original else _PLACEHOLDER_UID,
                    "subcategory_id": self.subcategory_id,
                }
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            where = str(err["loc"][0]) if err.get("loc") else ""
            message = what_is_wrong(err)
            field = {
                "due_date": self.due.edit,
                "owner": self.owner,
                "rationale": self.rationale,
                "description": self.description,
                "notes": self.notes,
            }.get(where, self.rationale if "rationale" in message else self.title)
            label = where.replace("_", " ").capitalize() if where else ""
            return self._refuse(field_sentence(label, message) if label else f"{message}.", field)
        super().accept()
        return None

    def _refuse(self, message: str, field: QWidget) -> None:
        self.error.setText(message[:1].upper() + message[1:])
        self.error.setVisible(True)
        if not field.isEnabled():
            field.setEnabled(True)
        field.setFocus()
