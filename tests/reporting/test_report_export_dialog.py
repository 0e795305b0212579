"""The GUI export: options dialog (default name, paper from the locale, label), the export in the
background with a cancellable progress dialog, and the final "Open report" / "Show in folder"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from report_helpers import read_pdf

import app.ui.report_export as report_export
from app.services.assessments import AssessmentService
from app.services.report import ReportCancelled, ReportService
from app.ui.report_export import export_report_dialog, paper_for_locale
from app.ui.workers import Background

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    parent = QWidget()
    parent.resize(1280, 800)
    qtbot.addWidget(parent)
    parent.show()
    background = Background(parent)
    yield parent, background
    background.wait()


def _dialog(parent: QWidget) -> QDialog:
    dialog = parent.findChild(QDialog, "reportExportDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _fill(qtbot, dialog: QDialog, path: Path, paper: str = "a4", label: str | None = None) -> None:  # type: ignore[no-untyped-def]
    edit = dialog.findChild(QLineEdit, "reportPathEdit")
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, str(path))
    combo = dialog.findChild(QComboBox, "reportPaperCombo")
    combo.setCurrentIndex(combo.findData(paper))
    if label is not None:
        labels = dialog.findChild(QComboBox, "reportLabelCombo")
        labels.lineEdit().selectAll()
        qtbot.keyClick(labels.lineEdit(), Qt.Key.Key_Delete)
        qtbot.keyClicks(labels.lineEdit(), label)


def _export(qtbot, dialog: QDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.findChild(QPushButton, "reportExportButton"), Qt.MouseButton.LeftButton)


def _render_until_cancelled(reported: list[int] | None = None):  # type: ignore[no-untyped-def]
    """A ReportService.render that works until the export is cancelled (at most 20 s), then
    refuses as a cancelled export does; with ``reported``, it reports progress every 10 ms and
    counts each report there."""

    def render(self, report, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 20
        while not cancelled() and time.monotonic() < deadline:
            if reported is not None:
                progress(len(reported) % 90, "Drawing")
                reported.append(1)
            time.sleep(0.01)
        raise ReportCancelled("the report export was cancelled; no file was written")

    return render


def test_paper_follows_the_locale() -> None:
    english = QLocale.Language.English
    assert paper_for_locale(QLocale(english, QLocale.Country.UnitedStates)) == "letter"
    assert paper_for_locale(QLocale(english, QLocale.Country.Canada)) == "letter"
    assert paper_for_locale(QLocale(QLocale.Language.Spanish, QLocale.Country.Mexico)) == "letter"
    assert paper_for_locale(QLocale(english, QLocale.Country.Philippines)) == "letter"
    assert paper_for_locale(QLocale(english, QLocale.Country.UnitedKingdom)) == "a4"
    assert paper_for_locale(QLocale(QLocale.Language.German, QLocale.Country.Germany)) == "a4"


def test_export_through_the_dialog(qtbot, ctx, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parent, background = window
    aid = AssessmentService(ctx).create({"name": "Q3 review", "ai_system": "Loan scorer"}).id
    export_report_dialog(parent, ctx, background, aid)
    dialog = _dialog(parent)
    default = Path(dialog.findChild(QLineEdit, "reportPathEdit").text())
    today = ctx.clock().astimezone().date().isoformat()
    assert default.name == f"Q3 review-Loan scorer-{today}.pdf"
    assert dialog.findChild(QComboBox, "reportLabelCombo").currentText() == "Internal"
    dialog.grab().save(str(tmp_path / "dialog.png"))
    target = tmp_path / "board"  # no suffix: .pdf is added
    _fill(qtbot, dialog, target, paper="letter", label="Board only")
    _export(qtbot, dialog)
    qtbot.waitUntil(
        lambda: parent.findChild(QMessageBox, "reportDoneBox") is not None, timeout=30_000
    )
    box = parent.findChild(QMessageBox, "reportDoneBox")
    written = tmp_path / "board.pdf"
    assert "board.pdf" in box.text()
    pdf = read_pdf(written)
    assert round(float(pdf.reader.pages[0].mediabox.width)) == 612
    assert "BOARD ONLY" in pdf.pages[0]
    assert box.findChild(QPushButton, "reportOpenButton").text().replace("&", "") == "Open report"
    shown: list[Path] = []
    monkeypatch.setattr(report_export, "show_in_folder", shown.append)
    folder_button = box.findChild(QPushButton, "reportShowFolderButton")
    assert folder_button.text().replace("&", "") == "Show in folder"
    qtbot.mouseClick(folder_button, Qt.MouseButton.LeftButton)
    assert shown == [written]
    assert QSettings().value("reportExport/label") == "Board only"


def test_a_missing_folder_is_refused_in_the_dialog(qtbot, ctx, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    parent, background = window
    aid = AssessmentService(ctx).create({"name": "Q1"}).id
    export_report_dialog(parent, ctx, background, aid)
    dialog = _dialog(parent)
    _fill(qtbot, dialog, tmp_path / "nowhere" / "r.pdf")
    _export(qtbot, dialog)
    error = dialog.findChild(QLabel, "reportExportError")
    assert dialog.isVisible() and error.isVisible()
    assert "does not exist" in error.text()
    assert parent.findChild(QProgressDialog, "reportProgressDialog") is None


def test_cancel_keeps_the_earlier_file(qtbot, ctx, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parent, background = window
    aid = AssessmentService(ctx).create({"name": "Q2"}).id
    target = tmp_path / "q2.pdf"
    target.write_bytes(b"%PDF-1.4 earlier report")

    monkeypatch.setattr(ReportService, "render", _render_until_cancelled())
    export_report_dialog(parent, ctx, background, aid)
    dialog = _dialog(parent)
    _fill(qtbot, dialog, target)
    _export(qtbot, dialog)
    progress = parent.findChild(QProgressDialog, "reportProgressDialog")
    assert progress is not None
    qtbot.waitUntil(progress.isVisible)
    cancel = progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "infoBox") is not None, timeout=20_000)
    box = parent.findChild(QMessageBox, "infoBox")
    assert box.windowTitle() == "Export cancelled"
    assert "the earlier file q2.pdf is unchanged" in box.text()
    assert target.read_bytes() == b"%PDF-1.4 earlier report"


def test_another_kind_of_file_is_replaced_only_when_confirmed(qtbot, ctx, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    parent, background = window
    aid = AssessmentService(ctx).create({"name": "Q4"}).id
    notes = tmp_path / "notes.pdf"  # named .pdf, but holds someone's text
    notes.write_bytes(b"meeting notes, not a report")
    export_report_dialog(parent, ctx, background, aid)
    dialog = _dialog(parent)
    _fill(qtbot, dialog, notes)
    _export(qtbot, dialog)
    box = dialog.findChild(QMessageBox, "reportReplaceBox")
    assert box is not None and box.isVisible()
    assert "notes.pdf exists and is not a PDF" in box.text()
    box.grab().save(str(tmp_path / "replace.png"))
    qtbot.mouseClick(box.findChild(QPushButton, "reportKeepButton"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # back to the options, nothing started
    assert parent.findChild(QProgressDialog, "reportProgressDialog") is None
    assert notes.read_bytes() == b"meeting notes, not a report"
    _export(qtbot, dialog)
    box = dialog.findChild(QMessageBox, "reportReplaceBox")
    qtbot.mouseClick(box.findChild(QPushButton, "reportReplaceButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: parent.findChild(QMessageBox, "reportDoneBox") is not None, timeout=30_000
    )
    assert notes.read_bytes().startswith(b"%PDF")


def test_the_database_is_never_offered_as_the_report_file(qtbot, ctx, window) -> None:  # type: ignore[no-untyped-def]
    parent, background = window
    aid = AssessmentService(ctx).create({"name": "Q5"}).id
    database = ctx.location.sqlite_path
    before = database.read_bytes()
    export_report_dialog(parent, ctx, background, aid)
    dialog = _dialog(parent)
    _fill(qtbot, dialog, database)
    _export(qtbot, dialog)
    error = dialog.findChild(QLabel, "reportExportError")
    assert dialog.isVisible() and error.isVisible()
    assert "app's own data" in error.text()
    assert dialog.findChild(QMessageBox, "reportReplaceBox") is None  # no way to confirm it
    assert parent.findChild(QProgressDialog, "reportProgressDialog") is None
    assert database.read_bytes() == before


def test_a_window_closed_during_the_export_cancels_it_quietly(
    qtbot, ctx, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The progress dialog goes with its window: later progress, the outcome and the final
    message find nothing to update (no exception in Qt's event loop), and the export is
    cancelled, leaving the earlier file as it was."""
    parent = QWidget()
    parent.resize(1280, 800)
    parent.show()
    background = Background()
    aid = AssessmentService(ctx).create({"name": "Q5"}).id
    target = tmp_path / "q5.pdf"
    target.write_bytes(b"%PDF-1.4 earlier report")
    reported: list[int] = []
    monkeypatch.setattr(ReportService, "render", _render_until_cancelled(reported))
    export_report_dialog(parent, ctx, background, aid)
    _fill(qtbot, _dialog(parent), target)
    _export(qtbot, _dialog(parent))
    qtbot.waitUntil(lambda: len(reported) > 3)
    parent.deleteLater()  # the window closes: Qt deletes the progress dialog with it
    assert background.wait(20_000)  # the export stopped: cancelled when its dialog went
    qtbot.wait(100)  # the queued progress and outcome are delivered (and find no dialog)
    assert target.read_bytes() == b"%PDF-1.4 earlier report"


