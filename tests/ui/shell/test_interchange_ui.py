"""File > Export entries and File > Import changes from workbook: the preview dialog shows
every field before and after, conflicts marked; Apply writes them, Cancel writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

pytestmark = pytest.mark.gui


def _edit(path: Path, changes: dict[tuple[str, str], Any]) -> None:
    wb = load_workbook(path)
    ws = wb["Questionnaire"]
    header = {c.value: c.column for c in ws[1]}
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    for (sub, key), value in changes.items():
        ws.cell(rows[sub], header[key]).value = value
    wb.save(path)


@pytest.fixture
def workbook(ctx: Any, tmp_path: Path) -> tuple[Any, Path]:
    from app.services.answers import AnswerService
    from app.services.interchange.service import InterchangeService
    from app.services.sample import create_sample

    sample = create_sample(ctx)
    path = tmp_path / "returned.xlsx"
    InterchangeService(ctx).export_xlsx(sample.id, path)
    AnswerService(ctx).record(sample.id, "GOVERN 1.2", owner="Changed in the app")
    _edit(
        path,
        {
            ("GOVERN 1.1", "notes"): "From the respondent",
            ("GOVERN 1.2", "owner"): "Respondent's owner",
            ("MAP 1.1", "target"): 5,
        },
    )
    return sample, path


def test_file_menu_has_the_export_submenu_and_the_import_entry(make_window: Any) -> None:
    window = make_window()
    file_menu = window.findChild(type(window.menuBar().actions()[0].menu()), "fileMenu")
    texts = [a.text() for a in file_menu.actions()]
    assert "Import changes from &workbook…" in texts
    export = window.findChild(type(file_menu), "exportMenu")
    assert [a.text() for a in export.actions()] == [
        "&Excel workbook…",
        "&Respondent workbook…",
        "&CSV questionnaire…",
        "CSV remediation &actions…",
        "Action &due dates (iCalendar)…",
        "&OSCAL documents…",
        "&Word report…",
    ]


def test_preview_lists_changes_and_conflicts_and_apply_writes_them(
    qtbot: Any, make_window: Any, ctx: Any, workbook: Any, qtmodeltester: Any
) -> None:
    from app.services.answers import AnswerService
    from app.services.interchange.service import InterchangeService

    sample, path = workbook
    window = make_window()
    actions = window.interchange
    actions.preview_file(sample.id, sample.name, path, InterchangeService(ctx))
    qtbot.waitUntil(
        lambda: actions.preview_dialog is not None and actions.preview_dialog.isVisible()
    )
    dialog = actions.preview_dialog
    qtmodeltester.check(dialog.model)
    rows = [
        [dialog.model.index(r, c).data() for c in range(dialog.model.columnCount())]
        for r in range(dialog.model.rowCount())
    ]
    by_key = {(r[1], r[2]): r for r in rows}
    assert by_key[("GOVERN 1.1", "Notes")][4] == "From the respondent"
    assert by_key[("MAP 1.1", "Target")][3:5] == ["(empty)", "5"]
    assert by_key[("GOVERN 1.2", "Owner")][5].startswith("Conflict")
    assert dialog.apply_button.text() == "Apply 2 changes"
    assert "1 field was changed in the app after the export" in dialog.summary.text()
    assert "Actions sheet: 0 actions read, matched by id" in dialog.summary.text()
    for theme in ("light", "dark"):
        _shoot(qtbot, dialog, f"/tmp/interchange-preview-{theme}.png", theme)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: AnswerService(ctx).get(sample.id, "MAP 1.1").target == 5)
    window.background.wait()
    assert AnswerService(ctx).get(sample.id, "GOVERN 1.1").notes == "From the respondent"
    assert AnswerService(ctx).get(sample.id, "GOVERN 1.2").owner == "Changed in the app"


def test_preview_lists_action_changes_and_apply_writes_them(
    qtbot: Any, make_window: Any, ctx: Any, tmp_path: Path, qtmodeltester: Any
) -> None:
    """The Actions sheet's edits (issue 16) in the same table: row, action id and field, before
    and after, a conflict marked; Apply writes the rest."""
    from app.services.actions import ActionService
    from app.services.interchange.service import InterchangeService
    from app.services.sample import create_sample

    sample = create_sample(ctx)
    actions = ActionService(ctx)
    action = actions.add(sample.id, "MAP 1.1", title="Write the context down", owner="Kim")
    short = action.uid[:8]
    path = tmp_path / "returned.xlsx"
    InterchangeService(ctx).export_xlsx(sample.id, path)
    actions.update(sample.id, action.uid, owner="Changed in the app")
    wb = load_workbook(path)
    ws = wb["Actions"]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(2, header["status"]).value = "in_progress"
    ws.cell(2, header["owner"]).value = "Respondent"
    wb.save(path)
    window = make_window()
    window.interchange.preview_file(sample.id, sample.name, path, InterchangeService(ctx))
    qtbot.waitUntil(
        lambda: (
            window.interchange.preview_dialog is not None
            and window.interchange.preview_dialog.isVisible()
        )
    )
    dialog = window.interchange.preview_dialog
    qtmodeltester.check(dialog.model)
    rows = [
        [dialog.model.index(r, c).data() for c in range(dialog.model.columnCount())]
        for r in range(dialog.model.rowCount())
    ]
    assert rows == [
        [
            "Actions 2",
            "MAP 1.1",
            f"Action {short}: Owner",
            "Changed in the app",
            "Respondent",
            "Conflict: app's value kept",
        ],
        [
            "Actions 2",
            "MAP 1.1",
            f"Action {short}: Status",
            "planned",
            "in_progress",
            "Will change",
        ],
    ]
    assert dialog.apply_button.text() == "Apply 1 change"
    for theme in ("light", "dark"):
        _shoot(qtbot, dialog, f"/tmp/inter16-actions-preview-{theme}.png", theme)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.get(sample.id, short).status.value == "in_progress")
    window.background.wait()
    assert actions.get(sample.id, short).owner == "Changed in the app"


def test_cancel_writes_nothing(qtbot: Any, make_window: Any, ctx: Any, workbook: Any) -> None:
    from app.services.answers import AnswerService
    from app.services.interchange.service import InterchangeService

    sample, path = workbook
    window = make_window()
    actions = window.interchange
    actions.preview_file(sample.id, sample.name, path, InterchangeService(ctx))
    qtbot.waitUntil(lambda: actions.preview_dialog is not None)
    before = len(AnswerService(ctx).history(sample.id))
    actions.preview_dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    window.background.wait()
    assert len(AnswerService(ctx).history(sample.id)) == before
    assert AnswerService(ctx).get(sample.id, "MAP 1.1").target is None


def test_a_refused_workbook_is_one_message(
    qtbot: Any, make_window: Any, ctx: Any, workbook: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.services.interchange.service import InterchangeService

    sample, _path = workbook
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    window = make_window()
    window.interchange.preview_file(sample.id, sample.name, bad, InterchangeService(ctx))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None)
    box = window.findChild(QMessageBox, "errorBox")
    assert "bad.xlsx: not an Excel workbook" in box.informativeText()
    assert window.interchange.preview_dialog is None
    box.close()


def test_nothing_to_import_says_so_and_offers_only_close(
    qtbot: Any, make_window: Any, ctx: Any, tmp_path: Path
) -> None:
    from app.services.interchange.service import InterchangeService
    from app.services.sample import create_sample

    sample = create_sample(ctx)
    path = tmp_path / "same.xlsx"
    InterchangeService(ctx).export_xlsx(sample.id, path)
    window = make_window()
    window.interchange.preview_file(sample.id, sample.name, path, InterchangeService(ctx))
    qtbot.waitUntil(lambda: window.interchange.preview_dialog is not None)
    dialog = window.interchange.preview_dialog
    assert not dialog.apply_button.isEnabled()
    assert "nothing to import" in dialog.summary.text()
    _shoot(qtbot, dialog, "/tmp/interchange-preview-empty.png", "light")
    dialog.reject()


def _shoot(qtbot: Any, dialog: Any, path: str, theme: str) -> None:
    """A look at the dialog as a user sees it, in the light or dark Fusion palette (it must
    fit a 1366x768 screen)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.appearance import fusion_palette

    app = QApplication.instance()
    before = app.palette()
    app.setPalette(fusion_palette(theme == "dark"))
    try:
        assert dialog.width() <= 1366 and dialog.height() <= 768
        qtbot.wait(10)
        dialog.grab().save(path)
    finally:
        app.setPalette(before)


