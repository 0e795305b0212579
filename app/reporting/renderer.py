"""The PDF renderer: a small template-method class (fonts, stylesheet, story, page decoration,
layout) that turns a ``MaturityReport`` into PDF bytes. It never reads the database."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import LayoutError

from app.domain.days import format_day
from app.domain.report import MaturityReport
from app.domain.report_fingerprint import EXPORT_ATTACHMENT, FINGERPRINT_KEYWORD
from app.reporting import sections_back, sections_body, sections_front, sections_ongoing
from app.reporting.document import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZES,
    Attachment,
    PageDecor,
    Progress,
    ReportDocument,
    keep_headings_with_next,
    layout,
)
from app.reporting.errors import RenderCancelled, RenderError
from app.reporting.fonts import FontSet, register_fonts
from app.reporting.kit import Kit
from app.reporting.styles import Styles, build_styles

Section = Callable[[], list[Flowable]]


class ReportRenderer:
    """Override a section method (or ``sections``) to change what the report contains."""

    def __init__(
        self,
        report: MaturityReport,
        fonts_dir: Path,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.report = report
        self.fonts_dir = Path(fonts_dir)
        self._progress = progress
        self._cancelled = cancelled
        self.page_count = 0
        self.kit: Kit | None = None

    # -- the template -------------------------------------------------------------------------
    def render(self) -> bytes:
        """The PDF. Raises RenderCancelled when asked to stop, RenderError when it cannot."""
        self.step(2, "Loading fonts")
        fonts = self.register_fonts()
        styles = self.stylesheet(fonts)
        try:
            data, self.page_count = layout(
                lambda: self.story(styles), lambda buf: self.document(buf, fonts)
            )
        except RenderError:
            raise
        except LayoutError as exc:
            raise RenderError(f"a part of the report does not fit on a page: {exc}") from exc
        self.step(96, "Report ready")
        return data

    def register_fonts(self) -> FontSet:
        return register_fonts(self.fonts_dir)

    def stylesheet(self, fonts: FontSet) -> Styles:
        return build_styles(fonts)

    def frame_size(self) -> tuple[float, float]:
        width, height = PAGE_SIZES[self.report.meta.paper]
        return width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM

    def document(self, buffer: io.BytesIO, fonts: FontSet) -> ReportDocument:
        meta = self.report.meta
        a = meta.assessment
        return ReportDocument(
            buffer,
            paper=meta.paper,
            fonts=fonts,
            decor=self.page_decor(),
            title=meta.title,
            author=a.assessor or a.organization or "AI RMF Assessor",
            subject=(
                f"Maturity of {a.ai_system} against {meta.framework_name} {meta.framework_version}"
            ),
            keywords=(
                f"NIST AI RMF, maturity, {a.ai_system}, {meta.label}, "
                f"{FINGERPRINT_KEYWORD}{meta.fingerprint}"
            ),
            generated_at=meta.generated_at,
            attachments=self.attachments(),
            lang="en",
            progress=self._progress,
            cancelled=self._cancelled,
        )

    def attachments(self) -> tuple[Attachment, ...]:
        """The native JSON export the report was made from (what ``airmf verify --report``
        and an auditor recompute the fingerprint and the scores from)."""
        source = self.report.meta.source
        if not source:
            return ()
        return (
            Attachment(
                name=EXPORT_ATTACHMENT,
                data=source,
                mime="application/json",
                description=(
                    "The assessment's native JSON export this report was made from "
                    "(airmf import reads it; the report fingerprint is computed from it)"
                ),
            ),
        )

    def page_decor(self) -> PageDecor:
        meta = self.report.meta
        return PageDecor(
            title=meta.assessment.name,
            label=meta.label,
            draft=meta.is_draft,
            footer_note=f"generated {format_day(meta.generated_at)}",
        )

    def story(self, styles: Styles) -> list[Flowable]:
        width, height = self.frame_size()
        self.kit = Kit(styles, width, height)
        story: list[Flowable] = []
        steps = self.sections()
        for i, (name, section) in enumerate(steps):
            self.step(5 + int(25 * i / len(steps)), f"Preparing {name}")
            story.extend(section())
        story.extend(sections_back.missing_glyphs_note(self.kit))
        return keep_headings_with_next(story)

    def sections(self) -> list[tuple[str, Section]]:
        # Page 1 is the executive summary (a board reads it first), then the contents, then
        # the report's details for an auditor.
        steps: list[tuple[str, Section]] = [
            ("the executive summary", self.executive_summary),
            ("the contents", self.contents),
            ("the report details", self.cover),
            ("the sign-off and audit trail", self.signoff_and_audit),
            ("the progress section", self.progress),
        ]
        last = len(self.report.functions) - 1
        for i, section in enumerate(self.report.functions):
            steps.append(
                (
                    section.function.id,
                    lambda s=section, end=i == last: self.function_section(s, end),  # type: ignore[misc]
                )
            )
        steps += [
            ("the heat map", self.heat_map),
            ("the gap analysis", self.gap_analysis),
            ("the remediation plan", self.remediation_plan),
            ("the Generative AI Profile", self.genai),
            ("the N/A register", self.na_register),
            ("the evidence assurance", self.evidence_assurance),
            ("the evidence index", self.evidence_index),
            ("the Playbook suggestions", self.playbook_suggestions),
            ("the appendix", self.appendix),
            ("the method", self.method),
        ]
        return steps

    def step(self, percent: int, message: str) -> None:
        if self._cancelled is not None and self._cancelled():
            raise RenderCancelled("cancelled")
        if self._progress is not None:
            self._progress(percent, message)

    # -- sections -----------------------------------------------------------------------------
    def _k(self) -> Kit:
        assert self.kit is not None
        return self.kit

    def cover(self) -> list[Flowable]:
        return sections_front.cover(self._k(), self.report)

    def contents(self) -> list[Flowable]:
        return sections_front.contents(self._k(), self.report)

    def executive_summary(self) -> list[Flowable]:
        return sections_front.executive_summary(self._k(), self.report)

    def progress(self) -> list[Flowable]:
        return sections_front.progress(self._k(), self.report)

    def function_section(self, section, last: bool = True) -> list[Flowable]:  # type: ignore[no-untyped-def]
        return sections_body.function_section(self._k(), self.report, section, last)

    def heat_map(self) -> list[Flowable]:
        return sections_body.heat_map(self._k(), self.report)

    def gap_analysis(self) -> list[Flowable]:
        return sections_body.gap_analysis(self._k(), self.report)

    def genai(self) -> list[Flowable]:
        return sections_body.genai(self._k(), self.report)

    def signoff_and_audit(self) -> list[Flowable]:
        return sections_ongoing.signoff_and_audit(self._k(), self.report)

    def remediation_plan(self) -> list[Flowable]:
        return sections_ongoing.remediation_plan(self._k(), self.report)

    def evidence_assurance(self) -> list[Flowable]:
        return sections_ongoing.evidence_assurance(self._k(), self.report)

    def na_register(self) -> list[Flowable]:
        return sections_back.na_register(self._k(), self.report)

    def evidence_index(self) -> list[Flowable]:
        return sections_back.evidence_index(self._k(), self.report)

    def playbook_suggestions(self) -> list[Flowable]:
        return sections_back.playbook_suggestions(self._k(), self.report)

    def appendix(self) -> list[Flowable]:
        return sections_back.appendix(self._k(), self.report)

    def method(self) -> list[Flowable]:
        return sections_back.method(self._k(), self.report)


def render_report(
    report: MaturityReport,
    fonts_dir: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    return ReportRenderer(report, fonts_dir, progress, cancelled).render()
