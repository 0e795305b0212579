"""The right panel: NIST AI RMF Playbook guidance for the subcategory, and AI 600-1 actions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
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

from app.domain.framework import Guidance, Link, Profile, SourceInfo, Subcategory
from app.ui.style import muted

NO_GUIDANCE = "The Playbook gives no guidance for this subcategory."
CREATE_SCHEME = "create-action"  # the AI 600-1 tab's "Create action" links: create-action:<id>


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
    """Tabs: About, Suggested actions (ticked "in place"), Documentation, Resources, AI 600-1."""

    actions_changed = Signal(list)  # indices of the suggested actions in place
    # A remediation action is to be made from a suggestion: "playbook:<n>" or "ai600-1:<id>".
    create_action_requested = Signal(str)

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
        self.actions.setAccessibleName("Suggested actions: tick those already in place")
        self.actions.setWordWrap(True)
        self.actions.setSpacing(2)
        self.actions.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.actions.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.actions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.create_from_playbook = QPushButton("&Create action from selected", actions_page)
        self.create_from_playbook.setObjectName("createActionFromPlaybook")
        self.create_from_playbook.setAccessibleName("Create a remediation action from it")
        self.create_from_playbook.setToolTip(
            "Plan a remediation action with the selected suggestion's text (keeps its reference)"
        )
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
        self.genai = _browser("guidanceGenAI", self)
        self.genai.setAccessibleName("Generative AI Profile actions")
        self.genai.setOpenLinks(False)  # its links create actions (see _genai_link)
        self.genai.anchorClicked.connect(self._genai_link)
        self._genai_shown: tuple[Subcategory, Profile, set[str] | None] | None = None
        self._read_only = False

        self.addTab(self.about, "About")
        self._actions_tab = self.addTab(actions_page, "Actions")
        docs_tab = self.addTab(self.documentation, "Docs")
        self.setTabToolTip(docs_tab, "Playbook documentation prompts")
        self.addTab(self.resources, "Resources")
        self._genai_tab = self.addTab(self.genai, "AI 600-1")
        self.setTabToolTip(self._actions_tab, "Playbook suggested actions: tick those in place")
        self.setTabToolTip(self._genai_tab, "Generative AI Profile (NIST AI 600-1) actions")

        self._updating = False
        self.actions.itemChanged.connect(self._item_changed)
        self.actions.currentRowChanged.connect(lambda _r: self._update_create())
        self.create_from_playbook.clicked.connect(self._create_from_selected)
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

    def _update_create(self) -> None:
        self.create_from_playbook.setEnabled(not self._read_only and self.actions.currentRow() >= 0)
        self.create_from_playbook.setVisible(self.actions.count() > 0)

    def _genai_link(self, url: QUrl) -> None:
        if url.scheme() == CREATE_SCHEME:
            if not self._read_only:
                self.create_action_requested.emit(f"ai600-1:{url.path()}")
            return
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(url)

    # -- content ------------------------------------------------------------------------------
    def show_guidance(
        self,
        sub: Subcategory,
        in_place: list[int],
        genai: tuple[Profile, set[str] | None] | None,
        source: SourceInfo | None = None,
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
        self._genai_shown = (sub, *genai) if genai is not None else None
        if genai is not None:
            self.genai.setHtml(_genai_html(sub, *genai, creatable=not self._read_only))

    def set_read_only(self, read_only: bool) -> None:
        changed = read_only != self._read_only
        self._read_only = read_only
        self._update_create()
        if changed and self._genai_shown is not None:
            self.genai.setHtml(_genai_html(*self._genai_shown, creatable=not read_only))
        self.actions.setProperty("readOnly", read_only)
        self._updating = True
        for row in range(self.actions.count()):
            item = self.actions.item(row)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if not read_only:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
        self._updating = False

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


def _genai_html(
    sub: Subcategory, profile: Profile, risks: set[str] | None, *, creatable: bool = False
) -> str:
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
        return head + f"<p>No actions of the profile match these risks here.{more}</p>"
    items = []
    for a in actions:
        labels = ", ".join(a.risk_labels) or ", ".join(a.risks)
        create = (
            f'<br><a href="{CREATE_SCHEME}:{escape(a.id, quote=True)}">Create action</a>'
            if creatable
            else ""
        )
        items.append(
            f"<p><b>{escape(a.id)}</b> {escape(a.text)}"
            + (f"<br><i>Risks: {escape(labels)}</i>" if labels else "")
            + create
            + "</p>"
        )
    return head + "".join(items)
