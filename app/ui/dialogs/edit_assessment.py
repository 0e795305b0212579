"""The "Edit assessment details" dialog: the details given at creation (name, AI system,
organisation, scope, assessor, default target, GenAI risks) and the AI-system profile; saving
records one history entry per changed field (``services.assessment_edit``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.domain.assessment import Assessment
from app.domain.system_profile import (
    LifecycleStage,
    RiskTier,
    SystemProfile,
    split_tags,
)
from app.services.assessment_edit import GENAI_PROFILE, AssessmentEdit, AssessmentEditor
from app.services.context import ServiceContext
from app.services.validation import what_is_wrong
from app.ui.dialogs.messages import show_error
from app.ui.dialogs.new_assessment import NewAssessmentDialog, friendly
from app.ui.screen_fit import opening_height
from app.ui.style import error_label
from app.ui.wheel_guard import guard_wheel

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

NOT_SET = "Not set"
TIER_TIP = (
    "The app's own three tiers: what each means is your organisation's risk tolerance "
    "(AI RMF MAP 1.5)"
)
STAGE_TIP = "The AI lifecycle stages of the AI RMF 1.0 (NIST AI 100-1, Figures 2 and 3)"
PROFILE_LABELS = {
    "risk_tier": "The risk tier",
    "intended_use": "The intended use",
    "deployment_status": "The lifecycle stage",
    "model_type": "The model type",
    "model_vendor": "The model vendor",
    "data_categories": "The data categories",
    "affected_populations": "The affected populations",
}


class EditAssessmentDialog(NewAssessmentDialog):
    """The new-assessment form filled with ``assessment`` (framework and scheme fixed), plus
    the AI-system profile. Never closes on invalid input; after ``accepted``, ``edit`` holds
    the validated ``AssessmentEdit`` (the caller saves it)."""

    def __init__(
        self,
        ctx: ServiceContext,
        assessment: Assessment,
        profile: SystemProfile,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.assessment = assessment
        self.edit: AssessmentEdit | None = None
        self.setObjectName("editAssessmentDialog")
        self.setWindowTitle(f"Edit assessment details — {assessment.name}")
        self.setAccessibleName("Edit assessment details")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Save")
        ok.setObjectName("saveDetailsButton")
        ok.setAccessibleName("Save the assessment details")
        self.buttons.setObjectName("editAssessmentButtons")
        self.note.setText(
            "Each change is recorded in the assessment's change history. The framework and the "
            "rating scheme are fixed once an assessment is created, so that every score stays "
            "comparable. The AI-system profile is carried to the next cycle."
        )
        self._build_profile()
        self._fill(assessment, profile)
        self.resize(1040, opening_height(self, 700))
        self.name.setFocus()

    # -- building ---------------------------------------------------------------------------
    def _build_profile(self) -> None:
        self.risk_tier = self._combo("riskTierCombo", "Risk tier", TIER_TIP)
        for tier in RiskTier:
            self.risk_tier.addItem(tier.label, tier.value)
        self.stage = self._combo("lifecycleStageCombo", "Lifecycle stage", STAGE_TIP)
        for stage in LifecycleStage:
            self.stage.addItem(stage.label, stage.value)
        self.intended_use = QPlainTextEdit(self)
        self.intended_use.setObjectName("intendedUseEdit")
        self.intended_use.setAccessibleName("Intended use")
        self.intended_use.setPlaceholderText("What the system is for, and for whom (MAP 1.1)")
        self.intended_use.setTabChangesFocus(True)
        self.intended_use.setFixedHeight(60)
        self.model_type = self._profile_line(
            "model_type", "Model type", "e.g. gradient-boosted trees"
        )
        self.model_vendor = self._profile_line(
            "model_vendor", "Model vendor", "Who supplies the model, or in-house"
        )
        self.data_categories = self._profile_line(
            "data_categories", "Data categories", "Separate with ; e.g. Credit history; Income"
        )
        self.affected = self._profile_line(
            "affected_populations",
            "Affected populations",
            "Separate with ; e.g. Loan applicants; Co-signers",
        )
        for name in ("risk_tier", "intended_use", "deployment_status"):
            self.errors[f"system.{name}"] = error_label(self, f"{name}Error")

        group = QGroupBox("AI-system profile (kept across cycles)", self)
        group.setObjectName("systemProfileGroup")
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Ris&k tier", self._with_error(self.risk_tier, "system.risk_tier"))
        form.addRow("Lifecycle sta&ge", self._with_error(self.stage, "system.deployment_status"))
        form.addRow("Int&ended use", self._with_error(self.intended_use, "system.intended_use"))
        form.addRow("&Model type", self._with_error(self.model_type, "system.model_type"))
        form.addRow("Model &vendor", self._with_error(self.model_vendor, "system.model_vendor"))
        form.addRow(
            "&Data categories", self._with_error(self.data_categories, "system.data_categories")
        )
        form.addRow(
            "Affected &people", self._with_error(self.affected, "system.affected_populations")
        )
        self.left_column.insertWidget(1, group)
        order = [
            self.assessor,
            self.risk_tier,
            self.stage,
            self.intended_use,
            self.model_type,
            self.model_vendor,
            self.data_categories,
            self.affected,
            self.framework_combo,
        ]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    def _combo(self, name: str, label: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        guard_wheel(combo)
        combo.setObjectName(name)
        combo.setAccessibleName(label)
        combo.setToolTip(tip)
        combo.addItem(NOT_SET, "")
        return combo

    def _profile_line(self, field: str, label: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(f"{field}Edit")
        edit.setAccessibleName(label)
        edit.setPlaceholderText(placeholder)
        self.errors[f"system.{field}"] = error_label(self, f"{field}Error")
        edit.textEdited.connect(lambda _text, f=field: self._clear_error(f"system.{f}"))
        return edit

    def _fill(self, a: Assessment, profile: SystemProfile) -> None:
        self.name.setText(a.name)
        self.ai_system.setText(a.ai_system)
        self.organization.setText(a.organization)
        self.scope.setPlainText(a.scope)
        self.assessor.setText(a.assessor)
        for combo, value in (
            (self.framework_combo, a.framework_id),
            (self.scheme_combo, a.scheme_id),
        ):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
            combo.setEnabled(False)
            combo.setToolTip("Fixed when the assessment was created")
        self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(a.default_target)))
        selection = a.profile_selection(GENAI_PROFILE)
        self.genai.setChecked(selection is not None)
        wanted = set(selection.risks) if selection is not None else set()
        for i in range(self.risks.count()):
            item = self.risks.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        tier = profile.risk_tier.value if profile.risk_tier else ""
        self.risk_tier.setCurrentIndex(max(0, self.risk_tier.findData(tier)))
        stage = profile.deployment_status.value if profile.deployment_status else ""
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage)))
        self.intended_use.setPlainText(profile.intended_use)
        self.model_type.setText(profile.model_type)
        self.model_vendor.setText(profile.model_vendor)
        self.data_categories.setText("; ".join(profile.data_categories))
        self.affected.setText("; ".join(profile.affected_populations))

    # -- result -----------------------------------------------------------------------------
    def profile_data(self) -> dict[str, Any]:
        """The profile as typed (SystemProfile's fields; tags split on ";" and ",")."""
        return {
            "risk_tier": self.risk_tier.currentData() or None,
            "deployment_status": self.stage.currentData() or None,
            "intended_use": self.intended_use.toPlainText(),
            "model_type": self.model_type.text(),
            "model_vendor": self.model_vendor.text(),
            "data_categories": split_tags(self.data_categories.text()),
            "affected_populations": split_tags(self.affected.text()),
        }

    def accept(self) -> None:
        self._clear_errors()
        data = self.data()
        problems = self.meta_problems(data)
        system = self.profile_data()
        try:
            SystemProfile.model_validate(system)
        except ValidationError as exc:
            for err in exc.errors()[:3]:
                field = str(err["loc"][0]) if err.get("loc") else ""
                label = PROFILE_LABELS.get(field, "This field")
                text = friendly(field, what_is_wrong(err), label if field else "")
                if "duplicate" in text or "more than once" in text:
                    text = f"{label} lists an entry twice."
                problems.append((f"system.{field}", text))
        if problems:
            self._show_errors(problems)
            return
        self.edit = AssessmentEdit(
            name=data["name"],
            ai_system=data["ai_system"],
            organization=data["organization"],
            scope=data["scope"],
            assessor=data["assessor"],
            default_target=data["default_target"],
            genai_risks=self.checked_risks() if self.genai.isChecked() else None,
            genai_off=not self.genai.isChecked(),
            system=system,
        )
        QDialog.accept(self)

    def _field_widget(self, field: str) -> QWidget | None:
        profile_widgets: dict[str, QWidget] = {
            "system.risk_tier": self.risk_tier,
            "system.deployment_status": self.stage,
            "system.intended_use": self.intended_use,
            "system.model_type": self.model_type,
            "system.model_vendor": self.model_vendor,
            "system.data_categories": self.data_categories,
            "system.affected_populations": self.affected,
        }
        return profile_widgets.get(field) or super()._field_widget(field)


def edit_details(window: MainWindow, assessment_id: int) -> None:
    """Read the assessment and its profile off the UI thread, open the dialog over ``window``,
    and save what the user accepts on the write queue; the window then reloads the assessment.
    A failure (locked, finalized meanwhile, storage) is one error dialog; nothing is changed."""
    ctx, background = window.ctx, window.background
    editor = AssessmentEditor(ctx)
    window.questionnaire.flush()

    def opened(found: tuple[Assessment, SystemProfile]) -> None:
        assessment, profile = found
        dialog = EditAssessmentDialog(ctx, assessment, profile, window)
        dialog.accepted.connect(lambda: save(dialog))
        window.edit_dialog = dialog  # kept alive while open (and found by tests)
        dialog.open()

    def save(dialog: EditAssessmentDialog) -> None:
        edit = dialog.edit
        if edit is None:
            return
        background.write(
            lambda: editor.edit(assessment_id, edit),
            saved,
            lambda exc: show_error(window, "The details were not saved", str(exc)),
        )

    def saved(result: Any) -> None:
        if not result.changed:
            window.show_message("Nothing to save: the details are as they were")
            return
        from app.services.assessment_edit import field_label

        window.show_message("Saved: " + ", ".join(field_label(f) for f in result.changed))
        window.details_changed(assessment_id)

    background.after_writes(
        lambda: background.run(
            lambda: (editor.assessments.get(assessment_id), editor.profile(assessment_id)),
            opened,
            lambda exc: show_error(window, "The details could not be read", str(exc)),
        )
    )
