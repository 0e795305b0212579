"""Help menu content: the user guide shipped in ``resources/guide/`` (shown offline), the
keyboard shortcuts read from the window's own actions (so the list never drifts from the
menus), and the "What does this mean?" buttons that open the guide at a section."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.catalog import resources_root

GUIDE_FILE = "guide/user-guide.html"
SCORING = "scoring"  # the anchor of the guide's Scoring section


def guide_path() -> Path:
    """The shipped user guide (HTML). Raises ``CatalogError`` if ``resources/`` is missing."""
    return resources_root() / GUIDE_FILE


class UserGuideDialog(QDialog):
    """The user guide in a text browser. Only links inside the guide are followed: the app is
    offline, so a link elsewhere is never fetched or handed to a browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuideDialog")
        self.setWindowTitle("User guide")
        self.resize(760, 640)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("userGuideBrowser")
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)  # anchors handled below, nothing else loaded
        self.browser.anchorClicked.connect(self._follow)
        try:
            path = guide_path()
            text = path.read_text(encoding="utf-8")
        except Exception as exc:  # a damaged install: say so, never a traceback  # noqa: BLE001
            text = f"<p>The user guide could not be read ({exc}).</p>"
        self.browser.setHtml(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def show_section(self, anchor: str) -> None:
        """Scroll to ``<a name="anchor">`` (e.g. ``SCORING``)."""
        self.browser.scrollToAnchor(anchor)

    def _follow(self, url: QUrl) -> None:
        if url.hasFragment() and not url.scheme() and not url.path():
            self.show_section(url.fragment())


def open_user_guide(parent: QWidget, anchor: str | None = None) -> UserGuideDialog:
    """Show the guide (one per top-level window, reused), at ``anchor`` if given."""
    window = parent.window()
    dialog = window.findChild(UserGuideDialog, "userGuideDialog")
    if dialog is None:
        dialog = UserGuideDialog(window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if anchor:
        dialog.show_section(anchor)
    return dialog


def guide_button(anchor: str, about: str, parent: QWidget) -> QPushButton:
    """A "What does this mean?" button (keyboard-operable, unlike a label link) that opens the
    guide at ``anchor``; ``about`` completes its accessible description."""
    button = QPushButton("What does this mean?", parent)
    button.setObjectName(f"guideLink_{anchor}")
    button.setFlat(True)
    button.setAccessibleName("What does this mean?")
    button.setAccessibleDescription(f"Opens the user guide at the section on {about}")
    button.setToolTip(f"Open the user guide at the section on {about}")
    font = button.font()
    font.setUnderline(True)
    button.setFont(font)
    button.clicked.connect(lambda: open_user_guide(button, anchor))
    return button


@dataclass(frozen=True)
class ShortcutRow:
    """One action with a shortcut: the menu it is in ("" if none), its text, its key."""

    menu: str
    action: str
    keys: str


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(menu_bar: QMenuBar) -> list[ShortcutRow]:
    """Every visible action in ``menu_bar``'s menus (submenus included) that has a shortcut, in
    menu order, each once (a rating slot the assessment's scheme does not use is hidden). Keys
    are in the platform's native notation ("Ctrl+N" on Linux and Windows)."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{title} > {_plain(action.text())}")
                continue
            keys = [k for k in action.shortcuts() if not k.isEmpty()]
            if action.isSeparator() or not action.isVisible() or not keys or id(action) in seen:
                continue
            seen.add(id(action))
            native = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            rows.append(ShortcutRow(title, _plain(action.text()), native))

    for top in menu_bar.actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    return rows


class ShortcutsDialog(QDialog):
    """The shortcuts of ``menu_bar`` (see ``shortcut_rows``) as a read-only table."""

    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 560)
        self.rows = shortcut_rows(menu_bar)
        intro = QLabel(
            "Every shortcut of the menus. Tab and Shift+Tab move between controls, arrow keys "
            "within a rating row or a list, Space or Enter activates; Alt and an underlined "
            "letter open a menu.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Shortcut"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.menu, row.action, row.keys)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
