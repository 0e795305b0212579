"""The window's views as an explicit state: which pages exist, which one is shown, which are
built (pages are built when first shown, to keep start-up short).

Two kinds of page: a *tab* of the open assessment (Questionnaire, Dashboard, …: needs an open
assessment) and a *top-level* page beside Home (Portfolio and progress). Adding a view is one
``add_tab`` or ``add_page`` call with its View-menu action and a factory; the View menu, the
checked item, the enabled state and the lazy building follow from the registration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QWidget

HOME = "home"


@dataclass
class Page:
    """One view: ``key`` names it, ``action`` is its (checkable) View-menu item, ``build``
    makes the widget the first time it is needed (None: ``widget`` was given)."""

    key: str
    action: QAction
    in_assessment: bool  # a tab of the open assessment (disabled while none is open)
    build: Callable[[], QWidget] | None = None
    widget: QWidget | None = None
    title: str = ""
    tooltip: str = ""
    show: Callable[[], None] | None = None  # what the action does (default: Navigation.show)
    placeholder: QWidget | None = field(default=None, repr=False)


class Navigation(QObject):
    """Owns the page stack (Home, the assessment tabs, top-level pages) and knows the current
    page. ``changed(key)`` is emitted after every change of the page shown (and on ``sync``).

    ``has_assessment`` says whether an assessment is open: its tabs are enabled only then, and
    asking for one without it shows Home.
    """

    changed = Signal(str)
    built = Signal(str, QWidget)  # a lazy page was just built (key, widget)

    def __init__(
        self,
        parent: QWidget,
        home: QWidget,
        home_action: QAction,
        has_assessment: Callable[[], bool],
        show_home: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._has_assessment = has_assessment
        self._pages: dict[str, Page] = {}
        self._tab_keys: list[str] = []  # in tab order
        self._group = QActionGroup(self)
        self.tabs = QTabWidget(parent)
        self.tabs.setObjectName("assessmentTabs")
        self.tabs.setAccessibleName("Assessment views")
        self.tabs.setDocumentMode(True)
        self.stack = QStackedWidget(parent)
        self.stack.setObjectName("mainStack")
        self.stack.addWidget(home)
        self.stack.addWidget(self.tabs)
        self._add(Page(HOME, home_action, in_assessment=False, widget=home, show=show_home))
        self.tabs.currentChanged.connect(self._tab_changed)

    # -- registration -------------------------------------------------------------------------
    def add_tab(
        self,
        key: str,
        title: str,
        tooltip: str,
        action: QAction,
        *,
        widget: QWidget | None = None,
        build: Callable[[], QWidget] | None = None,
        show: Callable[[], None] | None = None,
    ) -> None:
        """A view of the open assessment, as a tab: give ``widget``, or ``build`` to make it
        when first shown (a placeholder holds its tab until then). ``show``: what choosing
        the action does, when more than showing the page (e.g. saving pending typing first)."""
        page = Page(
            key, action, True, build=build, widget=widget, title=title, tooltip=tooltip, show=show
        )
        if widget is None:
            page.placeholder = QWidget(self.tabs)
            page.placeholder.setObjectName(f"{key}Placeholder")
        index = self.tabs.addTab(widget or page.placeholder, title)
        self.tabs.setTabToolTip(index, tooltip)
        self._tab_keys.append(key)
        self._add(page)

    def add_page(
        self,
        key: str,
        action: QAction,
        *,
        widget: QWidget | None = None,
        build: Callable[[], QWidget] | None = None,
        show: Callable[[], None] | None = None,
    ) -> None:
        """A top-level page beside Home (needs no open assessment), built when first shown;
        ``show`` as for ``add_tab``."""
        page = Page(key, action, False, build=build, widget=widget, show=show)
        if widget is not None:
            self.stack.addWidget(widget)
        self._add(page)

    def _add(self, page: Page) -> None:
        if page.key in self._pages:
            raise ValueError(f"a page named {page.key!r} is already registered")
        self._pages[page.key] = page
        page.action.setCheckable(True)
        self._group.addAction(page.action)
        show = page.show or (lambda key=page.key: self.show(key))
        page.action.triggered.connect(lambda _checked=False: show())

    # -- queries ------------------------------------------------------------------------------
    def keys(self) -> list[str]:
        """Every page, in registration order (Home first)."""
        return list(self._pages)

    def actions(self) -> list[QAction]:
        """The pages' View-menu actions, in registration order."""
        return [p.action for p in self._pages.values()]

    def is_built(self, key: str) -> bool:
        return self._pages[key].widget is not None

    def built_page(self, key: str) -> QWidget | None:
        """The page's widget if it was built, else None (nothing is built)."""
        return self._pages[key].widget

    def page(self, key: str) -> QWidget:
        """The page's widget, built now if it was not yet."""
        page = self._pages[key]
        if page.widget is None:
            assert page.build is not None
            widget = page.build()
            page.widget = widget
            if page.in_assessment:
                self._swap_placeholder(page, widget)
            else:
                self.stack.addWidget(widget)
            self.built.emit(key, widget)
        return page.widget

    def _swap_placeholder(self, page: Page, widget: QWidget) -> None:
        # Swap without another tab showing in between: insert before the placeholder, make the
        # page current if the placeholder was, then drop the placeholder.
        index = self._tab_keys.index(page.key)
        blocked = self.tabs.blockSignals(True)
        showing = self.tabs.currentIndex() == index
        self.tabs.insertTab(index, widget, page.title)
        self.tabs.setTabToolTip(index, page.tooltip)
        if showing:
            self.tabs.setCurrentIndex(index)
        slot, page.placeholder = page.placeholder, None
        if slot is not None:
            self.tabs.removeTab(self.tabs.indexOf(slot))
            slot.deleteLater()
        self.tabs.blockSignals(blocked)

    def current(self) -> str:
        """The key of the page the user sees (Home while no assessment is open and no
        top-level page is shown)."""
        shown = self.stack.currentWidget()
        for page in self._pages.values():
            if not page.in_assessment and page.key != HOME and page.widget is shown:
                return page.key
        if shown is not self.tabs or not self._has_assessment():
            return HOME
        # Indexes, not currentWidget(): PySide6 6.12 under-counts None when that is null (as
        # while the window is destroyed), which crashes the interpreter at exit.
        index = self.tabs.currentIndex()
        return self._tab_keys[index] if 0 <= index < len(self._tab_keys) else HOME

    # -- changes ------------------------------------------------------------------------------
    def show(self, key: str) -> None:
        """Show page ``key`` (building it if needed); a tab without an open assessment shows
        Home instead."""
        page = self._pages[key]
        if page.in_assessment and not self._has_assessment():
            key, page = HOME, self._pages[HOME]
        if page.in_assessment:
            widget = self.page(key)
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentIndex(self.tabs.indexOf(widget))
        else:
            self.stack.setCurrentWidget(self.page(key))
        self.sync()

    def _tab_changed(self, index: int) -> None:
        # A tab chosen by click or keyboard: build its page now.
        if 0 <= index < len(self._tab_keys) and not self.is_built(self._tab_keys[index]):
            self.page(self._tab_keys[index])
        self.sync()

    def sync(self) -> None:
        """Bring the View actions (checked, enabled) in step with the page shown and whether an
        assessment is open; fall back to Home when an assessment tab shows without one."""
        has = self._has_assessment()
        if not has and self.stack.currentWidget() is self.tabs:
            self.stack.setCurrentWidget(self._pages[HOME].widget)
        key = self.current()
        for page in self._pages.values():
            page.action.setChecked(page.key == key)
            if page.in_assessment:
                page.action.setEnabled(has)
        self.changed.emit(key)
