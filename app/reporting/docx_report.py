"""The maturity report as an editable Word document (python-docx): the PDF's main text with real
headings (Title, Heading 1-3), tables with header rows, and the charts as PNG pictures with
alternative text, so that it can be edited and read by screen readers (a ReportLab PDF is not
tagged). Every figure comes from the report model and ``domain.numbers``, as in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from app.domain.numbers import format_score
from app.domain.report import NOT_A_CERTIFICATION, MaturityReport, SubcategoryEntry
from app.reporting import charts
from app.reporting.fonts import FontSet, register_fonts
from app.reporting.kit import gap_text, pct
from app.reporting.raster import drawing_png

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


def _para(doc: Document, text: str = "", style_id: str = "") -> Paragraph:
    """A paragraph in the style ``style_id`` (e.g. "Heading1", "ListBullet"), set by id:
    python-docx's lookup by style name scans the style sheet on every call."""
    paragraph = doc.add_paragraph(text)
    if style_id:
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    return paragraph


def _heading(doc: Document, text: str, level: int) -> Paragraph:
    return _para(doc, text, "Title" if level == 0 else f"Heading{level}")


_TWIPS_PER_CM = 567


def _cell_xml(text: str, width: int, bold: bool = False) -> str:
    run_pr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = escape(text).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
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


def _score_cell(score: float | None, provisional: bool) -> str:
    return format_score(score) + (" *" if score is not None and provisional else "")


def _entry_rating(e: SubcategoryEntry) -> str:
    return e.rating_short  # "H/M/M → 3", as the PDF's tables


class DocxReport:
    """Builds the Word document of one report model (see the module doc)."""

    def __init__(self, report: MaturityReport, fonts: FontSet) -> None:
        self.report = report
        self.fonts = fonts
        self.doc = Document()

    def render(self) -> bytes:
        """The .docx bytes."""
        self._setup()
        self._front()
        self._summary()
        for section in self.report.functions:
            self._function(section)
        self._gaps()
        self._not_applicable()
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

    def _front(self) -> None:
        meta, a = self.report.meta, self.report.meta.assessment
        _heading(self.doc, meta.title, level=0)
        facts = [
            ("AI system", a.ai_system),
            ("Organization", a.organization or "–"),
            ("Assessor", a.assessor or "–"),
            ("Framework", f"{meta.framework_name} {meta.framework_version}"),
            ("Rating scheme", meta.scheme.name),
            ("Status", "Draft" if meta.is_draft else f"Finalized by {a.finalized_by}"),
            ("Generated", meta.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
            ("Fingerprint", meta.fingerprint),
        ]
        _table(self.doc, [("", 4.0), ("", 13.0)], [[k, v] for k, v in facts], "TableGrid", False)
        if a.scope:
            _heading(self.doc, "Scope", level=2)
            _para(self.doc, a.scope)
        note = _para(
            self.doc,
        )
        note.add_run(NOT_A_CERTIFICATION).italic = True

    def _summary(self) -> None:
        summary = self.report.summary
        o = summary.overall
        _heading(self.doc, "Executive summary", level=1)
        _para(
            self.doc,
            f"Overall score {_score_cell(o.score, o.provisional)} "
            f"{o.level_name or ''} · {pct(o.completion)} complete · target "
            f"{format_score(o.target)} · gap {gap_text(o.gap)}".replace("  ", " "),
        )
        if o.score is not None and o.provisional:
            _para(
                self.doc,
                f"Provisional. Of the {o.total} subcategories: {o.provisional_reason}; the "
                "scores marked * may change as they are rated or reviewed.",
            )
        _para(self.doc, summary.reading)
        if o.score is not None:
            axes = [charts.Axis(f.id, f.score, f.target) for f in summary.functions]
            alt = "Radar chart of the function scores against their targets: " + "; ".join(
                f"{f.id} {format_score(f.score)} (target {format_score(f.target)})"
                for f in summary.functions
            )
            _picture(self.doc, charts.radar(axes, 95 * mm, self.fonts), alt, 9.5)
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
        _heading(self.doc, "Five largest gaps", level=2)
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
        else:
            _para(self.doc, "No rated subcategory is below its target.")

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
                ("Subcategory", 3.4),
                ("Statement", 6.6),
                ("Rating", 2.6),
                ("Target", 1.7),
                ("Owner", 2.3),
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

    def _gaps(self) -> None:
        _heading(self.doc, "Gap analysis and action plan", level=1)
        if not self.report.gaps:
            _para(self.doc, "No rated subcategory is below its target.")
            return
        for e in self.report.gaps:
            _heading(self.doc, f"{e.id} (gap {gap_text(e.node.gap)})", level=3)
            _para(self.doc, e.text)
            _para(self.doc, f"Rating: {e.rating}. Owner: {e.answer.owner or '–'}.")
            if e.answer.notes:
                _para(self.doc, f"Notes: {e.answer.notes}")
            for action in e.open_actions[:5]:
                _para(self.doc, action, "ListBullet")

    def _not_applicable(self) -> None:
        _heading(self.doc, "Not applicable register", level=1)
        if not self.report.not_applicable:
            _para(self.doc, "No subcategory is marked not applicable.")
            return
        _table(
            self.doc,
            [("Subcategory", 3.4), ("Rationale", 13.6)],
            [[e.id, e.answer.na_rationale] for e in self.report.not_applicable],
        )

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
