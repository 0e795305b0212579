"""A holder for a word-wrapped label whose text changes often (the live score, the summary).

A QLabel in a layout asks every ancestor layout up to the window to recompute at each change of
its text (QLabel::setText calls updateGeometry, and each layout then updates its own widget's
geometry in turn): about 0.6 ms on the questionnaire, on every rating click and every save. In a
StableText the label sits in a holder without a layout, so a change repaints the label and the
holder checks its height; the window is laid out again only when the new text needs a different
height (or when the holder is resized). Set the text with ``StableText.setText``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class StableText(QWidget):
    """Place the holder in a layout; ``label`` stays a plain QLabel (its text, font, tooltip)."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        label.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._height = -1
        self._heights: dict[tuple[str, int], int] = {}  # (text, width) -> height: the texts recur
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - reads like QLabel's
        if text != self.label.text():
            self.label.setText(text)
            self._fit()

    def text(self) -> str:
        return self.label.text()  # type: ignore[no-any-return]

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())
        self._fit()

    def changeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        self._heights.clear()  # font, style: the heights are measured again

    def _fit(self) -> None:
        width = self.width()
        key = (self.label.text(), width)
        height = self._heights.get(key)
        if height is None:
            height = self.label.heightForWidth(width) if width > 0 else -1
            if height < 0:
                height = self.label.sizeHint().height()
            height = max(height, self.label.minimumHeight())
            if len(self._heights) > 64:
                self._heights.clear()
            self._heights[key] = height
        if height != self._height:
            self._height = height
            self.setFixedHeight(height)  # the only relayout: the text needs another height

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.label.sizeHint().width(), max(self._height, 0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.label.minimumSizeHint().width(), max(self._height, 0))
