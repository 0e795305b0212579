"""Rating controls for the two kinds of scheme: metrics (Low/Medium/High) and a direct level."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.rating import RatingScheme
from app.ui.questionnaire.stable_text import StableText
from app.ui.style import muted


def rating_shortcut(position: int) -> str:
    """Alt+1..9 choose ratings: row = metric, column = option (like a numeric keypad)."""
    return f"Alt+{position}"


def keep_tab_on_checked(group: QButtonGroup) -> None:
    """Make Tab into ``group`` land on its checked button (the first one while none is).

    Qt puts the first button of an exclusive group in the Tab chain: Tab into a rated row
    focused "Low", and Space then downgraded the rating. Only one button per group takes Tab
    focus here; the others take focus by click, arrow key or shortcut (all aimed at them).
    """

    def update(*_args: object) -> None:
        buttons = group.buttons()
        if not buttons:
            return
        checked = group.checkedButton()
        in_chain = checked if checked is not None else buttons[0]
        for button in buttons:
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button is in_chain else Qt.FocusPolicy.ClickFocus
            )

    group.buttonToggled.connect(update)
    update()


class RatingWidget(QWidget):
    """Common interface. ``rating_chosen`` carries the answer fields to save (a full rating)."""

    rating_chosen = Signal(dict)
    choice_changed = Signal()  # anything chosen or cleared, complete or not

    def show_rating(self, metrics: dict[str, str], level: int | None) -> None:
        raise NotImplementedError

    def choose(self, position: int) -> None:
        """Pick the option at keyboard position 1..9 (the Alt+digit shortcuts)."""
        raise NotImplementedError

    def clear_changes(self) -> dict[str, Any]:
        raise NotImplementedError

    def current_changes(self) -> dict[str, Any]:
        """The complete rating shown, as answer fields ({} while incomplete)."""
        raise NotImplementedError

    def has_choice(self) -> bool:
        """Whether anything is chosen (complete or not)."""
        raise NotImplementedError

    def is_partial(self) -> bool:
        """A choice that is not yet a complete rating (so not saved)."""
        return self.has_choice() and not self.current_changes()

    def focus_widgets(self) -> list[QWidget]:
        """The controls in keyboard order."""
        raise NotImplementedError


class MetricsRating(RatingWidget):
    """One row of Low/Medium/High radio buttons per metric, with the score shown live.

    A rating is saved once every metric has a value (the scheme needs all of them); until
    then the partial choice is shown with what is missing.
    """

    def __init__(self, scheme: RatingScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, str], QRadioButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        position = 0
        for row, metric in enumerate(scheme.metrics):
            name = QLabel(f"<b>{metric.name}</b>", self)
            grid.addWidget(name, row * 2, 0)
            group = QButtonGroup(self)
            self.groups[metric.id] = group
            buttons = QHBoxLayout()
            for option in metric.options:
                position += 1
                button = QRadioButton(option.name, self)
                button.setObjectName(f"rating_{metric.id}_{option.code}")
                button.setAccessibleName(f"{metric.name}: {option.name}")
                button.setToolTip(
                    f"{metric.name}: {option.name} ({option.points} points)   "
                    f"{rating_shortcut(position)}"
                )
                group.addButton(button)
                self.buttons[(metric.id, option.code)] = button
                buttons.addWidget(button)
                button.clicked.connect(
                    lambda _=False, m=metric.id, c=option.code: self._clicked(m, c)
                )
            keep_tab_on_checked(group)
            buttons.addStretch(1)
            grid.addLayout(buttons, row * 2, 1)
            explanation = muted(QLabel(metric.explanation, self))
            explanation.setWordWrap(True)
            grid.addWidget(explanation, row * 2 + 1, 1)
        grid.setColumnStretch(1, 1)
        self.result = QLabel(self)
        self.result.setObjectName("ratingResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Resulting score")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        self.result_holder = StableText(self.result, self)  # changes at every click
        layout.addWidget(self.result_holder)
        hint = muted(QLabel(_metrics_hint(scheme), self))
        hint.setWordWrap(True)
        hint.setObjectName("ratingShortcutHint")
        layout.addWidget(hint)
        self._chosen: dict[str, str] = {}
        self._update_result()

    def _clicked(self, metric_id: str, code: str) -> None:
        self._set(metric_id, code)
        if len(self._chosen) == len(self.scheme.metrics):
            self.rating_chosen.emit({"metrics": dict(self._chosen)})

    def _set(self, metric_id: str, code: str | None) -> None:
        group = self.groups[metric_id]
        group.setExclusive(False)  # an exclusive group cannot be emptied
        for (m, c), button in self.buttons.items():
            if m == metric_id:
                button.setChecked(c == code)
        group.setExclusive(True)
        if code is None:
            self._chosen.pop(metric_id, None)
        else:
            self._chosen[metric_id] = code
        self._update_result()
        self.choice_changed.emit()

    def choose(self, position: int) -> None:
        options = [(m.id, o.code) for m in self.scheme.metrics for o in m.options]
        if 1 <= position <= len(options) and self.isEnabled():
            metric_id, code = options[position - 1]
            self.buttons[(metric_id, code)].setFocus()
            self._clicked(metric_id, code)

    def show_rating(self, metrics: dict[str, str], level: int | None) -> None:
        for metric in self.scheme.metrics:
            code = metrics.get(metric.id)
            if code != self._chosen.get(metric.id) or code != self._checked(metric.id):
                self._set(metric.id, code)

    def _checked(self, metric_id: str) -> str | None:
        for (m, c), button in self.buttons.items():
            if m == metric_id and button.isChecked():
                return c
        return None

    def chosen(self) -> dict[str, str]:
        return dict(self._chosen)

    def clear_changes(self) -> dict[str, Any]:
        return {"metrics": {}}

    def current_changes(self) -> dict[str, Any]:
        if len(self._chosen) == len(self.scheme.metrics):
            return {"metrics": dict(self._chosen)}
        return {}

    def has_choice(self) -> bool:
        return bool(self._chosen)

    def focus_widgets(self) -> list[QWidget]:
        return list(self.buttons.values())

    def _update_result(self) -> None:
        missing = [m.name for m in self.scheme.metrics if m.id not in self._chosen]
        if not self._chosen:
            self.result_holder.setText("Not rated yet: choose Low, Medium or High for each metric.")
            return
        if missing:
            self.result_holder.setText(
                f"Choose {' and '.join(missing)} as well to complete the rating "
                "(it is saved once every metric has a value)."
            )
            return
        points = sum(
            (self.scheme.metric(m).option(c).points if self.scheme.metric(m).option(c) else 0)
            for m, c in self._chosen.items()
        )
        score = self.scheme.points_to_score(points)
        level = self.scheme.level(score)
        self.result_holder.setText(f"<b>Score {score} · {level.name}</b> ({points} points)")
        self.result.setToolTip(level.definition)


class DirectRating(RatingWidget):
    """Levels 1-5 as radio buttons, each with its definition."""

    def __init__(self, scheme: RatingScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.group = QButtonGroup(self)
        self.buttons: dict[int, QRadioButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, level in enumerate(scheme.levels):
            button = QRadioButton(f"{level.value} {level.name}", self)
            button.setObjectName(f"rating_level_{level.value}")
            button.setAccessibleName(f"Level {level.value}: {level.name}")
            button.setAccessibleDescription(level.definition)
            button.setToolTip(f"{level.definition}   {rating_shortcut(level.value)}")
            self.group.addButton(button)
            self.buttons[level.value] = button
            definition = muted(QLabel(level.definition, self))
            definition.setWordWrap(True)
            grid.addWidget(button, row, 0)
            grid.addWidget(definition, row, 1)
            button.clicked.connect(lambda _=False, v=level.value: self._clicked(v))
        grid.setColumnStretch(1, 1)
        keep_tab_on_checked(self.group)
        self._level: int | None = None

    def _clicked(self, value: int) -> None:
        self.show_rating({}, value)
        self.rating_chosen.emit({"level": value})

    def choose(self, position: int) -> None:
        if position in self.buttons and self.isEnabled():
            self.buttons[position].setFocus()
            self._clicked(position)

    def show_rating(self, metrics: dict[str, str], level: int | None) -> None:
        checked = self.group.checkedButton()
        if level == self._level and checked is (self.buttons.get(level) if level else None):
            return  # already shown (the usual case after a save)
        self._level = level
        self.group.setExclusive(False)  # an exclusive group cannot be emptied
        for value, button in self.buttons.items():
            button.setChecked(value == level)
        self.group.setExclusive(True)
        self.choice_changed.emit()

    def clear_changes(self) -> dict[str, Any]:
        return {"level": None}

    def current_changes(self) -> dict[str, Any]:
        return {} if self._level is None else {"level": self._level}

    def has_choice(self) -> bool:
        return self._level is not None

    def focus_widgets(self) -> list[QWidget]:
        return list(self.buttons.values())


def _metrics_hint(scheme: RatingScheme) -> str:
    parts, position = [], 0
    for metric in scheme.metrics:
        first, position = position + 1, position + len(metric.options)
        if position <= 9:
            parts.append(f"{rating_shortcut(first)}–{position} {metric.name}")
    options = ", ".join(o.name for o in scheme.metrics[0].options)
    return f"Keyboard: {', '.join(parts)} ({options}); arrow keys move within a row."


def rating_widget_for(scheme: RatingScheme, parent: QWidget | None = None) -> RatingWidget:
    if scheme.kind == "metrics":
        return MetricsRating(scheme, parent)
    return DirectRating(scheme, parent)


def rating_action_labels(scheme: RatingScheme) -> list[str]:
    """Menu labels of the Alt+1..9 rating shortcuts for this scheme."""
    if scheme.kind == "metrics":
        return [f"{m.name}: {o.name}" for m in scheme.metrics for o in m.options]
    return [f"Level {lv.value}: {lv.name}" for lv in scheme.levels]
