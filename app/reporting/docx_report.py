"""The maturity report as an editable Word document (python-docx): the PDF's main text with real
headings (Title, Heading 1-3), tables with header rows, and the charts as PNG pictures with
alternative text, so that it can be edited and read by screen readers (a ReportLab PDF is not
tagged). Every figure comes from the report model and ``domain.numbers``, as in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from app.domain.actions import ActionStatus
from app.domain.comparison import format_delta
from app.domain.days import format_day, is_overdue
from app.domain.freshness import EXPIRING_WITHIN_DAYS
from app.domain.numbers import format_score
from app.domain.report import (
    NOT_A_CERTIFICATION,
    MaturityReport,
    SubcategoryEntry,
    count_text,
    signoff_sentence,
)
from app.domain.review import RoleKind
from app.reporting import charts
from app.reporting.fonts import FontSet, register_fonts
from app.reporting.kit import gap_text, pct
from app.reporting.raster import drawing_png
from app.reporting.sections_body import profile_title
from app.reporting.sections_front import delta_cells, details_status, status_text, when

_CHART_DPI = 120
_PAGE = {"a4": (Cm(21.0), Cm(29.7)), "letter": (Cm(21.59), Cm(27.94))}
_TEXT_WIDTH_MM = 160


def _picture(doc: Document, drawing: Drawing, alt: str, width_cm: float) -> None:
    """Add a chart as a PNG with ``alt`` as its alternative text (Word's "description")."""
    png = drawing_png(drawing, _CHART_DPI)
    doc.add_paragraph().add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt)
    inline.docPr.set("title", alt.split(":", 1)[0])


def _runs_xml(text: str) -> str:
    """The text of one run as WordprocessingML: line breaks as ``w:br``, tabs as ``w:tab``
    (what python-docx's ``run.text`` makes of them)."""
    lines = []
    for line in escape(text).split("\n"):
        parts = line.split("\t")
        lines.append("<w:tab/>".join(f'<w:t xml:space="preserve">{p}</w:t>' for p in parts))
    return "<w:br/>".join(lines)


def _para(doc: Document, text: str = "", style_id: str = "") -> Paragraph:
    """A paragraph in the style ``style_id`` (e.g. "Heading1", "ListBullet"), set by id:
    python-docx's lookup by style name scans the style sheet on every call.

    Written as one piece of WordprocessingML, as ``_table`` does: python-docx's
    ``add_paragraph`` takes over half a millisecond a paragraph, and a report with a large
    plan has several hundred (its budget: under 1 s, ``make bench``)."""
    style = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    run = f"<w:r>{_runs_xml(text)}</w:r>" if text else ""
    element = parse_xml(f"<w:p {nsdecls('w')}>{style}{run}</w:p>")
    body = doc.element.body
    body.insert(len(body) - 1, element)  # before the closing section properties
    return Paragraph(element, doc._body)


def _heading(doc: Document, text: str, level: int) -> Paragraph:
    return _para(doc, text, "Title" if level == 0 else f"Heading{level}")


_TWIPS_PER_CM = 567


_CELL_HALF_POINTS = 18  # 9 pt in tables (body 10.5 pt): headers such as "Priority" fit one line


def _cell_xml(text: str, width: int, bold: bool = False) -> str:
    size = f'<w:sz w:val="{_CELL_HALF_POINTS}"/><w:szCs w:val="{_CELL_HALF_POINTS}"/>'
    run_pr = f"<w:rPr>{'<w:b/>' if bold else ''}{size}</w:rPr>"
    runs = _runs_xml(text)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f"<w:p><w:r>{run_pr}{runs}</w:r></w:p></w:tc>"
    )


