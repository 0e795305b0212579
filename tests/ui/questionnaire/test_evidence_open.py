"""Opening an evidence file: a private copy (0700 folder, per user and process, cleaned at exit
and at the next start), and a message when no program can open it."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from app.persistence.viewing import LEGACY, ViewingCopies
from app.services.answers import AnswerService
from app.services.evidence import clean_viewing_copies

pytestmark = pytest.mark.gui


@pytest.fixture
def temp(tmp_path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """The system temp directory, for this test only."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _open_first(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    evidence = page.editor.evidence
    qtbot.waitUntil(lambda: "integrity ok" in (evidence.model.index(0).data() or ""))
    evidence.list.setCurrentIndex(evidence.model.index(0))
    qtbot.mouseClick(evidence.open_button, Qt.MouseButton.LeftButton)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_opens_from_a_private_folder(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, tmp_path, temp, monkeypatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    aid = create()
    source = tmp_path / "dpia.pdf"
    source.write_bytes(b"confidential")
    AnswerService(ctx).attach_file(aid, "GOVERN 1.1", source)
    page = make_page(aid)
    _open_first(qtbot, page)
    qtbot.waitUntil(lambda: len(opened) == 1)
    copy = Path(opened[0].toLocalFile())
    assert copy.read_bytes() == b"confidential" and copy.name == "dpia.pdf"
    copies = ViewingCopies()
    assert copy.is_relative_to(copies.folder) and copies.base.parent == temp
    assert _mode(copies.base) == 0o700 and _mode(copies.folder) == 0o700
    assert _mode(copy) == 0o600
    assert not (temp / LEGACY).exists()
    clean_viewing_copies(at_exit=True)
    assert not copies.folder.exists()


def test_no_viewer_is_said(qtbot, ctx, make_page, create, tmp_path, temp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    aid = create()
    source = tmp_path / "model.onnx"
    source.write_bytes(b"weights")
    AnswerService(ctx).attach_file(aid, "GOVERN 1.1", source)
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "", "https://intranet.example/policy")
    page = make_page(aid)
    evidence = page.editor.evidence
    _open_first(qtbot, page)
    qtbot.waitUntil(lambda: evidence.message.isVisible())
    text = evidence.message.text()
    assert "No program is set up to open “model.onnx”" in text
    assert str(ViewingCopies().folder) in text
    evidence.list.setCurrentIndex(evidence.model.index(1))
    qtbot.keyClick(evidence.list, Qt.Key.Key_Return)
    assert "No web browser is set up to open https://intranet.example/policy" in (
        evidence.message.text()
    )


def test_start_removes_copies_of_processes_that_ended(temp) -> None:  # type: ignore[no-untyped-def]
    mine = ViewingCopies()
    source = temp / "src"
    source.write_bytes(b"x")
    mine.copy(source, "a" * 64, "a.txt")
    ended = ViewingCopies(pid=2**22 + 12345)  # no such process
    ended.copy(source, "b" * 64, "b.txt")
    legacy = temp / LEGACY / "0123456789abcdef"
    legacy.mkdir(parents=True)
    (legacy / "old.pdf").write_bytes(b"shared with every user")
    clean_viewing_copies(at_exit=False)
    assert mine.folder.exists() and not ended.folder.exists() and not (temp / LEGACY).exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")
def test_a_planted_folder_is_not_used(temp) -> None:  # type: ignore[no-untyped-def]
    elsewhere = temp / "attacker"
    elsewhere.mkdir()
    copies = ViewingCopies()
    copies.base.symlink_to(elsewhere, target_is_directory=True)
    source = temp / "src"
    source.write_bytes(b"x")
    with pytest.raises(PermissionError, match="not a private folder"):
        copies.copy(source, "a" * 64, "a.txt")
    assert list(elsewhere.iterdir()) == []


def test_a_loose_existing_folder_is_made_private(temp) -> None:  # type: ignore[no-untyped-def]
    copies = ViewingCopies()
    copies.base.mkdir(mode=0o777)
    os.chmod(copies.base, 0o777)
    source = temp / "src"
    source.write_bytes(b"x")
    copies.copy(source, "a" * 64, "../../escape.txt")
    assert _mode(copies.base) == 0o700
    assert (copies.folder / ("a" * 16) / "escape.txt").exists()


def test_the_report_says_when_no_pdf_viewer_opens_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui import report_export

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    assert report_export.open_file(tmp_path / "r.pdf") is False  # the caller then says so
