"""The welcome shown on first start (no assessments yet): what the app does and how to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.style import heading, muted

INTRO = (
    "Assess an AI system against the NIST AI Risk Management Framework 1.0 (NIST AI 100-1): "
    "all 72 subcategories of GOVERN, MAP, MEASURE and MANAGE in their official wording, "
    "with the Playbook's guidance and, if you wish, the Generative AI Profile (NIST AI 600-1) "
    "beside each question."
)
POINTS = (
    "Rate each subcategory with a published maturity rubric, or mark it not applicable "
    "with a rationale.",
    "Justify every rating with notes and evidence; assign an owner and a due date.",
    "Every change is saved at once, on this computer only, with a tamper-evident history.",
    "See scores, completion and gaps to target per function, and export a PDF report.",
)


class EmptyState(QWidget):
    """Welcoming first screen with the two ways to begin."""

    new_requested = Signal()
    sample_requested = Signal()
    import_requested = Signal()

    def __init__(self, database: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeEmptyState")
        title = heading("Welcome to AI RMF Assessor", 1.8, self)
        title.setObjectName("emptyTitle")
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setObjectName("emptyIntro")
        bullets = QLabel("<ul>" + "".join(f"<li>{p}</li>" for p in POINTS) + "</ul>", self)
        bullets.setTextFormat(Qt.TextFormat.RichText)
        bullets.setWordWrap(True)

        self.new_button = QPushButton("New assessment…", self)
        self.new_button.setObjectName("emptyNewButton")
        self.new_button.setAccessibleName("New assessment")
        self.new_button.setToolTip("Create an assessment of one AI system (Ctrl+N)")
        self.new_button.setDefault(True)
        self.new_button.clicked.connect(self.new_requested)
        self.sample_button = QPushButton("Open a sample assessment", self)
        self.sample_button.setObjectName("emptySampleButton")
        self.sample_button.setAccessibleName("Open a sample assessment")
        self.sample_button.setToolTip(
            "A partly filled example (a customer support chatbot) to explore; delete it "
            "whenever you like"
        )
        self.sample_button.clicked.connect(self.sample_requested)
        self.import_button = QPushButton("Open an exported file…", self)
        self.import_button.setObjectName("emptyImportButton")
        self.import_button.setAccessibleName("Open an exported assessment file")
        self.import_button.setToolTip("Import an assessment exported as JSON (Ctrl+O)")
        self.import_button.clicked.connect(self.import_requested)
        for b in (self.new_button, self.sample_button, self.import_button):
            b.setMinimumHeight(36)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)

        footer = muted(
            QLabel(
                "Nothing leaves this computer. Your assessments are stored in "
                f"{database or 'a local database'}. A self-assessment is not a certification.",
                self,
            )
        )
        footer.setWordWrap(True)
        footer.setObjectName("emptyFooter")
        footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        column = QVBoxLayout()
        column.addWidget(title)
        column.addSpacing(8)
        column.addWidget(intro)
        column.addWidget(bullets)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(24)
        column.addWidget(footer)
        box = QWidget(self)
        box.setLayout(column)
        box.setMaximumWidth(760)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.new_button, self.sample_button)
        self.setTabOrder(self.sample_button, self.import_button)
