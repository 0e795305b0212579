"""Score cards: one node's score, level name, provisional mark, completion and gap to target."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.domain.numbers import format_percent, format_score, percent_of
from app.domain.scoring import NodeScore
from app.ui.style import muted, scaled_font


class ScoreCard(QFrame):
    """Overall or one function. Labels are public so tests can read what the user sees."""

    def __init__(self, node_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.node_id = node_id
        self.setObjectName(f"card_{node_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{title} score")
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("cardTitle")
        self.title_label.setFont(scaled_font(self.title_label, 1.0, bold=True))
        self.score_label = QLabel("–", self)
        self.score_label.setObjectName("cardScore")
        self.score_label.setFont(scaled_font(self.score_label, 2.2, bold=True))
        self.level_label = QLabel("", self)
        self.level_label.setObjectName("cardLevel")
        self.provisional_label = QLabel("provisional", self)
        self.provisional_label.setObjectName("cardProvisional")
        italic = self.provisional_label.font()
        italic.setItalic(True)
        self.provisional_label.setFont(italic)
        muted(self.provisional_label)
        self.completion = QProgressBar(self)
        self.completion.setObjectName("cardCompletion")
        self.completion.setAccessibleName(f"{title} completion")
        self.completion.setRange(0, 100)
        self.completion.setTextVisible(False)
        self.completion.setFixedHeight(8)
        self.completion_label = QLabel("", self)
        self.completion_label.setObjectName("cardCompletionText")
        self.detail_label = muted(QLabel("", self))
        self.detail_label.setObjectName("cardDetail")
        # Target, gap and below-target count: wraps on a narrow window instead of widening it.
        self.detail_label.setWordWrap(True)

        top = QVBoxLayout(self)
        top.setContentsMargins(10, 8, 10, 8)
        top.setSpacing(2)
        top.addWidget(self.title_label)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        line.addWidget(self.score_label, 0, Qt.AlignmentFlag.AlignBottom)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addStretch(1)
        words.addWidget(self.level_label)
        words.addWidget(self.provisional_label)
        line.addLayout(words, 1)
        top.addWidget(row)
        top.addWidget(self.completion)
        top.addWidget(self.completion_label)
        top.addWidget(self.detail_label)

    def set_node(self, node: NodeScore) -> None:
        self.score_label.setText(format_score(node.score))
        self.level_label.setText(node.level_name if node.score is not None else "Not rated yet")
        self.provisional_label.setVisible(node.provisional and node.score is not None)
        self.provisional_label.setToolTip(
            f"Provisional: {node.provisional_reason} (of {node.total} subcategories)"
        )
        self.completion.setValue(percent_of(node.completion))
        carried = (
            f"; {node.unreviewed} carried over from the previous cycle and not yet reviewed"
            if node.unreviewed
            else ""
        )
        self.completion.setToolTip(
            f"{node.answered} of {node.total} answered: {node.rated} rated, "
            f"{node.not_applicable} not applicable{carried}"
        )
        # Complete = answered or reviewed in this cycle; carried-over answers wait for review.
        self.completion_label.setText(
            f"{format_percent(node.completion)} complete · {node.review_note}"
            if node.unreviewed
            else f"{format_percent(node.completion)} complete ({node.reviewed} of {node.total})"
        )
        self.completion_label.setToolTip(self.completion.toolTip())
        self.detail_label.setText(
            f"Target {format_score(node.target)} · gap {format_score(node.gap)}"
            + (f" · {node.below_target} below target" if node.below_target else "")
        )
        state = f"{format_score(node.score)} {node.level_name}".strip()
        if node.provisional and node.score is not None:
            state += ", provisional"
        review = f", {node.review_note}" if node.unreviewed else ""
        self.setAccessibleDescription(
            f"{state}; {format_percent(node.completion)} complete{review}"
        )
