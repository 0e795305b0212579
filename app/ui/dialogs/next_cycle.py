"""Start the next cycle of an AI system: a new draft with the answers carried over.

Public API::

    next_cycle_dialog(parent, ctx, assessment_id) -> int | None   # the new assessment's id

The dialog proposes the name "<AI system> <YYYY-MM-DD>" (today), explains that every answer is
copied and marked "not yet reviewed" until confirmed or changed, and that the source cycle is
not changed. A source that was never finalized is warned about in the dialog (a cycle normally
follows a signed-off one), and its OK button then reads "Start from the draft".
``LifecycleService.start_next_cycle`` runs off the UI thread; a refused name is shown inside
the dialog.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.assessment import NAME_MAX, Assessment, AssessmentMeta, Status
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, ServiceError
from app.services.lifecycle import LifecycleService
from app.ui.progress.service_dialog import ServiceDialog, clean
from app.ui.questionnaire.banner import Banner
from app.ui.style import heading


def default_name(source: Assessment, today: dt.date | None = None) -> str:
    day = (today or dt.date.today()).isoformat()
    return f"{source.ai_system[: NAME_MAX - len(day) - 1]} {day}"


class NextCycleDialog(ServiceDialog):
    """After ``accepted``, ``created`` is the new draft."""

    def __init__(
        self, ctx: ServiceContext, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, "nextCycleDialog", "&Start next cycle")
        self.ctx = ctx
        self.assessment_id = assessment_id
        self.source: Assessment | None = None
        self.created: Assessment | None = None
        self.setWindowTitle("Start the next cycle")

        self.heading = heading("Start the next cycle", factor=1.3, parent=self)
        self.explain = QLabel(self)
        self.explain.setObjectName("nextCycleExplanation")
        self.explain.setWordWrap(True)
        self.draft_warning = Banner("nextCycleDraftWarning", warning=True, parent=self)
        self.draft_warning.setVisible(False)
        name_label = QLabel("&Name of the new cycle", self)
        self.name = QLineEdit(self)
        self.name.setObjectName("nextCycleName")
        self.name.setAccessibleName("Name of the new cycle")
        self.name.setMaxLength(NAME_MAX)
        self.name.textEdited.connect(lambda _t: self.clear_error())
        name_label.setBuddy(self.name)

        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.explain)
        column.addWidget(self.draft_warning)
        column.addWidget(name_label)
        column.addWidget(self.name)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self._describe()
        self.fit()
        self.name.selectAll()
        self.name.setFocus()

    def _describe(self) -> None:
        try:
            self.source = AssessmentService(self.ctx).get(self.assessment_id)
        except ServiceError as exc:
            self.disable(str(exc))
            return
        s = self.source
        self.heading.setText(f"Start the next cycle of {s.ai_system}")
        self.name.setText(default_name(s))
        self.explain.setText(
            f"A new draft assessment of “{s.ai_system}” starts from “{s.name}”, with the same "
            "framework, rating scheme, default target and profiles. Every answer (ratings, N/A "
            "and rationales, notes, evidence, owners and due dates) is carried over and marked "
            "“not yet reviewed” until you confirm or change it, so the new cycle shows what "
            f"still needs a fresh look. “{s.name}” itself is not changed; the two cycles can "
            "be compared afterwards."
        )
        if s.status is not Status.FINALIZED:
            self.draft_warning.show_text(
                f"“{s.name}” was never finalized: the new cycle would start from answers "
                "nobody signed off, and this draft would stay open beside it. Finalize it first "
                "(Assessment > Finalize) unless you mean to start from the draft."
            )
            self.draft_warning.setVisible(True)
            self.ok_button.setText("Start from the &draft")
            self.ok_button.setAccessibleName("Start the next cycle from the draft")

    def accept(self) -> None:
        if self.source is None:
            return
        name = clean(self.name.text())
        if not name:
            self.refuse("Give the new cycle a name.", self.name)
            return
        meta = AssessmentMeta.model_validate(
            self.source.model_dump(include=set(AssessmentMeta.model_fields))
        )
        try:
            AssessmentService(self.ctx).validate_meta({**meta.model_dump(), "name": name})
        except InvalidInput as exc:
            self.refuse(f"The name is refused: {exc}", self.name)
            return
        ctx, aid = self.ctx, self.assessment_id
        # The dialog showed the draft warning and the OK button says "Start from the draft".
        from_draft = self.source.status is not Status.FINALIZED
        self.submit(
            lambda: LifecycleService(ctx).start_next_cycle(aid, name, from_draft=from_draft),
            lambda created: setattr(self, "created", created),
        )


def next_cycle_dialog(
    parent: QWidget | None, ctx: ServiceContext, assessment_id: int
) -> int | None:
    """Ask for the new cycle's name and create it; its id, or None if cancelled."""
    dialog = NextCycleDialog(ctx, assessment_id, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            return dialog.created.id
        return None
    finally:
        dialog.deleteLater()
