"""The "New assessment" dialog: what is assessed, by whom, how it is rated, the GenAI overlay."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import AssessmentMeta
from app.domain.framework import Framework, Profile
from app.domain.rating import RatingScheme
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput
from app.services.validation import field_sentence
from app.ui.readable_checks import readable_checks
from app.ui.screen_fit import opening_height
from app.ui.style import error_label, muted
from app.ui.wheel_guard import guard_wheel

GENAI_PROFILE = "nist-ai-600-1"
DEFAULT_SCHEME = "rubric"
DEFAULT_TARGET = 3

LABELS = {
    "name": "A name",
    "ai_system": "The AI system",
    "organization": "The organisation",
    "scope": "The scope",
    "assessor": "The assessor",
    "scheme_id": "The rating scheme",
    "default_target": "The target level",
    "framework_id": "The framework",
    "profiles": "The GenAI risks",
}


def friendly(field: str, message: str, label: str | None = None) -> str:
    """Turn a validation message (``services.validation``'s words) into a sentence about the
    field it concerns, named by ``label`` (default: its name in this dialog)."""
    if label is None:
        label = LABELS.get(field, "This field") if field else ""
    return field_sentence(label, message)


def split_errors(message: str) -> list[tuple[str, str]]:
    """``"name: msg; ai_system: msg"`` -> [("name", "msg"), ("ai_system", "msg")]."""
    out = []
    for part in message.split("; "):
        field, sep, text = part.partition(": ")
        if sep and field and " " not in field:
            out.append((field.split(".", 1)[0], text))
        else:
            out.append(("", part))
    return out


class NewAssessmentDialog(QDialog):
    """Collects and validates an assessment's metadata. Never closes on invalid input.

    After ``accepted``, ``meta`` holds the validated ``AssessmentMeta``; the caller creates it.
    """

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = AssessmentService(ctx)
        self.meta: AssessmentMeta | None = None
        self.setObjectName("newAssessmentDialog")
        self.setWindowTitle("New assessment")
        self.setAccessibleName("New assessment")
        self.setModal(True)
        self.errors: dict[str, QLabel] = {}

        self.name = self._line("name", "Name", "e.g. Q3 2026 review of the loan scorer")
        self.ai_system = self._line("ai_system", "AI system", "The AI system being assessed")
        self.organization = self._line(
            "organization", "Organisation or business unit", "e.g. Retail Lending"
        )
        self.scope = QPlainTextEdit(self)
        self.scope.setObjectName("scopeEdit")
        self.scope.setAccessibleName("Scope")
        self.scope.setPlaceholderText(
            "What is in and out of scope: components, data, deployment context…"
        )
        self.scope.setTabChangesFocus(True)
        self.scope.setFixedHeight(96)
        self.errors["scope"] = error_label(self, "scopeError")
        self.assessor = self._line("assessor", "Assessor", "Who carries out the assessment")
        self.assessor.setText(ctx.actor)

        self.framework_combo = QComboBox(self)
        guard_wheel(self.framework_combo)
        self.framework_combo.setObjectName("frameworkCombo")
        self.framework_combo.setAccessibleName("Framework")
        for f in ctx.catalog.frameworks():
            self.framework_combo.addItem(f"{f.name} {f.version}", f.id)
        self.framework_combo.setEnabled(self.framework_combo.count() > 1)
        self.errors["framework_id"] = error_label(self, "frameworkError")

        self.scheme_combo = QComboBox(self)
        guard_wheel(self.scheme_combo)
        self.scheme_combo.setObjectName("schemeCombo")
        self.scheme_combo.setAccessibleName("Rating scheme")
        schemes = sorted(ctx.catalog.schemes(), key=lambda s: s.id != DEFAULT_SCHEME)
        for i, s in enumerate(schemes):
            self.scheme_combo.addItem(s.name, s.id)
            self.scheme_combo.setItemData(i, s.description, Qt.ItemDataRole.ToolTipRole)
        self.scheme_help = muted(QLabel(self))
        self.scheme_help.setObjectName("schemeHelp")
        self.scheme_help.setWordWrap(True)
        self.errors["scheme_id"] = error_label(self, "schemeError")

        self.target_combo = QComboBox(self)
        guard_wheel(self.target_combo)
        self.target_combo.setObjectName("targetCombo")
        self.target_combo.setAccessibleName("Default target level")
        self.target_combo.setToolTip(
            "The level each subcategory should reach; it can be changed per subcategory"
        )
        self.errors["default_target"] = error_label(self, "targetError")

        self.genai = QCheckBox("Apply the Generative AI Profile (NIST AI 600-1)", self)
        self.genai.setObjectName("genaiCheck")
        self.genai.setAccessibleName("Apply the Generative AI Profile")
        self.genai.setToolTip(
            "Show the Profile's suggested actions beside each question, for the risks below"
        )
        self.risks = QListWidget(self)
        self.risks.setObjectName("genaiRisks")
        readable_checks(self.risks)
        self.risks.setAccessibleName("GenAI risks that apply")
        self.risks.setMinimumHeight(200)
        self.select_all = QPushButton("Select all", self)
        self.select_all.setObjectName("risksSelectAll")
        self.select_all.setAccessibleName("Select all GenAI risks")
        self.select_none = QPushButton("Clear", self)
        self.select_none.setObjectName("risksSelectNone")
        self.select_none.setAccessibleName("Clear the GenAI risks")
        self.errors["profiles"] = error_label(self, "risksError")
        self.general_error = error_label(self, "generalError")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("newAssessmentButtons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create")
        ok.setObjectName("createButton")
        ok.setAccessibleName("Create the assessment")
        ok.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._layout()
        self.scheme_combo.currentIndexChanged.connect(self._scheme_changed)
        self.framework_combo.currentIndexChanged.connect(self._framework_changed)
        self.genai.toggled.connect(self._genai_toggled)
        self.risks.itemChanged.connect(lambda _item: self._clear_error("profiles"))
        self.select_all.clicked.connect(lambda: self._check_all(True))
        self.select_none.clicked.connect(lambda: self._check_all(False))
        self._framework_changed()
        self._scheme_changed()
        self._genai_toggled(False)
        self.name.setFocus()

    # -- building ---------------------------------------------------------------------------
    def _line(self, field: str, label: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(f"{field}Edit")
        edit.setAccessibleName(label)
        edit.setPlaceholderText(placeholder)
        self.errors[field] = error_label(self, f"{field}Error")
        edit.textEdited.connect(lambda _text, f=field: self._clear_error(f))
        return edit

    def _with_error(self, widget: QWidget, field: str) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.errors[field])
        return box

    def _layout(self) -> None:
        about = QGroupBox("What is assessed", self)
        form = QFormLayout(about)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Name *", self._with_error(self.name, "name"))
        form.addRow("AI &system *", self._with_error(self.ai_system, "ai_system"))
        form.addRow("&Organisation", self._with_error(self.organization, "organization"))
        form.addRow("S&cope", self._with_error(self.scope, "scope"))
        form.addRow("&Assessor", self._with_error(self.assessor, "assessor"))
        required = muted(QLabel("* required", self))
        form.addRow("", required)

        rating = QGroupBox("How it is rated", self)
        rform = QFormLayout(rating)
        rform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rform.addRow("&Framework", self._with_error(self.framework_combo, "framework_id"))
        scheme_box = QWidget(self)
        sb = QVBoxLayout(scheme_box)
        sb.setContentsMargins(0, 0, 0, 0)
        sb.setSpacing(2)
        sb.addWidget(self.scheme_combo)
        sb.addWidget(self.scheme_help)
        sb.addWidget(self.errors["scheme_id"])
        rform.addRow("&Rating scheme", scheme_box)
        rform.addRow("Default &target", self._with_error(self.target_combo, "default_target"))

        self.genai_group = QGroupBox("Generative AI", self)
        gl = QVBoxLayout(self.genai_group)
        gl.addWidget(self.genai)
        risks_label = QLabel("GenAI &risks that apply:", self)
        risks_label.setBuddy(self.risks)
        gl.addWidget(risks_label)
        gl.addWidget(self.risks, 1)
        row = QHBoxLayout()
        row.addWidget(self.select_all)
        row.addWidget(self.select_none)
        row.addStretch(1)
        gl.addLayout(row)
        gl.addWidget(self.errors["profiles"])

        note = muted(
            QLabel(
                "You can rename the assessment later. The framework and the rating scheme are "
                "fixed once it is created, so that every score stays comparable; the target can "
                "also be set per subcategory while answering.",
                self,
            )
        )
        note.setObjectName("newAssessmentNote")
        note.setWordWrap(True)
        self.note = note
        self.left_column = left = QVBoxLayout()  # the edit dialog adds the AI-system profile
        left.addWidget(about)
        left.addWidget(note)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(rating)
        right.addWidget(self.genai_group, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        outer = QVBoxLayout(self)
        outer.addLayout(columns, 1)
        outer.addWidget(self.general_error)
        outer.addWidget(self.buttons)
        self.resize(960, opening_height(self, 640))

        order = [
            self.name,
            self.ai_system,
            self.organization,
            self.scope,
            self.assessor,
            self.framework_combo,
            self.scheme_combo,
            self.target_combo,
            self.genai,
            self.risks,
            self.select_all,
            self.select_none,
        ]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    # -- reacting ---------------------------------------------------------------------------
    def _framework(self) -> Framework:
        return self.ctx.catalog.framework(self.framework_combo.currentData())

    def _scheme(self) -> RatingScheme:
        return self.ctx.catalog.scheme(self.scheme_combo.currentData())

    def _profile(self) -> Profile | None:
        try:
            return self._framework().profile(GENAI_PROFILE)
        except KeyError:
            return None

    def _framework_changed(self) -> None:
        profile = self._profile()
        self.risks.clear()
        self.genai_group.setVisible(profile is not None)
        if profile is None:
            self.genai.setChecked(False)
            return
        self.genai_group.setTitle(profile.name)
        for risk in profile.risks:
            item = QListWidgetItem(risk.title, self.risks)
            item.setData(Qt.ItemDataRole.UserRole, risk.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            if risk.definition:
                item.setToolTip(f"<p style='max-width: 420px'>{_escape(risk.definition)}</p>")

    def _scheme_changed(self) -> None:
        scheme = self._scheme()
        self.scheme_help.setText(scheme.description)
        current = self.target_combo.currentData() or DEFAULT_TARGET
        self.target_combo.clear()
        for level in scheme.levels:
            self.target_combo.addItem(f"{level.value} – {level.name}", level.value)
            self.target_combo.setItemData(
                level.value - 1, level.definition, Qt.ItemDataRole.ToolTipRole
            )
        self.target_combo.setCurrentIndex(int(current) - 1)

    def _genai_toggled(self, on: bool) -> None:
        for w in (self.risks, self.select_all, self.select_none):
            w.setEnabled(on)
        self._clear_error("profiles")

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.risks.count()):
            self.risks.item(i).setCheckState(state)

    def checked_risks(self) -> list[str]:
        return [
            self.risks.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.risks.count())
            if self.risks.item(i).checkState() == Qt.CheckState.Checked
        ]

    # -- result -----------------------------------------------------------------------------
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name.text(),
            "ai_system": self.ai_system.text(),
            "organization": self.organization.text().strip(),
            "scope": self.scope.toPlainText().strip(),
            "assessor": self.assessor.text().strip(),
            "framework_id": self.framework_combo.currentData(),
            "scheme_id": self.scheme_combo.currentData(),
            "default_target": self.target_combo.currentData(),
            "profiles": [],
        }
        if self.genai.isChecked() and self._profile() is not None:
            data["profiles"] = [{"profile_id": GENAI_PROFILE, "risks": self.checked_risks()}]
        return data

    def accept(self) -> None:
        self._clear_errors()
        problems = self.meta_problems(self.data())
        if problems:
            self._show_errors(problems)
            return
        super().accept()

    def meta_problems(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, sentence) for each problem of ``data``; sets ``meta`` (None if invalid)."""
        problems: list[tuple[str, str]] = []
        if self.genai.isChecked() and not self.checked_risks():
            problems.append(
                ("profiles", "Tick at least one risk that applies, or turn the Profile off.")
            )
        try:
            self.meta = self.service.validate_meta(data)
        except InvalidInput as exc:
            self.meta = None
            problems = [(f, friendly(f, m)) for f, m in split_errors(str(exc))] + problems
        return problems

    def _show_errors(self, problems: list[tuple[str, str]]) -> None:
        first: QWidget | None = None
        for field, message in problems:
            label = self.errors.get(field, self.general_error)
            label.setText(message)
            label.setVisible(True)
            label.setAccessibleName(message)
            if first is None:
                first = self._field_widget(field)
        if first is not None:
            first.setFocus()

    def _field_widget(self, field: str) -> QWidget | None:
        return {
            "name": self.name,
            "ai_system": self.ai_system,
            "organization": self.organization,
            "scope": self.scope,
            "assessor": self.assessor,
            "scheme_id": self.scheme_combo,
            "default_target": self.target_combo,
            "profiles": self.risks,
        }.get(field)

    def _clear_error(self, field: str) -> None:
        label = self.errors.get(field)
        if label is not None:
            label.clear()
            label.setVisible(False)

    def _clear_errors(self) -> None:
        for field in self.errors:
            self._clear_error(field)
        self.general_error.clear()
        self.general_error.setVisible(False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