def test_an_export_that_ends_inside_a_progress_update_touches_nothing_after(
    qtbot, ctx, window, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A modal progress dialog's setValue processes events: the export's outcome can be
    delivered inside it, closing and deleting the dialog. The progress update must not touch
    the dialog after that (it raised "Internal C++ object already deleted" in Qt's event loop
    during the keyboard walk)."""
    import shiboken6

    parent, background = window
    aid = AssessmentService(ctx).create({"name": "Q6"}).id
    target = tmp_path / "q6.pdf"

    monkeypatch.setattr(ReportService, "render", _render_until_cancelled())
    created: list[object] = []
    original_init = report_export.ReportExport.__init__

    def keeping(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(report_export.ReportExport, "__init__", keeping)
    export_report_dialog(parent, ctx, background, aid)
    _fill(qtbot, _dialog(parent), target)
    _export(qtbot, _dialog(parent))
    qtbot.waitUntil(lambda: bool(created))
    export = created[0]
    dialog = export.dialog  # type: ignore[attr-defined]
    real_set_value = dialog.setValue

    def value_then_outcome(value: int) -> None:
        real_set_value(value)
        export._succeeded(str(target))  # type: ignore[attr-defined]  # delivered meanwhile
        shiboken6.delete(dialog)  # and the dialog's deferred deletion done

    dialog.setValue = value_then_outcome
    export._progressed(50, "Drawing the heat map")  # type: ignore[attr-defined]
    assert not shiboken6.isValid(dialog)
    export.job.cancel()  # type: ignore[attr-defined]
    assert background.wait(20_000)
    box = parent.findChild(QMessageBox, "reportDoneBox")
    assert box is not None
    box.close()
