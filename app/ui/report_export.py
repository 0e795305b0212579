"""Export the PDF maturity report: choose file, paper and label; run off the UI thread with a
cancellable progress dialog; then offer to open the report or show it in its folder.

ReportLab is never imported here: the report service loads it when the export starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.config.paths import DataLocation
from app.domain.report import DEFAULT_LABEL, LABELS, ReportInputError, normalize_label
from app.services.context import ServiceContext
from app.services.errors import NeedsConfirmation, ServiceError
from app.services.outputs import guard_output
from app.services.report import ReportCancelled, ReportService
from app.ui.dialogs.messages import show_error, show_info
from app.ui.help import SCORING, guide_button
from app.ui.style import error_label, muted
from app.ui.wheel_guard import guard_wheel
from app.ui.workers import Background, Job

SETTINGS_PREFIX = "reportExport/"
PDF_FILTER = "PDF files (*.pdf)"
PAPERS = (("A4", "a4"), ("US Letter", "letter"))

# Territories where US Letter is the usual paper size (the rest of the world uses A4).
_LETTER_TERRITORIES = (
    "UnitedStates",
    "Canada",
    "Mexico",
    "Philippines",
    "Chile",
    "Colombia",
    "CostaRica",
    "DominicanRepublic",
    "ElSalvador",
    "Guatemala",
    "Nicaragua",
    "Panama",
    "PuertoRico",
    "Venezuela",
    "Belize",
)


def paper_for_locale(locale: QLocale | None = None) -> str:
    """ "letter" for the Americas' Letter countries and the Philippines, else "a4"."""
    territory = (locale or QLocale()).territory()
    letter = {getattr(QLocale.Country, name, None) for name in _LETTER_TERRITORIES}
    return "letter" if territory in letter else "a4"


