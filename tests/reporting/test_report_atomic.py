"""Writing the report: atomic (a failure or a cancel leaves the earlier file byte-for-byte), and
refused options give one clear message and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

import app.services.outputs as outputs_module
import app.services.report as report_module
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput, NotFound, StorageError
from app.services.report import ReportCancelled, ReportError, ReportService

EARLIER = b"%PDF-1.4 the earlier report, which must survive\n" * 100


@pytest.fixture
def setup(ctx, tmp_path):  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"}).id
    target = tmp_path / "out" / "report.pdf"
    target.parent.mkdir()
    target.write_bytes(EARLIER)
    return ReportService(ctx), aid, target


def _only_the_report(folder: Path) -> None:
    assert [p.name for p in folder.iterdir()] == ["report.pdf"]  # no temp file left behind


def test_a_write_failing_midway_keeps_the_earlier_file(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    service, aid, target = setup
    real = outputs_module.write_atomic  # every output is written through services.outputs
    monkeypatch.setattr(report_module, "WRITE_CHUNK", 4096)

    def failing_midway(path, write):  # type: ignore[no-untyped-def]
        def partial(fh):  # type: ignore[no-untyped-def]
            class DiskFull:
                written = 0

                def write(self, chunk: bytes) -> int:
                    if self.written:
                        raise OSError(28, "No space left on device")
                    self.written += fh.write(chunk)
                    return len(chunk)

            write(DiskFull())

        real(path, partial)

    monkeypatch.setattr(outputs_module, "write_atomic", failing_midway)
    with pytest.raises(StorageError) as err:
        service.export_pdf(aid, target)
    assert "No space left on device" in str(err.value)
    assert "the earlier file report.pdf is unchanged" in str(err.value)
    assert target.read_bytes() == EARLIER
    _only_the_report(target.parent)


def test_cancel_during_layout_keeps_the_earlier_file(setup) -> None:  # type: ignore[no-untyped-def]
    service, aid, target = setup
    seen: list[int] = []
    with pytest.raises(ReportCancelled) as err:
        service.export_pdf(
            aid,
            target,
            progress=lambda p, _m: seen.append(p),
            cancelled=lambda: bool(seen) and seen[-1] >= 40,
        )
    assert "cancelled" in str(err.value) and "unchanged" in str(err.value)
    assert 40 <= seen[-1] < 96  # stopped while laying out pages
    assert target.read_bytes() == EARLIER
    _only_the_report(target.parent)


@pytest.mark.logs_errors  # the service logs the renderer's traceback for the log file
def test_a_rendering_failure_is_one_message_and_keeps_the_file(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.reporting.renderer import ReportRenderer

    service, aid, target = setup

    def broken(self):  # type: ignore[no-untyped-def]
        raise ValueError("a chart exploded")

    monkeypatch.setattr(ReportRenderer, "heat_map", broken)
    with pytest.raises(ReportError) as err:
        service.export_pdf(aid, target)
    assert "the report cannot be made" in str(err.value) and "a chart exploded" in str(err.value)
    assert target.read_bytes() == EARLIER


def test_a_successful_export_replaces_the_file(setup) -> None:  # type: ignore[no-untyped-def]
    service, aid, target = setup
    assert service.export_pdf(aid, target, paper="Letter", label="  Public  ") == target
    assert target.read_bytes().startswith(b"%PDF-1.4") and target.read_bytes() != EARLIER
    _only_the_report(target.parent)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"paper": "a3"}, InvalidInput, "paper 'a3' is not supported: use a4 or letter"),
        ({"label": "   "}, InvalidInput, "the confidentiality label is empty"),
        ({"label": "x" * 61}, InvalidInput, "at most 60 fit in the page header"),
    ],
)
def test_refused_options(setup, kwargs, error, message) -> None:  # type: ignore[no-untyped-def]
    service, aid, target = setup
    with pytest.raises(error) as err:
        service.export_pdf(aid, target, **kwargs)
    assert message in str(err.value)
    assert target.read_bytes() == EARLIER


def test_refused_targets_and_unknown_assessment(setup, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service, aid, target = setup
    with pytest.raises(StorageError, match="does not exist"):
        service.export_pdf(aid, tmp_path / "missing" / "r.pdf")
    with pytest.raises(InvalidInput, match="is a folder"):
        service.export_pdf(aid, tmp_path)
    with pytest.raises(NotFound, match="no assessment with id 999"):
        service.export_pdf(999, target)
    assert target.read_bytes() == EARLIER


def test_default_file_name(setup) -> None:  # type: ignore[no-untyped-def]
    service, aid, _target = setup
    name = service.default_file_name(aid)
    assert name.startswith("Q1-Scorer-") and name.endswith(".pdf")
