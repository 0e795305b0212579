"""Export of the progress board views (Portfolio, Trend, Compare): the tables as CSV, the view
as a PNG picture or a one-page PDF, and printing the view, from the Progress page's "Export"
button.

Public API::

    button = BoardExportButton(ctx, background, current_view, name_of, parent)
    table_blocks(view) -> [(header, rows)]    # the view's visible tables, as shown
    png_bytes(widget) -> bytes                # the widget as the user sees it
    pdf_bytes(widget, title) -> bytes         # the same on one landscape A4 PDF page
    paint_fitted(widget, device)              # the same onto a printer or PDF page

The CSV holds what the tables show, in their sort order and filter (a filtered Compare lists
only the rows shown), each visible table of the view in turn; files are written off the UI
thread, atomically, never over the app's own data (``services.outputs.write_output``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QTableView, QToolButton, QWidget

from app.services.context import ServiceContext
from app.services.interchange.service import table_csv
from app.services.outputs import write_output
from app.ui.dialogs.messages import show_error, show_info
from app.ui.workers import Background

Block = tuple[list[str], list[list[str]]]


def table_blocks(view: QWidget) -> list[Block]:
    """(header, rows) of each table of ``view`` that is shown, in layout order: the display
    text of every cell, rows as the table orders and filters them."""
    blocks = []
    tables = [
        t for t in view.findChildren(QTableView) if t.isVisibleTo(view) and t.model() is not None
    ]
    # Top to bottom, then left to right, as laid out (the children's order is not the layout's).
    tables.sort(key=lambda t: (t.mapTo(view, QPoint(0, 0)).y(), t.mapTo(view, QPoint(0, 0)).x()))
    for table in tables:
        model = table.model()
        header_view = table.horizontalHeader()
        columns = [
            c for c in range(model.columnCount()) if not header_view.isSectionHidden(c)
        ]  # what the user sees
        columns.sort(key=header_view.visualIndex)
        header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
        rows = [[_text(model.index(r, c).data()) for c in columns] for r in range(model.rowCount())]
        blocks.append((header, rows))
    return blocks


def _text(value: object) -> str:
    return "" if value is None else str(value)


def png_bytes(widget: QWidget) -> bytes:
    """``widget`` rendered as a PNG (what ``QWidget.grab`` sees, at the screen's pixel ratio)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def paint_fitted(widget: QWidget, device: QPagedPaintDevice) -> None:
    """Paint ``widget`` as the user sees it (``grab``) onto one page of ``device`` (a printer or
    a PDF writer), scaled to fit its paintable area and centred, keeping its proportions."""
    picture = widget.grab()
    width, height = device.width(), device.height()  # the paintable area, in device pixels
    scale = min(width / max(1, picture.width()), height / max(1, picture.height()))
    w, h = int(picture.width() * scale), int(picture.height() * scale)
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(QRect((width - w) // 2, (height - h) // 2, w, h), picture)
    finally:
        painter.end()


def pdf_bytes(widget: QWidget, title: str) -> bytes:
    """``widget`` on one landscape A4 PDF page (``paint_fitted``), with ``title`` as the
    document's title."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("AI RMF Assessor")
    writer.setResolution(150)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    paint_fitted(widget, writer)
    buffer.close()
    return bytes(data.data())


class BoardExportButton(QToolButton):
    """ "Export" with a menu: the current view's tables as CSV, the view as a PNG picture.

    ``current_view()``: the view shown now; ``name_of(view)``: a file name stem for it
    ("portfolio", "trend-loan-scorer", "comparison").
    """

    def __init__(
        self,
        ctx: ServiceContext,
        background: Background,
        current_view: Callable[[], QWidget],
        name_of: Callable[[QWidget], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background
        self.current_view = current_view
        self.name_of = name_of
        self.setObjectName("boardExportButton")
        self.setText("E&xport")
        self.setAccessibleName("Export this view")
        self.setToolTip(
            "Save this view's table as CSV, the view as a PNG picture or a PDF page, or print it"
        )
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self)
        menu.setObjectName("boardExportMenu")
        self.csv_action = menu.addAction("Table as &CSV…", self.export_csv)
        self.csv_action.setObjectName("boardExportCsv")
        self.png_action = menu.addAction("View as &PNG picture…", self.export_png)
        self.png_action.setObjectName("boardExportPng")
        self.pdf_action = menu.addAction("View as PDF p&age…", self.export_pdf)
        self.pdf_action.setObjectName("boardExportPdf")
        menu.addSeparator()
        self.print_action = menu.addAction("P&rint view…", self.print_view)
        self.print_action.setObjectName("boardPrint")
        self.setMenu(menu)

    def _ask(self, title: str, suffix: str, file_filter: str) -> Path | None:
        name = f"{self.name_of(self.current_view())}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self.window(), title, name, file_filter)
        return Path(path) if path else None

    def _write(self, title: str, path: Path, data: bytes) -> None:
        location = self.ctx.location
        window = self.window()

        def done(written: Path | None) -> None:
            show_message = getattr(window, "show_message", None)
            if show_message is not None:
                show_message(f"{title}: wrote {written}")

        # The save dialog asked before replacing a file (force); the app's data is refused.
        self.background.run(
            lambda: write_output(location, path, "other", data, force=True, what=title.lower()),
            done,
            lambda exc: show_error(window, f"{title} failed", str(exc)),
        )

    def export_csv(self) -> None:
        """Ask for a file, then write the current view's visible tables as CSV."""
        title = "Export table as CSV"
        blocks = table_blocks(self.current_view())
        if not blocks or not any(rows for _h, rows in blocks):
            show_info(
                self.window(),
                title,
                "This view has no rows to export yet: load an AI system or a comparison first.",
            )
            return
        path = self._ask(title, ".csv", "CSV (*.csv)")
        if path is not None:
            self._write(title, path, table_csv(blocks))

    def export_png(self) -> None:
        """Ask for a file, then write the current view as a PNG picture."""
        title = "Export view as PNG"
        data = png_bytes(self.current_view())  # grabbed now: what the user sees
        path = self._ask(title, ".png", "PNG picture (*.png)")
        if path is not None:
            self._write(title, path, data)

    def export_pdf(self) -> None:
        """Ask for a file, then write the current view as one landscape A4 PDF page."""
        title = "Export view as PDF"
        view = self.current_view()
        data = pdf_bytes(view, self.name_of(view))  # drawn now: what the user sees
        path = self._ask(title, ".pdf", "PDF (*.pdf)")
        if path is not None:
            self._write(title, path, data)

    def print_view(self) -> None:
        """The system print dialog, then the current view on one page, fitted to it."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName(self.name_of(self.current_view()))
        dialog = QPrintDialog(printer, self.window())
        dialog.setAccessibleName("Print the view")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            paint_fitted(self.current_view(), printer)
