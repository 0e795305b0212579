"""The right panel: NIST AI RMF Playbook guidance for the subcategory, and AI 600-1 actions."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.actions import PLAYBOOK_SOURCE, PROFILE_SOURCE, RemediationAction
from app.domain.framework import Guidance, Link, Profile, ProfileAction, SourceInfo, Subcategory
from app.services.actions import SHORT_ID
from app.ui.readable_checks import readable_checks
from app.ui.style import muted

NO_GUIDANCE = "The Playbook gives no guidance for this subcategory."
# A suggestion's list text as the framework gives it (the item's text may add a planned note).
BASE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 1
# The short id of the open remediation action made from a suggestion (None: none is open).
PLANNED_ROLE = Qt.ItemDataRole.UserRole + 2
CREATE_TIPS = {
    "playbook": "Plan a remediation action with the selected suggestion's text (keeps its "
    "reference)",
    "genai": "Plan a remediation action with the selected AI 600-1 action's text (keeps its id)",
}
PLANNED_TIP = "An open action was made from the selected suggestion already (see the Plan tab)"


def paragraphs(text: str) -> str:
    """Verbatim text as HTML paragraphs (escaped; blank lines separate paragraphs)."""
    parts = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


def _links_html(title: str, links: tuple[Link, ...]) -> str:
    if not links:
        return ""
    out = [f"<h3>{escape(title)}</h3>"]
    group = None
    items: list[str] = []

    def close() -> None:
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items.clear()

    for link in links:
        if link.group != group:
            close()
            group = link.group
            if group:
                out.append(f"<p><i>{escape(group)}</i></p>")
        anchors = " ".join(f'<a href="{escape(u, quote=True)}">{escape(u)}</a>' for u in link.urls)
        items.append(f"<li>{escape(link.text)}{'<br>' + anchors if anchors else ''}</li>")
    close()
    return "".join(out)


def _browser(name: str, parent: QWidget) -> QTextBrowser:
    browser = QTextBrowser(parent)
    browser.setObjectName(name)
    browser.setOpenExternalLinks(True)
    browser.setFrameShape(QTextBrowser.Shape.NoFrame)
    return browser


class GuidancePanel(QTabWidget):
    """Tabs: About, Suggested actions (ticked "in place"), Documentation, Resources, AI 600-1
    (its actions ticked "in place" too, by their stable ids)."""

    actions_changed = Signal(list)  # indices of the suggested actions in place
    # A remediation action is to be made from a suggestion: "playbook:<n>" or "ai600-1:<id>".
    create_action_requested = Signal(str)
    genai_toggled = Signal(str, bool)  # an AI 600-1 action id, ticked (True) or not

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidancePanel")
        self.setAccessibleName("Playbook guidance")
        self.setDocumentMode(True)
        self.tabBar().setAccessibleName("Guidance sections")

        self.about = _browser("guidanceAbout", self)
        self.about.setAccessibleName("About this subcategory")

        actions_page = QWidget(self)
        self.actions_intro = muted(QLabel(actions_page))
        self.actions_intro.setWordWrap(True)
        self.actions_intro.setObjectName("guidanceActionsIntro")
        self.actions = QListWidget(actions_page)
        self.actions.setObjectName("guidanceActions")
        readable_checks(self.actions)
        self.actions.setAccessibleName("Suggested actions: tick those already in place")
        self.actions.setWordWrap(True)
        self.actions.setSpacing(2)
        self.actions.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.actions.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.actions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.create_from_playbook = QPushButton("&Create action from selected", actions_page)
        self.create_from_playbook.setObjectName("createActionFromPlaybook")
        self.create_from_playbook.setAccessibleName("Create a remediation action from it")
        self.create_from_playbook.setToolTip(CREATE_TIPS["playbook"])
        create_row = QHBoxLayout()
        create_row.setContentsMargins(0, 0, 0, 0)
        create_row.addWidget(self.create_from_playbook)
        create_row.addStretch(1)
        layout = QVBoxLayout(actions_page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.actions_intro)
        layout.addWidget(self.actions, 1)
        layout.addLayout(create_row)

        self.documentation = _browser("guidanceDocumentation", self)
        self.documentation.setAccessibleName("Documentation prompts")
        self.resources = _browser("guidanceResources", self)
        self.resources.setAccessibleName("Transparency resources and references")
        genai_page = QWidget(self)
        self.genai_intro = QLabel(genai_page)
        self.genai_intro.setObjectName("guidanceGenAIIntro")
        self.genai_intro.setWordWrap(True)
        self.genai_intro.setTextFormat(Qt.TextFormat.RichText)
        self.genai = QListWidget(genai_page)
        self.genai.setObjectName("guidanceGenAI")
        readable_checks(self.genai)
        self.genai.setAccessibleName("Generative AI Profile actions: tick those already in place")
        self.genai.setWordWrap(True)
        self.genai.setSpacing(2)
        self.genai.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.genai.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.genai.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        genai_layout = QVBoxLayout(genai_page)
        genai_layout.setContentsMargins(4, 4, 4, 4)
        genai_layout.addWidget(self.genai_intro)
        genai_layout.addWidget(self.genai, 1)
        self.create_from_genai = QPushButton("C&reate action from selected", genai_page)
        self.create_from_genai.setObjectName("createActionFromGenAI")
        self.create_from_genai.setAccessibleName("Create a remediation action from it")
        self.create_from_genai.setToolTip(CREATE_TIPS["genai"])
        genai_create_row = QHBoxLayout()
        genai_create_row.setContentsMargins(0, 0, 0, 0)
        genai_create_row.addWidget(self.create_from_genai)
        genai_create_row.addStretch(1)
        genai_layout.addLayout(genai_create_row)

        self.addTab(self.about, "About")
        self._actions_tab = self.addTab(actions_page, "Actions")
        docs_tab = self.addTab(self.documentation, "Docs")
        self.setTabToolTip(docs_tab, "Playbook documentation prompts")
        self.addTab(self.resources, "Resources")
        self._genai_tab = self.addTab(genai_page, "AI 600-1")
        self.setTabToolTip(self._actions_tab, "Playbook suggested actions: tick those in place")
        self.setTabToolTip(
            self._genai_tab, "Generative AI Profile (NIST AI 600-1) actions: tick those in place"
        )

        self._updating = False
        self._read_only = False
        self.actions.itemChanged.connect(self._item_changed)
        self.actions.currentRowChanged.connect(lambda _r: self._update_create())
        self.create_from_playbook.clicked.connect(self._create_from_selected)
        self.genai.itemChanged.connect(self._genai_changed)
        self.genai.currentRowChanged.connect(lambda _r: self._update_create())
        self.create_from_genai.clicked.connect(self._create_from_genai)
        self._update_create()

    def add_remediation(self, section: QWidget) -> int:
        """Add the subcategory's remediation actions as the last tab (the others keep their
        places, and the tab remembered from an earlier session stays the same one)."""
        index = self.addTab(section, "Plan")
        self.setTabToolTip(index, "Remediation actions planned for this subcategory")
        return index

    def _create_from_selected(self) -> None:
        row = self.actions.currentRow()
        if row < 0 or self._read_only:
            return
        index = self.actions.item(row).data(Qt.ItemDataRole.UserRole)
        self.create_action_requested.emit(f"playbook:{index + 1}")

    def _create_from_genai(self) -> None:
        item = self.genai.currentItem()
        if item is None or self._read_only:
            return
        self.create_action_requested.emit(f"ai600-1:{item.data(Qt.ItemDataRole.UserRole)}")

    def _update_create(self) -> None:
        for button, items, kind in (
            (self.create_from_playbook, self.actions, "playbook"),
            (self.create_from_genai, self.genai, "genai"),
        ):
            current = items.currentItem() if items.currentRow() >= 0 else None
            planned = current is not None and current.data(PLANNED_ROLE) is not None
            button.setEnabled(not self._read_only and current is not None and not planned)
            button.setToolTip(PLANNED_TIP if planned else CREATE_TIPS[kind])
            button.setVisible(items.count() > 0)

    def set_planned(self, actions: Sequence[RemediationAction]) -> None:
        """Mark the shown subcategory's suggestions (Playbook and AI 600-1) from which an open
        remediation action was made: a line under the verbatim text names the action, and
        "Create action" is off for them (the service refuses a second open one as well).

        ``actions``: the shown subcategory's actions, any status (closed ones mark nothing).
        """
        by_source = {a.source: a for a in actions if a.source and a.is_open}
        self._updating = True  # a new text is no tick
        try:
            for items, prefix in ((self.actions, PLAYBOOK_SOURCE), (self.genai, PROFILE_SOURCE)):
                for row in range(items.count()):
                    item = items.item(row)
                    key = item.data(Qt.ItemDataRole.UserRole)
                    ref = f"{prefix}{key + 1}" if prefix == PLAYBOOK_SOURCE else f"{prefix}{key}"
                    action = by_source.get(ref)
                    base = item.data(BASE_TEXT_ROLE)
                    short = action.uid[:SHORT_ID] if action is not None else None
                    text = base
                    if action is not None:
                        text += f"\n→ Planned: action {short}, {action.status.label.lower()}"
                    if item.text() != text:
                        item.setText(text)
                    item.setData(PLANNED_ROLE, short)
        finally:
            self._updating = False
        self._update_create()

    # -- content ------------------------------------------------------------------------------
    def show_guidance(
        self,
        sub: Subcategory,
        in_place: list[int],
        genai: tuple[Profile, set[str] | None] | None,
        source: SourceInfo | None = None,
        genai_in_place: list[str] | None = None,
    ) -> None:
        g = sub.guidance or Guidance()
        about = paragraphs(g.about) or f"<p>{NO_GUIDANCE}</p>"
        extra = []
        if g.ai_actors:
            extra.append(f"<p><b>AI actors:</b> {escape(', '.join(g.ai_actors))}</p>")
        if g.topics:
            extra.append(f"<p><b>Topics:</b> {escape(', '.join(g.topics))}</p>")
        if source is not None:
            extra.append(
                f"<p><i>From the {escape(source.title)} ({escape(source.published)}).</i></p>"
            )
        self.about.setHtml(about + "".join(extra))

        self._updating = True
        self.actions.clear()
        for i, text in enumerate(g.suggested_actions):
            item = QListWidgetItem(text, self.actions)
            item.setData(BASE_TEXT_ROLE, text)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Checked if i in in_place else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, i)
        self._updating = False
        if g.suggested_actions:
            self.actions.setCurrentRow(0)  # "Create action" acts on the highlighted one
        self._update_create()
        intro = g.suggested_actions_intro.strip()
        if g.suggested_actions:
            hint = "Tick the actions already in place (Space toggles the selected one)."
            self.actions_intro.setText(f"{intro}\n\n{hint}" if intro else hint)
        else:
            self.actions_intro.setText(NO_GUIDANCE)
        self._update_actions_title()

        docs = "".join(f"<li>{escape(d)}</li>" for d in g.documentation)
        self.documentation.setHtml(
            f"<p>Organizations can document the following:</p><ul>{docs}</ul>"
            if docs
            else f"<p>{NO_GUIDANCE}</p>"
        )
        res = _links_html("Transparency resources", g.resources) + _links_html(
            "References", g.references
        )
        self.resources.setHtml(res or f"<p>{NO_GUIDANCE}</p>")

        self.setTabVisible(self._genai_tab, genai is not None)
        self._updating = True
        self.genai.clear()
        if genai is not None:
            head, actions = _genai_intro(sub, *genai)
            self.genai_intro.setText(head)
            for action in actions:
                item = QListWidgetItem(_genai_item_text(action), self.genai)
                item.setData(BASE_TEXT_ROLE, item.text())
                item.setData(Qt.ItemDataRole.UserRole, action.id)
                item.setFlags(self._item_flags())
                item.setCheckState(
                    Qt.CheckState.Checked
                    if action.id in (genai_in_place or ())
                    else Qt.CheckState.Unchecked
                )
        self._updating = False
        self._update_genai_title()
        self._update_create()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_create()
        self.actions.setProperty("readOnly", read_only)
        self.genai.setProperty("readOnly", read_only)
        self._updating = True
        for widget in (self.actions, self.genai):
            for row in range(widget.count()):
                widget.item(row).setFlags(self._item_flags())
        self._updating = False

    def _item_flags(self) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def genai_in_place(self) -> list[str]:
        """The ids of the AI 600-1 actions shown ticked (those of other risks are not shown)."""
        return [
            self.genai.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.genai.count())
            if self.genai.item(r).checkState() == Qt.CheckState.Checked
        ]

    def set_genai_in_place(self, ids: list[str]) -> None:
        self._updating = True
        for r in range(self.genai.count()):
            item = self.genai.item(r)
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._updating = False
        self._update_genai_title()

    def _genai_changed(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        self._update_genai_title()
        on = item.checkState() == Qt.CheckState.Checked
        self.genai_toggled.emit(item.data(Qt.ItemDataRole.UserRole), on)

    def _update_genai_title(self) -> None:
        total = self.genai.count()
        done = len(self.genai_in_place())
        self.setTabText(self._genai_tab, f"AI 600-1 {done}/{total}" if total else "AI 600-1")

    def in_place(self) -> list[int]:
        return [
            self.actions.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.actions.count())
            if self.actions.item(r).checkState() == Qt.CheckState.Checked
        ]

    def set_in_place(self, indices: list[int]) -> None:
        self._updating = True
        for r in range(self.actions.count()):
            item = self.actions.item(r)
            checked = item.data(Qt.ItemDataRole.UserRole) in indices
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._updating = False
        self._update_actions_title()

    def _item_changed(self, _item: QListWidgetItem) -> None:
        if self._updating:
            return
        self._update_actions_title()
        self.actions_changed.emit(self.in_place())

    def _update_actions_title(self) -> None:
        total = self.actions.count()
        done = len(self.in_place())
        self.setTabText(self._actions_tab, f"Actions {done}/{total}" if total else "Actions")


def _genai_item_text(action: ProfileAction) -> str:
    """An action as listed: its id and verbatim text, then the risks it concerns."""
    labels = ", ".join(action.risk_labels) or ", ".join(action.risks)
    return f"{action.id}  {action.text}" + (f"\nRisks: {labels}" if labels else "")


def _genai_intro(
    sub: Subcategory, profile: Profile, risks: set[str] | None
) -> tuple[str, list[ProfileAction]]:
    """The tab's heading (HTML) and the actions it lists."""
    actions = profile.actions_for(sub.id, risks)
    scope = (
        "the risks selected for this assessment"
        if risks
        else "all risks (no risks were selected for this assessment)"
    )
    head = (
        f"<p><b>{escape(profile.name)}</b>: actions for {escape(sub.id)}, "
        f"filtered to {escape(scope)}.</p>"
    )
    if not actions:
        others = len(profile.actions_for(sub.id))
        more = f" {others} action(s) for this subcategory concern other risks." if others else ""
        return head + f"<p>No actions of the profile match these risks here.{more}</p>", []
    hint = "Tick the actions already in place (Space toggles the selected one)."
    return head + f"<p>{hint}</p>", actions
