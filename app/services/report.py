"""The PDF maturity report: assemble the report model from the services, render it, and write
the file atomically (a failed or cancelled export leaves an earlier file untouched)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.catalog.loader import CatalogError, resources_root
from app.domain.assessment import Assessment
from app.domain.comparison import compare_trees
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
from app.domain.report_fingerprint import report_fingerprint
from app.domain.report_ongoing import signoff_block_of
from app.domain.scoring import NodeScore, score_assessment
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound, ServiceError
from app.services.exchange import ExchangeService
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
        """The report model (everything the PDF shows), read from the services.

        Its fingerprint is ``report_fingerprint`` of the native JSON export made at the same
        time (embedded in the PDF), stamped with the report's generation time."""
        now = self.ctx.clock()
        # One read of the assessment's records: the export embedded in the PDF, and the
        # answers every figure is computed from (so the fingerprint and the figures agree).
        exchange = ExchangeService(self.ctx)
        doc = exchange.document(assessment_id)
        source = exchange.serialize(doc.model_copy(update={"exported_at": now}))
        assessment = self.assessments.get(assessment_id)  # its id, origin and baseline
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        answers = {a.subcategory_id: a for a in doc.answers}
        tree = score_assessment(framework, scheme, answers, doc.assessment.default_target)
        check = self.lifecycle.verify(assessment_id)
        progress = self._progress(assessment, tree)
        meta = doc.assessment
        # The sign-off, profile, actions, reviews and history come from the same export (read
        # once), so the pages print what the fingerprint covers.
        signoff = signoff_block_of(
            meta.status,
            meta.signoff_roles,
            meta.four_eyes_relaxed,
            meta.finalized_by,
            meta.finalized_role,
            meta.finalized_statement,
            meta.finalized_at,
        )
        try:
            built = build_report(
                assessment=assessment,
                framework=framework,
                scheme=scheme,
                answers=answers,
                tree=tree,
                fingerprint=report_fingerprint(json.loads(source)),
                chain_head=check.head.text(),
                integrity_problems=tuple(check.problems()),
                signoff_matches=check.fingerprint_matches if check.finalized else None,
                generated_at=now,
                source=source,
                label=label,
                paper=paper,
                progress=progress,
                system_profile=meta.system_profile,
                signoff=signoff,
                actions=doc.actions,
                reviews=doc.reviews,
                history=doc.history,
            )
        except ReportInputError as exc:
            raise InvalidInput(str(exc)) from exc
        return built

    def _progress(self, assessment: Assessment, tree: NodeScore) -> ProgressData | None:
        """The previous cycle, the changes since it and the trend of the AI system, each
        cycle scored once (this one's tree is passed down, not read again)."""
        previous = self.progress.previous_cycle(assessment.id)
        if previous is None or previous.framework_id != assessment.framework_id:
            return None
        before = self.scoring.score(previous.id)
        scored = {assessment.id: tree, previous.id: before}
        try:
            cycles = self.lifecycle.series(
                assessment.ai_system, include_copies=not assessment.is_cycle
            )
        except NotFound:
            cycles = []
        trend = [(a, scored.get(a.id) or self.scoring.score(a.id)) for a in cycles]
        if previous.id not in {a.id for a, _ in trend}:
            # A baseline of another AI system name: still show both cycles.
            trend = sorted(
                [(previous, before), *trend], key=lambda item: (item[0].created_at, item[0].id)
            )
        return ProgressData(previous=previous, deltas=compare_trees(before, tree), trend=trend)

    def source(self, assessment_id: int, generated_at: dt.datetime) -> bytes:
        """The native JSON export of the assessment as the report embeds it: exported at the
        report's generation time. Raises NotFound or InvalidInput (a value an import refuses)."""
        exchange = ExchangeService(self.ctx)
        doc = exchange.document(assessment_id)
        return exchange.serialize(doc.model_copy(update={"exported_at": generated_at}))

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
