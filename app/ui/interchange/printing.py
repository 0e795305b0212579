"""File > Print: the PDF report printed page by page (the PDF rendered with QtPdf's
QPdfDocument onto the printer chosen in the system's print dialog).

Public API::

    print_pdf(data, printer) -> int      # pages printed; raises PrintError
    ReportPrinter(window).start()        # build the report off the UI thread, then ask, print

The report is the same PDF that File > Export PDF report writes (built by ReportService with
the paper of the user's locale), so the printout and the file never differ. Pages are rendered
at up to ``MAX_DPI`` and scaled to fit the printable area, keeping their proportions; both the
report and the printing run off the UI thread.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog

from app.ui.dialogs.messages import show_error, show_info

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from app.ui.main_window import MainWindow

MAX_DPI = 200  # sharp text on paper; a printer's 1200 dpi would make huge page images


class PrintError(Exception):
    """The report could not be printed (the message says why)."""


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Print every page of the PDF ``data`` on ``printer`` (already set up: a dialog's choice,
    or a PDF file in tests). Returns the number of pages printed. Raises PrintError when the
    PDF cannot be read or the printer cannot be started."""
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    with tempfile.TemporaryDirectory(prefix="airmf-print-") as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        document = QPdfDocument()
        error = document.load(str(path))  # synchronous for a local file
        count = document.pageCount()
        if error != QPdfDocument.Error.None_ or count < 1:
            raise PrintError(f"the report cannot be read for printing ({error.name})")
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError("the printer cannot be started; check it in the system's settings")
        try:
            area = printer.pageRect(QPrinter.Unit.DevicePixel)
            dpi = min(printer.resolution(), MAX_DPI)
            for index in range(count):
                if index and not printer.newPage():
                    raise PrintError(f"the printer refused page {index + 1}")
                points = document.pagePointSize(index)
                image = document.render(
                    index,
                    QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)),
                )
                scale = min(area.width() / image.width(), area.height() / image.height())
                width, height = image.width() * scale, image.height() * scale
                target = QRectF(
                    (area.width() - width) / 2, (area.height() - height) / 2, width, height
                )
                painter.drawImage(target, image)
        finally:
            painter.end()
        document.close()
        return count


class ReportPrinter:
    """File > Print for the window's open or selected assessment."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: QDialog | None = None

    def start(self) -> None:
        """Build the report off the UI thread, then show the print dialog."""
        from app.services.report import ReportService
        from app.ui.report_export import paper_for_locale

        window = self.window
        target = window._target()
        if target is None:
            show_info(window, "Print report", "Open or select an assessment first.")
            return
        window.questionnaire.flush()
        ctx, aid, paper = window.ctx, target[0], paper_for_locale()

        def build() -> bytes:
            service = ReportService(ctx)
            return service.render(service.build(aid, paper))

        window.show_message("Preparing the report for printing…")
        # Behind pending saves (the write queue), so that the printout holds the change just made.
        window.background.after_writes(
            lambda: window.background.run(
                build,
                lambda data: self._ask(data, target[1]),
                lambda exc: show_error(window, "The report cannot be printed", str(exc)),
            ),
        )

    def _ask(self, data: bytes, name: str) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{name}: AI RMF report")
        dialog = QPrintDialog(printer, self.window)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle("Print report")
        self.dialog = dialog

        def chosen(result: int) -> None:
            self.dialog = None
            if result != QDialog.DialogCode.Accepted:
                self.window.show_message("Printing cancelled")
                return
            window = self.window
            window.show_message("Printing…")
            # QPainter may paint on a QPrinter outside the UI thread (Qt's QPainter docs):
            # rendering the pages takes seconds and the window stays responsive meanwhile.
            window.background.run(
                lambda: print_pdf(data, printer),
                lambda pages: window.show_message(
                    f"Sent {pages} page{'s' if pages != 1 else ''} to the printer"
                ),
                lambda exc: show_error(window, "The report cannot be printed", str(exc)),
            )

        dialog.finished.connect(chosen)
        dialog.open()
