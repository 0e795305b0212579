"""The PDF maturity report: assemble the report model from the services, render it, and write
the file atomically (a failed or cancelled export leaves an earlier file untouched)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.catalog.loader import CatalogError, resources_root
from app.domain.days import local_day
from app.domain.report import (
    DEFAULT_LABEL,
    DEFAULT_PAPER,
    MaturityReport,
    ProgressData,
    ReportInputError,
    build_report,
    default_report_name,
)
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound, ServiceError
from app.services.lifecycle import LifecycleService
from app.services.outputs import guard_output, write_output
from app.services.progress import ProgressService
from app.services.scoring import ScoringService

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
WRITE_CHUNK = 256 * 1024


class ReportError(ServiceError):
    """The report could not be produced; nothing was written."""


class ReportCancelled(ReportError):
    """The export was cancelled; nothing was written."""


class ReportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)
        self.answers = AnswerService(ctx)
        self.scoring = ScoringService(ctx)
        self.progress = ProgressService(ctx)
        self.lifecycle = LifecycleService(ctx)

    def default_file_name(self, assessment_id: int) -> str:
        """``<assessment>-<system>-<YYYY-MM-DD>.pdf`` for a save dialog."""
        a = self.assessments.get(assessment_id)
        return default_report_name(a.name, a.ai_system, local_day(self.ctx.clock()))

    def build(
        self, assessment_id: int, paper: str = DEFAULT_PAPER, label: str = DEFAULT_LABEL
    ) -> MaturityReport:
        """The report model (everything the PDF shows), read from the services."""
        assessment = self.assessments.get(assessment_id)
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        answers = self.assessments.answers(assessment_id)
        tree = self.scoring.score(assessment_id)
        check = self.lifecycle.verify(assessment_id)
        progress = None
        previous = self.progress.previous_cycle(assessment_id)
        if previous is not None and previous.framework_id == assessment.framework_id:
            comparison = self.progress.compare(previous.id, assessment_id)
            try:
                trend = [
                    (p.assessment, p.overall)
                    for p in self.progress.trend(
                        assessment.ai_system, include_copies=not assessment.is_cycle
                    )
                ]
            except NotFound:
                trend = []
            if previous.id not in {a.id for a, _ in trend}:
                # A baseline of another AI system name: still show both cycles.
                trend = sorted(
                    [(previous, self.scoring.score(previous.id)), *trend],
                    key=lambda item: (item[0].created_at, item[0].id),
                )
            progress = ProgressData(previous=previous, deltas=comparison.deltas, trend=trend)
        signoff = self.lifecycle.signoff(assessment_id)
        try:
            built = build_report(
                assessment=assessment,
                framework=framework,
                scheme=scheme,
                answers=answers,
                tree=tree,
                fingerprint=check.actual,
                chain_head=check.head.text(),
                integrity_problems=tuple(check.problems()),
                signoff_matches=check.fingerprint_matches if check.finalized else None,
                generated_at=self.ctx.clock(),
                label=label,
                paper=paper,
                progress=progress,
            )
        except ReportInputError as exc:
            raise InvalidInput(str(exc)) from exc
        return dataclasses.replace(built, meta=dataclasses.replace(built.meta, signoff=signoff))

    def render(
        self,
        report: MaturityReport,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> bytes:
        """PDF bytes of a report model (ReportLab is imported here, not at start-up)."""
        from app.reporting.errors import RenderCancelled, RenderError
        from app.reporting.renderer import render_report

        try:
            fonts = resources_root() / "fonts"
        except CatalogError as exc:
            raise ReportError(f"the report cannot be made: {exc}") from exc
        try:
            return render_report(report, fonts, progress, cancelled)
        except RenderCancelled:
            raise ReportCancelled("the report export was cancelled; no file was written") from None
        except ReportCancelled:
            raise
        except RenderError as exc:
            raise ReportError(f"the report cannot be made: {exc}") from exc
        except Exception as exc:  # a ReportLab failure on unusual content is still one message
            log.exception("report rendering failed")
            raise ReportError(f"the report cannot be made: {type(exc).__name__}: {exc}") from exc

    def export_pdf(
        self,
        assessment_id: int,
        target: Path | BinaryIO,
        paper: str = DEFAULT_PAPER,
        label: str = DEFAULT_LABEL,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        force: bool = False,
    ) -> Path:
        """Write the PDF report of one assessment to ``target`` and return the path.

        ``target`` is a path (written atomically, after ``outputs.guard_output``: never the
        app's own data, a folder or a device; an existing file that is not a PDF needs
        ``force``) or a binary stream (standard output). Raises InvalidInput (bad paper, label or
        target), NeedsConfirmation, NotFound, ReportCancelled, ReportError or StorageError; in
        each case an existing file at ``target`` is unchanged.
        """
        stream: BinaryIO | None = None
        if isinstance(target, (str, Path)):
            target = guard_output(self.ctx.location, Path(target).expanduser(), "pdf", force=force)
        else:
            stream, target = target, Path("-")
        stop = cancelled or (lambda: False)

        def tell(percent: int, message: str) -> None:
            if stop():
                raise ReportCancelled(f"the report export was cancelled; {_unchanged(target)}")
            if progress is not None:
                progress(percent, message)

        tell(1, "Reading the assessment")
        report = self.build(assessment_id, paper, label)
        try:
            data = self.render(report, tell, stop)
        except ReportCancelled:
            raise ReportCancelled(
                f"the report export was cancelled; {_unchanged(target)}"
            ) from None
        tell(97, "Writing the file")

        def write(fh: BinaryIO) -> None:
            for start in range(0, len(data), WRITE_CHUNK):
                if stop():
                    raise ReportCancelled(f"the report export was cancelled; {_unchanged(target)}")
                fh.write(data[start : start + WRITE_CHUNK])

        write_output(
            self.ctx.location, stream or target, "pdf", write, force=force, what="the report"
        )
        if progress is not None:
            progress(100, "Done")
        return target


def _unchanged(target: Path) -> str:
    return (
        f"the earlier file {target.name} is unchanged" if target.exists() else "no file was written"
    )
