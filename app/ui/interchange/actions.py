"""The File menu's interchange entries: Export > Excel workbook, respondent workbook, CSV,
OSCAL, Word report; Import changes from workbook (with its preview). Each runs off the UI
thread through the window's Background helper; refusals are one message box."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from app.ui.dialogs.messages import show_error, show_info
from app.ui.shell.action_table import ActionSpec, build_actions

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


@dataclass(frozen=True)
class FileExport:
    """One export to a file the user names: the action's ``title`` (dialog title and status
    messages), the file name added to the assessment's (``suffix``, ``ext``), the save
    dialog's ``file_filter``, and ``write(ctx, assessment id, path)``, run off the UI thread,
    which returns what the status bar says was written."""

    title: str
    suffix: str
    ext: str
    file_filter: str
    write: Callable[[Any, int, Path], object]


def _write_ics(ctx: Any, aid: int, path: Path) -> str:
    from app.services.interchange.ics import ActionCalendarService

    written, count = ActionCalendarService(ctx).export(aid, path, force=True)
    if count == 0:
        return f"{written} (no open action has a due date yet: it holds no events)"
    return f"{written} ({count} due date{'s' if count != 1 else ''})"


def _interchange(ctx: Any) -> Any:
    from app.services.interchange.service import InterchangeService

    return InterchangeService(ctx)


def _write_docx(ctx: Any, aid: int, path: Path) -> object:
    from app.services.interchange.docx_export import export_docx

    return export_docx(ctx, aid, path, force=True)


_CSV = "CSV (*.csv)"
# The save dialog asked before replacing a file (force); the app's own data is refused.
CSV_QUESTIONNAIRE = FileExport(
    "Export CSV questionnaire",
    "",
    ".csv",
    _CSV,
    lambda ctx, aid, path: _interchange(ctx).export_csv(aid, path, force=True),
)
CSV_ACTIONS = FileExport(
    "Export CSV remediation actions",
    "-actions",
    ".csv",
    _CSV,
    lambda ctx, aid, path: _interchange(ctx).export_actions_csv(aid, path, force=True),
)
ICS = FileExport("Export action due dates", "-due", ".ics", "iCalendar (*.ics)", _write_ics)
DOCX = FileExport("Export Word report", "", ".docx", "Word document (*.docx)", _write_docx)

_ACTIONS = [
    ActionSpec(
        "export_xlsx",
        "exportXlsxAction",
        "&Excel workbook…",
        "The questionnaire as a workbook to fill in and import back",
        slot="_export_xlsx",
    ),
    ActionSpec(
        "export_respondent",
        "exportRespondentAction",
        "&Respondent workbook…",
        "A workbook of one function's or one owner's subcategories, to send to them",
        slot="_export_respondent",
    ),
    ActionSpec(
        "export_csv",
        "exportCsvAction",
        "&CSV questionnaire…",
        "The questionnaire as CSV",
        slot="_export_csv",
    ),
    ActionSpec(
        "export_actions_csv",
        "exportActionsCsvAction",
        "CSV remediation &actions…",
        "The remediation actions as CSV (the workbook's Actions sheet)",
        slot="_export_actions_csv",
    ),
    ActionSpec(
        "export_ics",
        "exportIcsAction",
        "Action &due dates (iCalendar)…",
        "The due dates of open remediation actions as a calendar file (.ics)",
        slot="_export_ics",
    ),
    ActionSpec(
        "export_oscal",
        "exportOscalAction",
        "&OSCAL documents…",
        "OSCAL 1.2 catalog, assessment results and POA&M (JSON) into a folder",
        slot="_export_oscal",
    ),
    ActionSpec(
        "export_docx",
        "exportDocxAction",
        "&Word report…",
        "The report as an editable Word document",
        slot="_export_docx",
    ),
    ActionSpec(
        "print_report",
        "printReportAction",
        "Prin&t report…",
        "Print the PDF report of the open or selected assessment",
        QKeySequence.StandardKey.Print,
        "_print_report",
    ),
    ActionSpec(
        "import_xlsx",
        "importWorkbookAction",
        "Import changes from &workbook…",
        "Preview and apply the answers a returned workbook changes",
        slot="_import_xlsx",
    ),
]


class InterchangeActions(QObject):
    """Owns the actions (declared in ``_ACTIONS``); ``fill(menu)`` adds them to the File
    menu."""

    export_xlsx: QAction
    export_respondent: QAction
    export_csv: QAction
    export_actions_csv: QAction
    export_ics: QAction
    export_oscal: QAction
    export_docx: QAction
    print_report: QAction
    import_xlsx: QAction

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.preview_dialog: Any = None
        self.respondent_dialog: Any = None

        self.printer: Any = None
        build_actions(self, window, _ACTIONS, self)

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
        window.background.after_writes(
            lambda: window.background.run(
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
        """The workbook of the whole questionnaire, or of ``subset`` (a respondent's)."""
        self._export_file(
            FileExport(
                title,
                "",
                ".xlsx",
                _XLSX,
                lambda ctx, aid, path: _interchange(ctx).export_xlsx(aid, path, subset, force=True),
            )
        )

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

    def _export_file(self, export: FileExport) -> None:
        """Ask where (named after the open or selected assessment), then write ``export``
        behind pending saves and off the UI thread."""
        target = self._target(export.title)
        if target is None:
            return
        aid, name = target
        path = self._save_path(export.title, name + export.suffix, export.ext, export.file_filter)
        if path is None:
            return
        ctx = self.window.ctx
        self._run(export.title, lambda: export.write(ctx, aid, path))

    def _export_csv(self) -> None:
        self._export_file(CSV_QUESTIONNAIRE)

    def _export_actions_csv(self) -> None:
        self._export_file(CSV_ACTIONS)

    def _export_ics(self) -> None:
        self._export_file(ICS)

    def _export_docx(self) -> None:
        self._export_file(DOCX)

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
            from app.ui.shell.changes import ANSWER_LEVEL, Change

            window.publish(Change.of(ANSWER_LEVEL, plan.assessment_id))

        window.background.write(
            lambda: service.apply(plan),
            applied,
            lambda exc: show_error(window, "The changes were not imported", str(exc)),
        )
