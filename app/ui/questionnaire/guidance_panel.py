"""The right panel: NIST AI RMF Playbook guidance for the subcategory, and AI 600-1 actions."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.framework import Guidance, Link, Profile, SourceInfo, Subcategory
from app.ui.style import muted

NO_GUIDANCE = "The Playbook gives no guidance for this subcategory."


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
        layout = QVBoxLayout(actions_page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.actions_intro)
        layout.addWidget(self.actions, 1)

        self.documentation = _browser("guidanceDocumentation", self)
        self.documentation.setAccessibleName("Documentation prompts")
        self.resources = _browser("guidanceResources", self)
        self.resources.setAccessibleName("Transparency resources and references")
        self.genai = _browser("guidanceGenAI", self)
        self.genai.setAccessibleName("Generative AI Profile actions")

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
        if genai is not None:
            self.genai.setHtml(_genai_html(sub, *genai))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
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


def _genai_html(sub: Subcategory, profile: Profile, risks: set[str] | None) -> str:
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
        items.append(
            f"<p><b>{escape(a.id)}</b> {escape(a.text)}"
            + (f"<br><i>Risks: {escape(labels)}</i>" if labels else "")
            + "</p>"
        )
    return head + "".join(items)