def _table(
    doc: Document,
    columns: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[str]],
    style_id: str = "LightGrid-Accent1",
    header: bool = True,
) -> None:
    """A table of ``columns`` (header text, width in cm) whose first row is a header row
    repeated on each page (``w:tblHeader``, which screen readers announce as column headers);
    without ``header``, a key/value table with the keys in bold.

    Written as one piece of WordprocessingML: python-docx's cell by cell API takes about a
    millisecond per cell, which a report's several hundred cells would make its slowest part.
    """
    twips = [round(width * _TWIPS_PER_CM) for _text, width in columns]
    body = []
    if header:
        cells = "".join(
            _cell_xml(text, t, bold=True) for (text, _w), t in zip(columns, twips, strict=True)
        )
        body.append(f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{cells}</w:tr>")
    for values in rows:
        cells = "".join(
            _cell_xml(v, twips[i], bold=not header and i == 0) for i, v in enumerate(values)
        )
        body.append(f"<w:tr>{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)
    look = "1" if header else "0"
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="{look}" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    element = doc.element.body
    element.insert(len(element) - 1, parse_xml(xml))  # before the closing section properties
    # A small empty paragraph after each table, so that the text after it does not touch it.
    spacer = (
        f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0" w:line="160" '
        'w:lineRule="exact"/></w:pPr></w:p>'
    )
    element.insert(len(element) - 1, parse_xml(spacer))


def _score_cell(score: float | None, provisional: bool) -> str:
    return format_score(score) + (" *" if score is not None and provisional else "")


def _entry_rating(e: SubcategoryEntry) -> str:
    return e.rating_short  # "H/M/M → 3", as the PDF's tables


class DocxReport:
    """Builds the Word document of one report model (see the module doc), section by section in
    the PDF's order; every figure and sentence about the ongoing work comes from the same model
    (``domain.report`` and ``domain.report_ongoing``) that the PDF's sections print."""

    def __init__(self, report: MaturityReport, fonts: FontSet) -> None:
        self.report = report
        self.fonts = fonts
        self.doc = Document()

    def render(self) -> bytes:
        """The .docx bytes."""
        self._setup()
        self._title_block()
        self._summary()
        self._details()
        self._signoff_and_audit()
        self._progress()
        for section in self.report.functions:
            self._function(section)
        self._heat_map()
        self._gaps()
        self._remediation_plan()
        self._genai()
        self._not_applicable()
        self._evidence_assurance()
        self._evidence()
        self._method()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _setup(self) -> None:
        meta = self.report.meta
        width, height = _PAGE.get(meta.paper, _PAGE["a4"])
        for section in self.doc.sections:
            section.page_width, section.page_height = width, height
            section.left_margin = section.right_margin = Cm(2.0)
            section.header.paragraphs[0].text = meta.label
        styles = self.doc.styles
        styles["Normal"].font.size = Pt(10.5)
        props = self.doc.core_properties
        props.title = meta.title
        props.author = "AI RMF Assessor"
        props.subject = f"{meta.framework_name} {meta.framework_version}"
        props.created = props.modified = meta.generated_at.replace(tzinfo=None)
        props.last_modified_by = "AI RMF Assessor"
        props.revision = 1

    def _warn(self, text: str) -> None:
        """A warning the reader must not miss, in bold (the PDF prints it in orange)."""
        _para(self.doc).add_run(text).bold = True

    def _title_block(self) -> None:
        """Title, AI system and the sign-off status, as at the top of the PDF's page 1; an
        integrity failure is stated here, every problem listed."""
        meta, a = self.report.meta, self.report.meta.assessment
        _heading(self.doc, meta.title, level=0)
        _para(self.doc, f"{meta.framework_name} · maturity assessment report · {a.ai_system}")
        status = _para(self.doc)
        if meta.is_draft:
            status.add_run("DRAFT").bold = True
            status.add_run(
                " · not signed off: this assessment has not been finalized; its answers may "
                "still change."
            )
        else:
            status.add_run(self.report.summary.signoff or status_text(self.report))
        if meta.integrity_problems:
            self._warn(
                "INTEGRITY CHECK FAILED · the stored data was changed outside the app; do not "
                "rely on this report."
            )
            for problem in meta.integrity_problems:
                _para(self.doc, problem, "ListBullet")

    def _kpis(self) -> list[tuple[str, str]]:
        """The PDF's figure cards (``sections_front._kpis``) as (label, value) rows."""
        summary, o = self.report.summary, self.report.summary.overall
        level = o.level_name or "no score yet"
        if o.score is not None and o.provisional:
            level += " · provisional"
        complete = (
            f"{o.reviewed} of {o.total} ({o.answered} answered, {o.review_note})"
            if o.unreviewed
            else f"{o.answered} of {o.total} answered ({o.rated} rated, {o.not_applicable} N/A)"
        )
        rows = [
            ("Overall score", f"{format_score(o.score)} · {level}"),
            ("Complete", f"{pct(o.completion)}: {complete}"),
            ("Subcategories below target", str(summary.below_target)),
            ("Unanswered subcategories", str(summary.unanswered)),
        ]
        if summary.has_previous or summary.carried_over:
            rows.append(("Answers carried over, not yet reviewed", str(summary.carried_over)))
        return rows

    def _summary(self) -> None:
        summary = self.report.summary
        o = summary.overall
        _heading(self.doc, "Executive summary", level=1)
        _table(
            self.doc, [("", 6.0), ("", 11.0)], [list(r) for r in self._kpis()], "TableGrid", False
        )
        if o.score is not None and o.provisional:
            _para(
                self.doc,
                f"Provisional. Of the {o.total} subcategories: {o.provisional_reason}; the "
                "scores marked * may change as they are rated or reviewed.",
            )
        _para(self.doc, summary.reading)
        if summary.findings:
            _heading(self.doc, "Key findings", level=2)
            for line in summary.findings:
                _para(self.doc, line, "ListBullet")
        if o.score is not None:
            axes = [charts.Axis(f.id, f.score, f.target) for f in summary.functions]
            alt = "Radar chart of the function scores against their targets: " + "; ".join(
                f"{f.id} {format_score(f.score)} (target {format_score(f.target)})"
                for f in summary.functions
            )
            _picture(self.doc, charts.radar(axes, 95 * mm, self.fonts), alt, 9.5)
        else:
            _para(
                self.doc,
                "No function has a score yet, so there is no radar chart. It appears once "
                "subcategories are rated.",
            )
        _table(
            self.doc,
            [
                ("Function", 2.6),
                ("Score", 1.7),
                ("Level", 2.6),
                ("Complete", 2.6),
                ("Target", 1.8),
                ("Gap", 1.6),
                ("Below target", 2.3),
            ],
            [
                [
                    n.id,
                    _score_cell(n.score, n.provisional),
                    n.level_name or "–",
                    pct(n.completion),
                    format_score(n.target),
                    gap_text(n.gap),
                    str(n.below_target),
                ]
                for n in summary.functions
            ],
        )
        more = summary.below_target - len(summary.top_gaps)
        _heading(
            self.doc,
            "Five largest gaps"
            + (f" ({more} more in the gap analysis)" if summary.top_gaps and more > 0 else ""),
            level=2,
        )
        if summary.top_gaps:
            _table(
                self.doc,
                [
                    ("Subcategory", 3.4),
                    ("Score", 1.7),
                    ("Target", 1.8),
                    ("Gap", 1.6),
                    ("Owner", 5.0),
                    ("Due", 2.5),
                ],
                [
                    [
                        e.id,
                        format_score(e.node.score),
                        format_score(e.node.target),
                        gap_text(e.node.gap),
                        e.answer.owner or "–",
                        e.answer.due_date.isoformat() if e.answer.due_date else "–",
                    ]
                    for e in summary.top_gaps
                ],
            )
        elif o.rated == 0:
            _para(self.doc, "No subcategory is rated yet, so there is no gap to show.")
        else:
            _para(self.doc, "No rated subcategory is below its target.")

    def _details(self) -> None:
        """The PDF's report details: what was assessed, by whom, against what, fingerprints."""
        meta, a = self.report.meta, self.report.meta.assessment
        _heading(self.doc, "Report details", level=1)
        facts = [
            ("Assessment", a.name),
            ("AI system", a.ai_system),
            ("Organisation", a.organization or "Not stated"),
            ("Assessor", a.assessor or "Not stated"),
            ("Report date", when(meta.generated_at)),
            ("Status", details_status(self.report)),
            ("Framework", f"{meta.framework_name}, version {meta.framework_version}"),
            ("Rating scheme", meta.scheme.name),
            ("Default target", f"Level {a.default_target}"),
            ("Report fingerprint", meta.fingerprint),
        ]
        if meta.chain_head:
            facts.append(("Change history head", meta.chain_head))
        if not meta.is_draft and a.fingerprint:
            facts.append(("Sign-off fingerprint", a.fingerprint))
        if not meta.is_draft and a.finalized_statement:
            facts.append(("Sign-off statement", a.finalized_statement))
        _table(self.doc, [("", 4.5), ("", 12.5)], [[k, v] for k, v in facts], "TableGrid", False)
        if a.scope:
            _heading(self.doc, "Scope", level=2)
            _para(self.doc, a.scope)
        note = _para(self.doc)
        note.add_run(NOT_A_CERTIFICATION).italic = True

    def _signoff_and_audit(self) -> None:
        """``sections_ongoing.signoff_and_audit`` in Word: every role, the four-eyes rule, the
        audit trail by person, the reopenings and the chain check."""
        meta, audit = self.report.meta, self.report.audit
        _heading(self.doc, "Sign-off and audit trail", level=1)
        _para(self.doc, signoff_sentence(meta.assessment.status, meta.signoff))
        block = meta.signoff
        if not meta.is_draft and block is not None and block.roles:
            rows = []
            for kind in RoleKind:
                role = block.role(kind)
                if role is None:
                    rows.append([kind.label, "Not signed", "–", "–", "–"])
                else:
                    rows.append(
                        [
                            kind.label,
                            role.name,
                            role.title or "–",
                            when(role.at),
                            role.statement or "No statement",
                        ]
                    )
            _table(
                self.doc,
                [
                    ("Role", 2.5),
                    ("Name", 2.8),
                    ("Their role or title", 3.0),
                    ("Signed", 3.2),
                    ("Statement", 5.5),
                ],
                rows,
            )
        if block is not None and block.four_eyes_relaxed:
            self._warn(
                "Four-eyes rule relaxed: for this assessment the approver was allowed to be "
                "the person who made the last change to an answer."
            )
        elif not meta.is_draft:
            _para(
                self.doc,
                "Four-eyes rule applied: the approver did not make the last change to any answer.",
            )
        _heading(self.doc, "Audit trail", level=2)
        if audit is not None:
            since = f" ({format_day(audit.since)})" if audit.since else ""
            if audit.by_person:
                _para(
                    self.doc,
                    f"{count_text(audit.changes, 'recorded change')} {audit.since_text}{since}, "
                    "by person (answers, actions, reviews, comments and assessment details; "
                    "sign-off records are in the block above):",
                )
                _table(
                    self.doc,
                    [
                        ("Person (as recorded)", 8.0),
                        ("Changes", 3.0),
                        ("Subcategories touched", 6.0),
                    ],
                    [[p.actor, str(p.changes), str(p.subcategories)] for p in audit.by_person],
                )
            else:
                _para(self.doc, f"No change is recorded {audit.since_text}{since}.")
            if audit.reopenings:
                _heading(self.doc, "Reopenings and their reasons", level=3)
                for r in audit.reopenings:
                    _para(self.doc, f"{when(r.at)} by {r.actor}: {r.reason}", "ListBullet")
            else:
                _para(self.doc, "The assessment was never reopened after a sign-off.")
        _heading(self.doc, "Change history check", level=3)
        if meta.integrity_problems:
            self._warn("The chain check failed: the stored data was changed outside the app.")
            for problem in meta.integrity_problems:
                _para(self.doc, problem, "ListBullet")
        elif meta.chain_head:
            _para(self.doc, f"The hash chain of the change history is intact ({meta.chain_head}).")
        else:
            _para(self.doc, "The change history was not checked for this report.")

    def _function(self, section) -> None:  # type: ignore[no-untyped-def]
        f, node = section.function, section.node
        _heading(self.doc, f"{f.id}: {f.title}" if f.title != f.id else f.id, level=1)
        if f.description:
            _para(self.doc, f.description)
        _para(
            self.doc,
            f"Score {_score_cell(node.score, node.provisional)} {node.level_name or ''} · "
            f"{pct(node.completion)} complete · target {format_score(node.target)} · gap "
            f"{gap_text(node.gap)}".replace("  ", " "),
        )
        bars = [
            charts.Bar(c.id, c.score, c.target, "" if c.score is not None else "not rated")
            for c in section.categories
        ]
        if any(c.score is not None for c in section.categories):
            alt = f"Bar chart of the {f.id} category scores: " + "; ".join(
                f"{c.id} {format_score(c.score)} (target {format_score(c.target)})"
                for c in section.categories
            )
            _picture(self.doc, charts.category_bars(bars, _TEXT_WIDTH_MM * mm, self.fonts), alt, 16)
        _heading(self.doc, "Categories", level=2)
        _table(
            self.doc,
            [
                ("Category", 6.6),
                ("Score", 1.7),
                ("Level", 2.6),
                ("Complete", 2.6),
                ("Target", 1.8),
                ("Gap", 1.6),
            ],
            [
                [
                    f"{c.id}: {c.title}",
                    _score_cell(c.score, c.provisional),
                    c.level_name or "–",
                    pct(c.completion),
                    format_score(c.target),
                    gap_text(c.gap),
                ]
                for c in section.categories
            ],
        )
        _heading(self.doc, "Subcategories", level=2)
        _table(
            self.doc,
            [
                ("Subcategory", 3.0),
                ("Statement", 6.6),
                ("Rating", 2.4),
                ("Target", 1.8),
                ("Owner", 3.2),
            ],
            [
                [
                    e.id,
                    e.text,
                    _entry_rating(e),
                    format_score(e.node.target),
                    e.answer.owner or "–",
                ]
                for e in section.entries
            ],
        )

    def _progress(self) -> None:
        """Progress since the previous cycle: the PDF's figures, table and trend chart."""
        p = self.report.progress
        if p is None:
            return
        prev = p.previous
        _heading(self.doc, "Progress since the previous cycle", level=1)
        _para(
            self.doc,
            f"Compared with “{prev.name}” (assessment {prev.id}, created "
            f"{format_day(prev.created_at)}, {prev.status.value}).",
        )
        if p.overall is not None:
            before, after, delta, change = delta_cells(p.overall)
            _para(self.doc, f"Overall: {before} → {after} ({delta}, {change}).")
        _para(
            self.doc,
            "Answers carried over from the previous cycle and not yet reviewed: "
            f"{self.report.summary.carried_over}.",
        )
        by_function: dict[str, list[Any]] = {}
        for c in p.categories:
            by_function.setdefault(c.id.split(" ")[0], []).append(c)
        rows: list[list[str]] = []
        for f in p.functions:
            rows.append([f.id, *delta_cells(f)])
            rows += [[f"  {c.id}", *delta_cells(c)] for c in by_function.get(f.id, [])]
        _heading(self.doc, "Functions and categories", level=2)
        _table(
            self.doc,
            [
                ("Function / category", 4.6),
                ("Before", 2.6),
                ("After", 2.6),
                ("Change", 2.0),
                ("Direction", 3.2),
            ],
            rows,
        )
        for title, items, empty in (
            ("Regressions", p.regressions, "No subcategory regressed."),
            ("Improvements", p.improvements, "No subcategory improved."),
        ):
            _heading(self.doc, f"{title} ({len(items)})", level=2)
            if not items:
                _para(self.doc, empty)
                continue
            _table(
                self.doc,
                [
                    ("Subcategory", 2.9),
                    ("Statement", 7.9),
                    ("Before", 1.7),
                    ("After", 1.7),
                    ("Change", 1.8),
                ],
                [
                    [
                        d.id,
                        d.title,
                        format_score(d.before),
                        format_score(d.after),
                        format_delta(d.delta),
                    ]
                    for d in items
                ],
            )
        if p.newly_rated:
            _para(self.doc, f"Newly rated: {', '.join(d.id for d in p.newly_rated)}.")
        if p.no_longer_rated:
            _para(
                self.doc,
                "No longer rated (now N/A or cleared): "
                f"{', '.join(d.id for d in p.no_longer_rated)}.",
            )
        _heading(self.doc, "Trend across cycles", level=2)
        if len(p.trend) >= 2:
            alt = "Trend chart across cycles: overall and per-function scores of " + "; ".join(
                f"{r.name} {format_score(r.overall)}" for r in p.trend
            )
            chart = charts.trend_lines(p.trend, p.function_ids, _TEXT_WIDTH_MM * mm, self.fonts)
            _picture(self.doc, chart, alt, 16)
        else:
            _para(
                self.doc,
                "Only one cycle of this AI system is on record, so there is no trend line yet.",
            )
        _table(
            self.doc,
            [("Cycle", 3.4), ("Created", 2.2), ("Status", 1.5), ("Overall", 1.8)]
            + [(f, 2.0) for f in p.function_ids],
            [
                [
                    r.name + (" (this report)" if r.current else ""),
                    r.created.isoformat(),
                    r.status,
                    format_score(r.overall),
                    *(format_score(v) for _f, v in r.functions),
                ]
                for r in p.trend
            ],
        )

    def _heat_map(self) -> None:
        """The heat map of every subcategory's level, as the PDF draws it, with the levels
        in its alternative text."""
        report = self.report
        _heading(self.doc, "Heat map", level=1)
        intro = _para(
            self.doc,
            f"All {len(report.entries)} subcategories, one row per category. The number in each "
            "cell is the level (1–5); an orange corner marks a subcategory below its target.",
        )
        intro.paragraph_format.keep_with_next = True  # never a heading alone above a page break
        groups = []
        for section in report.functions:
            cats = [(c.id, section.entries_of(c.id)) for c in section.categories]
            groups.append((section.function.id, section.function.title, cats))
        drawing = charts.heat_map(
            # 180 mm tall at most: with its heading and note, on one Letter or A4 page
            groups,
            _TEXT_WIDTH_MM * mm,
            180 * mm,
            self.fonts,
            report.level_names,
        )
        alt = "Heat map chart of every subcategory's level: " + "; ".join(
            f"{e.id} "
            + {"rated": f"level {e.node.level}", "na": "N/A"}.get(e.state, "not answered")
            for e in report.entries
        )
        _picture(self.doc, drawing, alt, 16)

    def _genai(self) -> None:
        """The Generative AI Profile overlay: selected risks and the suggested actions tied
        to subcategories below target or unanswered (verbatim, as in the PDF)."""
        for section in self.report.genai:
            use = section.profile
            _heading(self.doc, profile_title(use), level=1)
            _para(
                self.doc,
                "The overlay is enabled for this assessment. For each selected risk: the "
                f"{use.identifier} suggested actions tied to subcategories that are below target "
                "or unanswered.",
            )
            if not use.risks:
                _para(self.doc, "No risk of the profile is selected for this assessment.")
                continue
            _heading(self.doc, "Selected risks", level=2)
            _table(
                self.doc,
                [("Risk", 4.0), ("Definition", 12.0)],
                [[r.title, r.definition or "–"] for r in use.risks],
            )
            for risk in section.risks:
                _heading(self.doc, risk.risk.title, level=2)
                if not risk.actions:
                    _para(
                        self.doc,
                        "None: every subcategory this risk's actions are tied to is at or above "
                        "target, or not applicable.",
                    )
                    continue
                _para(
                    self.doc,
                    f"{count_text(len(risk.actions), 'action')} tied to subcategories below "
                    "target or unanswered.",
                )
                _table(
                    self.doc,
                    [
                        ("Action", 2.2),
                        ("Subcategory", 2.9),
                        ("Status", 2.4),
                        ("Suggested action", 9.5),
                    ],
                    [
                        [a.action.id, a.action.subcategory, a.status, a.action.text]
                        for a in risk.actions
                    ],
                )

    def _gaps(self) -> None:
        """The PDF's gap analysis: each subcategory below target with the organisation's
        actions on it; the Playbook's suggestions are counted, not passed off as the plan."""
        report = self.report
        _heading(self.doc, "Gap analysis", level=1)
        if not report.gaps:
            _para(
                self.doc,
                "No subcategory is rated yet, so there is no gap to analyse."
                if report.summary.overall.rated == 0
                else "No rated subcategory is below its target.",
            )
            return
        _para(
            self.doc,
            f"{count_text(len(report.gaps), 'rated subcategory is', 'rated subcategories are')} "
            "below their target, ordered by gap (largest first) and then by function. Each "
            "shows its owner and due date, the organisation's remediation actions on it (all "
            "of them in the remediation plan), the assessor's notes and how many NIST AI RMF "
            "Playbook suggestions are not yet marked in place.",
        )
        for e in report.gaps:
            n = e.node
            _heading(
                self.doc,
                f"{e.id} · gap {gap_text(n.gap)} · score {format_score(n.score)} "
                f"({n.level_name}) → target {format_score(n.target)}",
                level=3,
            )
            _para(self.doc, e.text)
            due = e.answer.due_date.isoformat() if e.answer.due_date else "not set"
            overdue = is_overdue(e.answer.due_date, report.meta.generated_at)
            _para(
                self.doc,
                f"Rating: {e.rating}. Owner: {e.answer.owner or 'not assigned'}. Due: {due}"
                + (" (overdue)." if overdue else "."),
            )
            if report.plan is not None:
                mine = [i for i in report.plan.items if i.action.subcategory_id == e.id]
                if not mine:
                    _para(self.doc, "No remediation action is recorded for this subcategory.")
                for item in mine:
                    a = item.action
                    due_text = f", due {format_day(a.due_date)}" if a.due_date else ""
                    late = (
                        f", {count_text(item.days_overdue, 'day')} overdue" if item.overdue else ""
                    )
                    _para(
                        self.doc,
                        f"{a.title} ({a.owner or 'no owner'}{due_text}, "
                        f"{a.status.label.lower()}{late})",
                        "ListBullet",
                    )
            if e.answer.notes.strip():
                _para(self.doc, f"Notes: {e.answer.notes}")
            if e.open_actions:
                _para(
                    self.doc,
                    f"{count_text(len(e.open_actions), 'NIST AI RMF Playbook suggestion')} not "
                    f"yet marked in place (of {len(e.suggested_actions)}).",
                )

    def _remediation_plan(self) -> None:
        """``sections_ongoing.remediation_plan`` in Word: the organisation's actions (owner,
        due day, status, priority, days overdue) and the roll-up per owner."""
        plan = self.report.plan
        if plan is None:
            return
        _heading(self.doc, "Remediation plan", level=1)
        if not plan.total:
            _para(
                self.doc,
                "No remediation action is recorded for this assessment. Add the "
                "organisation's actions (owner, due date, priority) in the app's Actions tab "
                "or with 'airmf action add ID SUBCATEGORY'.",
            )
            return
        accepted = plan.count(ActionStatus.RISK_ACCEPTED)
        _para(
            self.doc,
            f"The organisation's {count_text(plan.total, 'action')}: {plan.open} open "
            f"({plan.overdue} overdue), {plan.count(ActionStatus.DONE)} done, {accepted} with "
            f"the risk accepted. Overdue: an open action whose due day is before "
            f"{format_day(plan.today)}, the report's day; counted in calendar days. The "
            "Playbook's suggestions are not part of this plan.",
        )
        _heading(self.doc, "By owner", level=2)
        _table(
            self.doc,
            [
                ("Owner", 5.0),
                ("Actions", 2.0),
                ("Open", 2.0),
                ("Overdue", 2.0),
                ("Done", 2.0),
                ("Next due", 4.0),
            ],
            [o.cells() for o in plan.owners],
        )
        _heading(self.doc, "Actions", level=2)
        rows = []
        for item in plan.items:
            a = item.action
            title = a.title
            if a.status is ActionStatus.RISK_ACCEPTED and a.rationale.strip():
                title += f"\nRisk accepted: {a.rationale}"
            rows.append(item.cells(title))
        _table(
            self.doc,
            [
                ("Subcategory", 2.9),
                ("Action", 3.7),
                ("Owner", 2.5),
                ("Due", 2.3),
                ("Status", 1.9),
                ("Priority", 1.8),
                ("Days overdue", 1.9),
            ],
            rows,
        )

    def _not_applicable(self) -> None:
        _heading(self.doc, "Not-applicable register", level=1)
        if not self.report.not_applicable:
            _para(self.doc, "No subcategory is marked not applicable.")
            return
        _table(
            self.doc,
            [("Subcategory", 3.4), ("Rationale", 13.6)],
            [[e.id, e.answer.na_rationale] for e in self.report.not_applicable],
        )

    def _evidence_assurance(self) -> None:
        """``sections_ongoing.evidence_assurance`` in Word: coverage per function, status and
        age, expired and expiring items, unsupported ratings, review states and the answers
        carried over and not yet reviewed."""
        a = self.report.assurance
        if a is None:
            return
        _heading(self.doc, "Evidence assurance", level=1)
        _para(
            self.doc,
            f"Judged on {format_day(a.today)}, the report's day. An item has expired when its "
            f"valid-until day has passed and is expiring when that day is within "
            f"{EXPIRING_WITHIN_DAYS} days; an item without a valid-until day does not lapse. A "
            "rating of Advanced or Leading (4 or 5) is flagged unsupported when none of its "
            "evidence is still valid or its evidence status is 'evidence to the contrary'.",
        )
        _heading(self.doc, "Coverage by function", level=2)
        _table(
            self.doc,
            [
                ("Function", 3.0),
                ("Rated", 2.0),
                ("Citing evidence", 3.6),
                ("With current evidence", 4.4),
                ("Evidence items", 4.0),
            ],
            [
                [
                    c.function_id,
                    str(c.rated),
                    str(c.with_evidence),
                    str(c.with_current),
                    str(c.items),
                ]
                for c in a.coverage
            ],
        )
        _heading(self.doc, "Evidence status and age", level=2)
        _table(
            self.doc,
            [("Evidence status (rated answers)", 11.0), ("Answers", 3.0)],
            [[label, str(n)] for label, n in a.status] or [["No rated answer", "–"]],
        )
        _para(self.doc)
        _table(
            self.doc,
            [("Age of the evidence (from its as-of day)", 11.0), ("Items", 3.0)],
            [[label, str(n)] for label, n in a.ages],
        )
        _heading(
            self.doc,
            f"Expired and expiring evidence ({len(a.expired)} expired, {len(a.expiring)} expiring)",
            level=2,
        )
        dated = [*a.expired, *a.expiring]
        if dated:
            rows = []
            for d in dated:
                if d.days_left < 0:
                    left = f"expired {count_text(-d.days_left, 'day')} ago"
                elif d.days_left == 0:
                    left = "expires today"
                else:
                    left = f"in {count_text(d.days_left, 'day')}"
                rows.append(
                    [
                        d.subcategory_id,
                        d.item.title,
                        format_day(d.item.as_of) if d.item.as_of else "–",
                        format_day(d.item.valid_until),
                        left,
                    ]
                )
            _table(
                self.doc,
                [
                    ("Subcategory", 2.8),
                    ("Evidence", 5.6),
                    ("As of", 2.6),
                    ("Valid until", 2.6),
                    ("State", 3.4),
                ],
                rows,
            )
        else:
            _para(
                self.doc,
                f"No evidence item has expired or expires within {EXPIRING_WITHIN_DAYS} days.",
            )
        _heading(self.doc, f"Ratings flagged unsupported ({len(a.unsupported)})", level=2)
        _para(
            self.doc,
            ", ".join(a.unsupported) if a.unsupported else "No rating is flagged unsupported.",
        )
        _heading(self.doc, "Review of the answers", level=2)
        total = sum(n for _state, n in a.review)
        _para(
            self.doc,
            "Review states of the framework's "
            f"{count_text(total, 'subcategory', 'subcategories')} (an answer never marked "
            "ready for review is a draft):",
        )
        _table(
            self.doc,
            [(state.label, 17.0 / max(len(a.review), 1)) for state, _n in a.review],
            [[str(n) for _state, n in a.review]],
        )
        _heading(self.doc, "Carried over and not yet reviewed", level=2)
        if a.carried_over:
            _para(
                self.doc,
                f"{count_text(len(a.carried_over), 'answer was', 'answers were')} carried over "
                "from the previous cycle and not yet reviewed (they count in the scores but not "
                f"in completion): {', '.join(a.carried_over)}.",
            )
        else:
            _para(self.doc, "No answer is carried over and not yet reviewed.")

    def _evidence(self) -> None:
        _heading(self.doc, "Evidence index", level=1)
        if not self.report.evidence:
            _para(self.doc, "No evidence is cited.")
            return
        _table(
            self.doc,
            [("Subcategory", 3.4), ("Evidence", 4.8), ("Link or file", 5.8), ("Status", 3.0)],
            [
                [
                    r.subcategory_id,
                    "" if r.item.untitled and r.item.url else r.item.title,  # the link once
                    r.item.url or r.item.file_name or "–",
                    r.status or "–",
                ]
                for r in self.report.evidence
            ],
        )

    def _method(self) -> None:
        scheme = self.report.meta.scheme
        _heading(self.doc, "Method", level=1)
        _para(self.doc, f"{scheme.name}. {scheme.description}")
        if scheme.citation:
            _para(self.doc, scheme.citation)
        _para(
            self.doc,
            "Scores are means up the tree (subcategory, category, function, overall) with "
            "not-applicable and unanswered subcategories excluded, shown at one decimal "
            "rounded half to even; gap = target minus score where the score is below target.",
        )
        _heading(self.doc, "Sources", level=2)
        for source in self.report.sources:
            _para(
                self.doc,
                f"{source.identifier}: {source.title} ({source.published}). {source.url}",
                "ListBullet",
            )
        _para(self.doc, NOT_A_CERTIFICATION)


def render_docx(report: MaturityReport, fonts_folder: Path) -> bytes:
    """The Word document of ``report`` as bytes; the charts use the PDF's fonts."""
    return DocxReport(report, register_fonts(fonts_folder)).render()
