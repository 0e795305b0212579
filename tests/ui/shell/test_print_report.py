"""File > Print report: the PDF report printed page by page through QtPdf onto the printer the
print dialog chose (here a QPrinter writing a PDF file, offscreen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from app.ui.interchange.printing import PrintError, print_pdf

pytestmark = pytest.mark.gui


def _report(ctx: Any, aid: int) -> bytes:
    from app.services.report import ReportService

    service = ReportService(ctx)
    return service.render(service.build(aid, "a4"))


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_every_report_page_is_printed(ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    import io

    from app.services.sample import create_sample

    sample = create_sample(ctx)
    data = _report(ctx, sample.id)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    out = tmp_path / "printed.pdf"
    assert print_pdf(data, _pdf_printer(out)) == pages
    printed = PdfReader(out)
    assert len(printed.pages) == pages > 1
    assert len(printed.pages[0].images) == 1  # each page drawn as the rendered report page


def test_a_damaged_pdf_is_one_clear_error(tmp_path: Path, qtbot: Any) -> None:
    with pytest.raises(PrintError, match="cannot be read for printing"):
        print_pdf(b"%PDF-1.7 not really", _pdf_printer(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_file_print_report_prints_the_open_assessment(
    ctx: Any, qtbot: Any, make_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Ctrl+P builds the report off the UI thread, shows the print dialog (here one that
    chooses a PDF file and accepts), and prints every page."""
    import PySide6.QtPrintSupport as print_support

    from app.services.sample import create_sample

    out = tmp_path / "from-menu.pdf"

    class ChoosingDialog(QDialog):
        def __init__(self, printer: QPrinter, parent: Any) -> None:
            super().__init__(parent)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))

        def open(self) -> None:  # the user presses Print
            QTimer.singleShot(0, self.accept)

    monkeypatch.setattr(print_support, "QPrintDialog", ChoosingDialog)
    sample = create_sample(ctx)
    window = make_window()
    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.current is not None)
    action = window.findChild(QAction, "printReportAction")
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    action.trigger()
    qtbot.waitUntil(lambda: "to the printer" in window.statusBar().currentMessage(), timeout=60_000)
    pages = len(PdfReader(out).pages)
    assert f"Sent {pages} pages to the printer" == window.statusBar().currentMessage()