def test_an_error_message_keeps_a_file_name_as_written() -> None:
    """Error boxes capitalise a sentence, not the file name it starts with (every service
    message about a file starts with its name)."""
    from app.ui.dialogs.messages import _sentence

    assert _sentence("q.xlsx: sheet Questionnaire") == "q.xlsx: sheet Questionnaire"
    assert _sentence("cannot write the file") == "Cannot write the file"
    assert _sentence("/tmp/x.json: not valid JSON") == "/tmp/x.json: not valid JSON"


def test_respondent_subsets_list_functions_then_owners(ctx: Any) -> None:
    from app.services.sample import create_sample
    from app.ui.interchange.actions import respondent_subsets

    sample = create_sample(ctx)
    labels = list(respondent_subsets(ctx, sample.id))
    assert labels[:4] == ["Function GOVERN", "Function MAP", "Function MEASURE", "Function MANAGE"]
    owners = labels[4:]
    assert owners and owners == sorted(owners) and all(o.startswith("Owner ") for o in owners)


def test_respondent_dialog_offers_functions_and_owners(
    qtbot: Any, make_window: Any, ctx: Any
) -> None:
    from app.services.sample import create_sample
    from app.ui.interchange.actions import respondent_subsets

    sample = create_sample(ctx)
    window = make_window()
    choices = respondent_subsets(ctx, sample.id)
    window.interchange._choose_respondent(choices)
    dialog = window.interchange.respondent_dialog
    qtbot.waitExposed(dialog)
    combo = dialog.combo
    assert [combo.itemText(i) for i in range(combo.count())] == list(choices)
    assert combo.property("wheelGuarded")
    combo.setCurrentIndex(1)
    assert dialog.chosen == "Function MAP"
    for theme in ("light", "dark"):
        _shoot(qtbot, dialog, f"/tmp/interchange-respondent-{theme}.png", theme)
    dialog.reject()


@pytest.mark.parametrize(
    ("action_name", "suffix", "check"),
    [
        ("exportIcsAction", ".ics", b"BEGIN:VEVENT"),
        ("exportActionsCsvAction", ".csv", b"id,subcategory,function,title"),
    ],
)
def test_action_exports_write_the_chosen_file(
    qtbot: Any,
    make_window: Any,
    ctx: Any,
    tmp_path: Path,
    monkeypatch: Any,
    action_name: str,
    suffix: str,
    check: bytes,
) -> None:
    """File > Export > Action due dates (iCalendar) and CSV remediation actions write the
    file chosen in the save dialog, off the UI thread, and say so in the status bar."""
    import datetime as dt

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    from app.services.actions import ActionService
    from app.services.sample import create_sample

    sample = create_sample(ctx)
    ActionService(ctx).add(sample.id, "MAP 1.1", title="Map it", due_date=dt.date(2031, 1, 2))
    target = tmp_path / f"out{suffix}"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    window = make_window()
    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.current is not None)
    window.findChild(QAction, action_name).trigger()
    qtbot.waitUntil(target.exists)
    window.background.wait()
    assert check in target.read_bytes()
    qtbot.waitUntil(lambda: f"wrote {target}" in window.statusBar().currentMessage())
