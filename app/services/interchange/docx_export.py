"""The editable Word report: the report model of ``ReportService.build`` rendered by
``reporting.docx_report`` and written atomically like the PDF."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from app.catalog.loader import CatalogError, resources_root
from app.domain.report import DEFAULT_LABEL, DEFAULT_PAPER
from app.services.context import ServiceContext
from app.services.outputs import guard_output, write_output
from app.services.report import ReportError, ReportService

log = logging.getLogger(__name__)


def export_docx(
    ctx: ServiceContext,
    assessment_id: int,
    target: Path | BinaryIO,
    paper: str = DEFAULT_PAPER,
    label: str = DEFAULT_LABEL,
    *,
    force: bool = False,
) -> Path | None:
    """Write the Word report of one assessment to ``target`` (a path, guarded and atomic, or a
    stream). Returns the path (None for a stream). Raises NotFound, InvalidInput,
    NeedsConfirmation, ReportError or StorageError; an existing file is unchanged then."""
    from app.reporting.docx_report import render_docx

    if isinstance(target, (str, Path)):
        target = guard_output(ctx.location, Path(target).expanduser(), "zip", force=force)
    report = ReportService(ctx).build(assessment_id, paper, label)
    try:
        data = render_docx(report, resources_root() / "fonts")
    except CatalogError as exc:
        raise ReportError(f"the report cannot be made: {exc}") from exc
    except Exception as exc:  # a rendering failure on unusual content is still one message
        log.exception("Word report rendering failed")
        raise ReportError(f"the Word report cannot be made: {type(exc).__name__}: {exc}") from exc
    return write_output(ctx.location, target, "zip", data, force=force, what="the Word report")