def open_file(path: Path) -> bool:
    """Open with the system's program for the file; False when there is none."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def show_in_folder(path: Path) -> None:
    """Reveal the file in the system's file manager (select it where the platform can)."""
    try:
        if sys.platform == "win32":
            subprocess.Popen(["explorer", f"/select,{path}"])
            return
        if sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(path)])
            return
    except OSError:
        pass
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ReportOptionsDialog(QDialog):
    """Where to save, which paper and which confidentiality label. Validated before closing."""

    def __init__(
        self,
        default_path: Path,
        paper: str,
        label: str,
        parent: QWidget | None,
        location: DataLocation | None = None,
    ) -> None:
        super().__init__(parent)
        # The database's location: the app's own files are never offered as a target.
        self.location = location
        self.force = False
        self.replace_box: QMessageBox | None = None
        self.setObjectName("reportExportDialog")
        self.setWindowTitle("Export PDF report")
        self.setModal(True)
        self.path_edit = QLineEdit(str(default_path), self)
        self.path_edit.setObjectName("reportPathEdit")
        self.path_edit.setAccessibleName("File to save the report to")
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("reportBrowseButton")
        browse.setAccessibleName("Choose the file")
        browse.setToolTip("Choose the folder and file name")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.exists_note = QLabel(self)
        self.exists_note.setObjectName("reportExistsNote")
        self.exists_note.setWordWrap(True)
        muted(self.exists_note)
        self.paper_combo = QComboBox(self)
        guard_wheel(self.paper_combo)
        self.paper_combo.setObjectName("reportPaperCombo")
        self.paper_combo.setAccessibleName("Paper size")
        for text, value in PAPERS:
            self.paper_combo.addItem(text, value)
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(paper)))
        self.label_combo = QComboBox(self)
        guard_wheel(self.label_combo)
        self.label_combo.setObjectName("reportLabelCombo")
        self.label_combo.setAccessibleName("Confidentiality label")
        self.label_combo.setEditable(True)
        self.label_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.label_combo.addItems(list(LABELS))
        self.label_combo.setCurrentText(label)
        self.label_combo.setToolTip(
            "Printed in the header and footer of every page; choose one or type your own"
        )
        hint = QLabel("Printed in the header and footer of every page; type your own if needed.")
        hint.setWordWrap(True)
        muted(hint)
        form = QFormLayout()
        path_label = QLabel("&Save as:", self)
        path_label.setBuddy(self.path_edit)
        form.addRow(path_label, row)
        form.addRow("", self.exists_note)
        paper_label = QLabel("&Paper:", self)
        paper_label.setBuddy(self.paper_combo)
        form.addRow(paper_label, self.paper_combo)
        label_label = QLabel("Confidentiality &label:", self)
        label_label.setBuddy(self.label_combo)
        form.addRow(label_label, self.label_combo)
        form.addRow("", hint)
        method = QLabel("Figures as the report's Method section states.", self)
        muted(method)
        self.method_help = guide_button(SCORING, "how the report's figures are computed", self)
        method_row = QHBoxLayout()
        method_row.addWidget(method, 1)
        method_row.addWidget(self.method_help)
        form.addRow("Method:", method_row)
        self.error = error_label(self, "reportExportError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Export")
        ok.setObjectName("reportExportButton")
        ok.setAccessibleName("Export the PDF report")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("reportCancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.path_edit.textChanged.connect(self._path_changed)
        self.path_edit.textChanged.connect(lambda _text: setattr(self, "force", False))
        self._path_changed(self.path_edit.text())
        self.resize(620, self.sizeHint().height())
        self.target: Path | None = None
        self.paper = paper
        self.label = label

    def _path_changed(self, text: str) -> None:
        self.error.setVisible(False)
        path = Path(text.strip()).expanduser() if text.strip() else None
        note = ""
        try:
            if path is not None and path.exists():
                note = "A file with this name exists; it is replaced only when the export succeeds."
                if self.location is not None:  # the app's own data or a device: say so at once
                    guard_output(self.location, path, "pdf", force=True)
        except ServiceError as exc:
            note = _sentence(str(exc))
        except OSError:  # a name the system cannot look up: Export explains
            note = ""
        self.exists_note.setText(note)
        self.exists_note.setVisible(bool(note))

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save PDF report", self.path_edit.text(), PDF_FILTER
        )
        if chosen:
            self.path_edit.setText(chosen)
            # The file dialog has already asked before replacing an existing file.
            self.force = Path(chosen).suffix != "" and Path(chosen).exists()

    def _refuse(self, message: str, widget: QWidget) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        widget.setFocus()

    def accept(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self._refuse("Choose a file to save the report to.", self.path_edit)
            return
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(".pdf")
        if path.is_dir():
            self._refuse(f"{path} is a folder: add a file name such as report.pdf.", self.path_edit)
            return
        if not path.parent.is_dir():
            self._refuse(f"The folder {path.parent} does not exist.", self.path_edit)
            return
        try:
            label = normalize_label(self.label_combo.currentText())
        except ReportInputError as exc:
            message = str(exc)
            self._refuse(message[:1].upper() + message[1:] + ".", self.label_combo)
            return
        if self.location is not None:
            try:
                guard_output(self.location, path, "pdf", force=self.force)
            except NeedsConfirmation:
                self._ask_replace(path)
                return
            except ServiceError as exc:
                self.exists_note.setVisible(False)  # the error below says it once
                self._refuse(_sentence(str(exc)), self.path_edit)
                return
        self.target = path
        self.paper = str(self.paper_combo.currentData())
        self.label = label
        super().accept()

    def _ask_replace(self, path: Path) -> None:
        """An existing file that is not a PDF: replace it only if the user says so."""
        box = QMessageBox(self)
        box.setObjectName("reportReplaceBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Replace a file that is not a PDF?")
        box.setText(f"{path.name} exists and is not a PDF report.")
        box.setInformativeText(
            "Exporting replaces its content with the report; the earlier content cannot be "
            "recovered. Choose another name to keep it."
        )
        replace = box.addButton("&Replace it", QMessageBox.ButtonRole.DestructiveRole)
        replace.setObjectName("reportReplaceButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("reportKeepButton")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def answered(button: object) -> None:
            self.replace_box = None
            if button is replace:
                self.force = True
                self.accept()
            else:
                self.path_edit.setFocus()
                self.path_edit.selectAll()

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.replace_box = box
        box.open()


class ReportExport(QObject):
    """One running export: its progress dialog, cancel flag and the final message."""

    def __init__(
        self,
        parent: QWidget,
        ctx: ServiceContext,
        background: Background,
        assessment_id: int,
        target: Path,
        paper: str,
        label: str,
        force: bool = False,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.target = target
        self.done_box: QMessageBox | None = None
        self.dialog = QProgressDialog("Preparing the report…", "Cancel", 0, 100, parent)
        self.dialog.setObjectName("reportProgressDialog")
        self.dialog.setWindowTitle("Exporting PDF report")
        self.dialog.setAccessibleName("Report export progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setMinimumWidth(420)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.show()
        # The job (below) is cancelled if the dialog goes with its window before it ends.
        jobs: list[Job] = []
        self.dialog.destroyed.connect(lambda *_: [job.cancel() for job in jobs])
        service = ReportService(ctx)
        # The one background helper: progress (percent of 100) and cancel go through its job.
        self.job = background.run_job(
            lambda job: service.export_pdf(
                assessment_id,
                target,
                paper=paper,
                label=label,
                progress=lambda percent, message: job.report(percent, 100, message),
                cancelled=lambda: job.cancelled,
                force=force,
            ),
            self._succeeded,
            self._failed,
            on_progress=lambda percent, _total, message: self._progressed(percent, message),
        )
        jobs.append(self.job)

    def cancel(self) -> None:
        self.job.cancel()
        if isValid(self.dialog):
            self.dialog.setLabelText("Cancelling…")

    # The progress dialog and the window belong to Qt: either may be gone when a signal of the
    # export arrives (the window closed meanwhile). Each callback checks before touching them;
    # a closed window cancels the export (its dialog's ``destroyed``), nothing is shown.
    def _progressed(self, percent: int, message: str) -> None:
        if self.job.cancelled or not isValid(self.dialog):
            return
        self.dialog.setLabelText(message + "…")
        # Last: a modal progress dialog's setValue processes events (Qt does, to stay
        # responsive), so the export may end inside it and its dialog be deleted.
        self.dialog.setValue(max(self.dialog.value(), min(99, percent)))

    def _finish(self) -> bool:
        """Close the progress dialog; False when the window is gone (show nothing more)."""
        if isValid(self.dialog):
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
        return isValid(self.parent_widget)

    def _succeeded(self, path: object) -> None:
        if not self._finish():
            self._forget()
            return
        written = Path(str(path))
        box = QMessageBox(self.parent_widget)
        box.setObjectName("reportDoneBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Report exported")
        box.setText(f"The report was saved as {written.name}.")
        box.setInformativeText(str(written.parent))
        open_button = box.addButton("&Open report", QMessageBox.ButtonRole.AcceptRole)
        open_button.setObjectName("reportOpenButton")
        folder_button = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        folder_button.setObjectName("reportShowFolderButton")
        close_button = box.addButton(QMessageBox.StandardButton.Close)
        close_button.setObjectName("reportCloseButton")
        box.setDefaultButton(open_button)

        def clicked(button: object) -> None:
            if button is open_button and not open_file(written):
                show_info(
                    self.parent_widget,
                    "No PDF viewer",
                    f"No program is set up to open PDF files. The report is at {written}.",
                )
            elif button is folder_button:
                show_in_folder(written)

        box.buttonClicked.connect(clicked)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.done_box = box
        box.open()
        self._forget()

    def _failed(self, exc: Exception) -> None:
        if not self._finish():
            self._forget()
            return
        if isinstance(exc, ReportCancelled):
            show_info(self.parent_widget, "Export cancelled", _sentence(str(exc)))
        elif isinstance(exc, ServiceError):
            show_error(self.parent_widget, "The report was not exported", str(exc))
        else:
            show_error(
                self.parent_widget,
                "The report was not exported",
                f"an unexpected error occurred ({type(exc).__name__}: {exc}); "
                f"{self.target.name} was not changed",
            )
        self._forget()

    def _forget(self) -> None:
        if isValid(self):  # gone already when its window was closed
            self.deleteLater()


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _default_folder(settings: QSettings) -> Path:
    saved = settings.value(SETTINGS_PREFIX + "folder", "")
    if saved and Path(str(saved)).is_dir():
        return Path(str(saved))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def export_report_dialog(
    parent: QWidget, ctx: ServiceContext, background: Background, assessment_id: int
) -> None:
    """Ask for the file, paper and label, then export in the background (non-blocking)."""
    settings = QSettings()
    service = ReportService(ctx)
    try:
        name = service.default_file_name(assessment_id)
    except ServiceError as exc:
        show_error(parent, "The report cannot be exported", str(exc))
        return
    paper = str(settings.value(SETTINGS_PREFIX + "paper", "") or paper_for_locale())
    if paper not in {value for _t, value in PAPERS}:
        paper = paper_for_locale()
    label = str(settings.value(SETTINGS_PREFIX + "label", "") or DEFAULT_LABEL)
    dialog = ReportOptionsDialog(
        _default_folder(settings) / name, paper, label, parent, ctx.location
    )

    def start() -> None:
        assert dialog.target is not None
        settings.setValue(SETTINGS_PREFIX + "folder", str(dialog.target.parent))
        settings.setValue(SETTINGS_PREFIX + "paper", dialog.paper)
        settings.setValue(SETTINGS_PREFIX + "label", dialog.label)
        ReportExport(
            parent,
            ctx,
            background,
            assessment_id,
            dialog.target,
            dialog.paper,
            dialog.label,
            force=dialog.force,
        )

    dialog.accepted.connect(start)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
