"""The Progress page's Export button: each board view (Portfolio, Trend, Compare) as CSV (the
tables as shown) and as a PNG picture of the view; written to the file chosen, atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from app.ui.progress.export import table_blocks
from app.ui.progress.page import ProgressPage

pytestmark = pytest.mark.gui
WAIT = 10_000


@pytest.fixture
def page(ctx: Any, cycles: Any, qtbot: Any, background: Any) -> ProgressPage:
    page = ProgressPage(ctx, background)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.portfolio.model.rowCount() == 2, timeout=WAIT)
    return page


def _save_to(monkeypatch: Any, path: Path) -> list[str]:
    asked: list[str] = []

    def fake(_parent: Any, _title: str, name: str, _filter: str) -> tuple[str, str]:
        asked.append(name)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def _rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _model_rows(table: Any) -> list[list[str]]:
    model = table.model()
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_portfolio_csv_is_the_table_as_shown(
    page: ProgressPage, qtbot: Any, background: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    target = tmp_path / "p.csv"
    asked = _save_to(monkeypatch, target)
    page.export_button.csv_action.trigger()
    background.wait()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    assert asked == ["portfolio.csv"]
    rows = _rows(target)
    model = page.portfolio.table.model()
    header = [
        str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
    ]
    assert rows[0] == header and rows[0][0] == "AI system"
    assert rows[1:] == _model_rows(page.portfolio.table)
    assert sorted(r[0] for r in rows[1:]) == ["Chatbot", "Loan scorer"]


def test_trend_and_compare_csv_and_png(
    page: ProgressPage, cycles: Any, qtbot: Any, background: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    page.show_trend(cycles.system)
    qtbot.waitUntil(lambda: page.trend.model.rowCount() == 3, timeout=WAIT)
    target = tmp_path / "t.csv"
    asked = _save_to(monkeypatch, target)
    page.export_button.csv_action.trigger()
    background.wait()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    assert asked == ["trend-chatbot.csv"]
    assert _rows(target)[1:] == _model_rows(page.trend.table)

    first, second, _third = cycles.ids
    page.show_compare(first, second)
    qtbot.waitUntil(lambda: page.compare.sub_model.rowCount() > 0, timeout=WAIT)
    page.compare.show_regressions.setChecked(True)  # the CSV holds only the rows shown
    target = tmp_path / "c.csv"
    _save_to(monkeypatch, target)
    page.export_button.csv_action.trigger()
    background.wait()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    rows = _rows(target)
    blocks = table_blocks(page.compare)
    assert len(blocks) == 2  # functions and categories, then the subcategories shown
    summary = _model_rows(page.compare.summary_table)
    subs = _model_rows(page.compare.sub_table)
    assert rows == [blocks[0][0], *summary, [], blocks[1][0], *subs]
    assert 0 < len(subs) < page.compare.sub_model.rowCount()
    assert all("regressed" in " ".join(r).lower() for r in subs)

    png = tmp_path / "c.png"
    _save_to(monkeypatch, png)
    page.export_button.png_action.trigger()
    background.wait()
    qtbot.waitUntil(png.exists, timeout=WAIT)
    image = QImage(str(png))
    assert not image.isNull()
    ratio = page.compare.devicePixelRatioF()
    assert (image.width(), image.height()) == (
        round(page.compare.width() * ratio),
        round(page.compare.height() * ratio),
    )
    for theme in ("light", "dark"):
        _shoot(qtbot, page, f"/tmp/wire-inter-board-{theme}.png", theme)


def test_csv_of_an_empty_view_says_what_to_do(
    ctx: Any, qtbot: Any, background: Any, monkeypatch: Any
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("app.ui.progress.export.show_info", lambda _w, _t, text: shown.append(text))
    asked = _save_to(monkeypatch, Path("/nonexistent/never.csv"))
    page = ProgressPage(ctx, background)
    qtbot.addWidget(page)
    page.refresh()
    background.wait()
    qtbot.wait(50)
    page.export_button.csv_action.trigger()
    assert asked == [] and shown and "no rows to export" in shown[0]


def _shoot(qtbot: Any, widget: Any, path: str, theme: str) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.appearance import fusion_palette

    app = QApplication.instance()
    before = app.palette()
    app.setPalette(fusion_palette(theme == "dark"))
    try:
        qtbot.wait(10)
        widget.grab().save(path)
    finally:
        app.setPalette(before)


def test_a_view_as_a_pdf_page_and_printed(
    page: ProgressPage, qtbot: Any, background: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    """Issue 16: the board views export as a PDF page and print; both draw the view as shown,
    scaled onto one landscape page."""
    from pypdf import PdfReader
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    target = tmp_path / "p.pdf"
    asked = _save_to(monkeypatch, target)
    page.export_button.pdf_action.trigger()
    background.wait()
    qtbot.waitUntil(target.exists, timeout=WAIT)
    assert asked == ["portfolio.pdf"]
    pdf = PdfReader(str(target))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert pdf.metadata.title == "portfolio"
    assert pdf.pages[0].images  # the view, drawn

    printed = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        printer: QPrinter = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        assert printer.pageLayout().orientation() is QPageLayout.Orientation.Landscape
        return int(QPrintDialog.DialogCode.Accepted)

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    page.export_button.print_action.trigger()
    assert len(PdfReader(str(printed)).pages) == 1
