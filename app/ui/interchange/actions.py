"""The File menu's interchange entries: Export > Excel workbook, respondent workbook, CSV,
OSCAL, Word report; Import changes from workbook (with its preview). Each runs off the UI
thread through the window's Background helper; refusals are one message box."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from app.ui.dialogs.messages import show_error, show_info
from app.ui.home.page import make_action

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

_XLSX = "Excel workbook (*.xlsx)"


def _slug(name: str) -> str:
    from app.ui.home.page import default_export_name

    return default_export_name(name).removesuffix(".json")


def respondent_subsets(ctx: Any, assessment_id: int) -> dict[str, Any]:
    """The subsets a respondent workbook can hold, by label: each function, then each owner
    named in the assessment's answers (read off the UI thread)."""
    from app.services.assessments import AssessmentService
    from app.services.interchange.table import Subset

    service = AssessmentService(ctx)
    assessment, answers = service.open(assessment_id)
    choices: dict[str, Any] = {
        f"Function {f.id}": Subset(function=f.id)
        for f in service.framework_for(assessment).functions
    }
    for owner in sorted({a.owner.strip() for a in answers.values() if a.owner.strip()}):
        choices[f"Owner {owner}"] = Subset(owner=owner)
    return choices


class InterchangeActions(QObject):
    """Owns the actions; ``fill(menu)`` adds them to the File menu."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.preview_dialog: Any = None
        self.respondent_dialog: Any = None

        def act(name: str, text: str, tip: str, slot: Any) -> QAction:
            action = make_action(window, name, text, tip)
            action.triggered.connect(slot)
            return action

        self.export_xlsx = act(
            "exportXlsxAction",
            "&Excel workbook…",
            "The questionnaire as a workbook to fill in and import back",
            self._export_xlsx,
        )
        self.export_respondent = act(
            "exportRespondentAction",
            "&Respondent workbook…",
            "A workbook of one function's or one owner's subcategories, to send to them",
            self._export_respondent,
        )
        self.export_csv = act(
            "exportCsvAction", "&CSV questionnaire…", "The questionnaire as CSV", self._export_csv
        )
        self.export_actions_csv = act(
            "exportActionsCsvAction",
            "CSV remediation &actions…",
            "The remediation actions as CSV (the workbook's Actions sheet)",
            self._export_actions_csv,
        )
        self.export_ics = act(
            "exportIcsAction",
            "Action &due dates (iCalendar)…",
            "The due dates of open remediation actions as a calendar file (.ics)",
            self._export_ics,
        )
        self.export_oscal = act(
            "exportOscalAction",
            "&OSCAL documents…",
            "OSCAL 1.2 catalog, assessment results and POA&M (JSON) into a folder",
            self._export_oscal,
        )
        self.export_docx = act(
            "exportDocxAction",
            "&Word report…",
            "The report as an editable Word document",
            self._export_docx,
        )
        self.print_report = make_action(
            window,
            "printReportAction",
            "Prin&t report…",
            "Print the PDF report of the open or selected assessment",
            QKeySequence.StandardKey.Print,
        )
        self.print_report.triggered.connect(self._print_report)
        self.printer: Any = None
        self.import_xlsx = act(
            "importWorkbookAction",
            "Import changes from &workbook…",
            "Preview and apply the answers a returned workbook changes",
            self._import_xlsx,
        )

    def fill(self, file_menu: QMenu) -> QMenu:
        """Add the Export submenu and the import entry to ``file_menu``; return the submenu."""
        export = file_menu.addMenu("E&xport")
        export.setObjectName("exportMenu")
        for action in (
            self.export_xlsx,
            self.export_respondent,
            self.export_csv,
            self.export_actions_csv,
            self.export_ics,
            self.export_oscal,
            self.export_docx,
        ):
            export.addAction(action)
        file_menu.addAction(self.import_xlsx)
        file_menu.addAction(self.print_report)
        return export

    # -- helpers ------------------------------------------------------------------------
    def _target(self, title: str) -> tuple[int, str] | None:
        target = self.window._target()
        if target is None:
            show_info(self.window, title, "Open or select an assessment first.")
            return None
        self.window.questionnaire.flush()
        return target

    def _run(self, what: str, fn: Any) -> None:
        window = self.window
        window.show_message(f"{what}…")
        # Behind pending saves (the write queue), so that the file holds the change just made.
        window.background.write(
            lambda: None,
            lambda _none: window.background.run(
                fn,
                lambda written: window.show_message(f"{what}: wrote {written}"),
                lambda exc: show_error(window, f"{what} failed", str(exc)),
            ),
        )

    def _save_path(self, title: str, name: str, suffix: str, file_filter: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, title, f"{_slug(name)}{suffix}", file_filter
        )
        return Path(path) if path else None

    # -- exports ------------------------------------------------------------------------
    def _export_xlsx(self, subset: Any = None, title: str = "Export Excel workbook") -> None:
        from app.services.interchange.service import InterchangeService

        target = self._target(title)
        if target is None:
            return
        aid, name = target
        path = self._save_path(title, name, ".xlsx", _XLSX)
        if path is None:
            return
        ctx = self.window.ctx
        # The save dialog asked before replacing a file (force); the app's own data is refused.
        self._run(title, lambda: InterchangeService(ctx).export_xlsx(aid, path, subset, force=True))

    def _export_respondent(self) -> None:
        target = self._target("Export respondent workbook")
        if target is None:
            return
        ctx, window = self.window.ctx, self.window
        window.background.run(
            lambda: respondent_subsets(ctx, target[0]),
            self._choose_respondent,
            lambda exc: show_error(window, "Export respondent workbook failed", str(exc)),
        )

    def _choose_respondent(self, choices: dict[str, Any]) -> None:
        from app.ui.interchange.respondent import RespondentDialog

        dialog = RespondentDialog(choices, self.window)
        self.respondent_dialog = dialog
        dialog.accepted.connect(
            lambda: self._export_xlsx(
                choices[dialog.chosen], f"Export respondent workbook ({dialog.chosen})"
            )
        )
        dialog.open()

    def _export_csv(self) -> None:
        from app.services.interchange.service import InterchangeService

        target = self._target("Export CSV questionnaire")
        if target is None:
            return
        aid, name = target
        path = self._save_path("Export CSV questionnaire", name, ".csv", "CSV (*.csv)")
        if path is None:
            return
        ctx = self.window.ctx
        self._run(
            "Export CSV questionnaire",
            lambda: InterchangeService(ctx).export_csv(aid, path, force=True),
        )

    def _export_actions_csv(self) -> None:
        from app.services.interchange.service import InterchangeService

        title = "Export CSV remediation actions"
        target = self._target(title)
        if target is None:
            return
        aid, name = target
        path = self._save_path(title, f"{name}-actions", ".csv", "CSV (*.csv)")
        if path is None:
            return
        ctx = self.window.ctx
        self._run(title, lambda: InterchangeService(ctx).export_actions_csv(aid, path, force=True))

    def _export_ics(self) -> None:
        from app.services.interchange.ics import ActionCalendarService

        title = "Export action due dates"
        target = self._target(title)
        if target is None:
            return
        aid, name = target
        path = self._save_path(title, f"{name}-due", ".ics", "iCalendar (*.ics)")
        if path is None:
            return
        ctx = self.window.ctx

        def export() -> str:
            written, count = ActionCalendarService(ctx).export(aid, path, force=True)
            if count == 0:
                return f"{written} (no open action has a due date yet: it holds no events)"
            return f"{written} ({count} due date{'s' if count != 1 else ''})"

        self._run(title, export)

    def _export_oscal(self) -> None:
        from app.services.interchange.oscal import OscalService

        target = self._target("Export OSCAL documents")
        if target is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Export OSCAL documents into")
        if not folder:
            return
        ctx, aid = self.window.ctx, target[0]
        self._run(
            "Export OSCAL documents",
            lambda: ", ".join(
                p.name for p in OscalService(ctx).export(aid, Path(folder), force=True)
            ),
        )

    def _export_docx(self) -> None:
        from app.services.interchange.docx_export import export_docx

        target = self._target("Export Word report")
        if target is None:
            return
        aid, name = target
        path = self._save_path("Export Word report", name, ".docx", "Word document (*.docx)")
        if path is None:
            return
        ctx = self.window.ctx
        self._run("Export Word report", lambda: export_docx(ctx, aid, path, force=True))

    def _print_report(self) -> None:
        from app.ui.interchange.printing import ReportPrinter

        self.printer = ReportPrinter(self.window)
        self.printer.start()

    # -- import -------------------------------------------------------------------------
    def _import_xlsx(self) -> None:
        from app.services.interchange.service import InterchangeService

        target = self._target("Import changes from workbook")
        if target is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import changes from workbook", "", _XLSX
        )
        if not path:
            return
        self.preview_file(target[0], target[1], Path(path), InterchangeService(self.window.ctx))

    def preview_file(self, aid: int, name: str, path: Path, service: Any) -> None:
        """Read ``path`` off the UI thread, then show the preview dialog (tests call this)."""
        window = self.window
        window.background.write(
            lambda: service.preview(aid, path),
            lambda plan: self._show_preview(plan, name, service),
            lambda exc: show_error(window, "The workbook cannot be imported", str(exc)),
        )

    def _show_preview(self, plan: Any, name: str, service: Any) -> None:
        from app.ui.interchange.preview import ImportPreviewDialog

        dialog = ImportPreviewDialog(plan, name, self.window)
        self.preview_dialog = dialog
        dialog.accepted.connect(lambda: self._apply(plan, service))
        dialog.finished.connect(lambda *_: setattr(self, "preview_dialog", None))
        dialog.open()

    def _apply(self, plan: Any, service: Any) -> None:
        window = self.window

        def applied(count: int) -> None:
            window.show_message(f"Imported {count} change(s) from {plan.workbook}")
            window.refresh()

        window.background.write(
            lambda: service.apply(plan),
            applied,
            lambda exc: show_error(window, "The changes were not imported", str(exc)),
        )
