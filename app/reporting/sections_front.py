"""Front of the report: page 1 (title and executive summary), contents, report details,
progress since the previous cycle."""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from app.domain.comparison import NodeDelta, format_delta
from app.domain.days import format_day, format_local_time_with_zone
from app.domain.numbers import format_score
from app.domain.report import NOT_A_CERTIFICATION, MaturityReport, SubcategoryEntry
from app.domain.scoring import NodeScore
from app.domain.system_profile import PROFILE_FIELDS
from app.reporting import charts
from app.reporting.document import FontTable, make_toc
from app.reporting.kit import Kit, gap_text, pct
from app.reporting.styles import ACCENT_LIGHT

SCOPE_ON_COVER = 900
STATEMENT_ON_COVER = 1200
OWNER_IN_TABLES = 60
DRAFT_HEX = "#c0392b"
WARN_HEX = "#b3541e"
INTEGRITY_ON_COVER = 6  # problems listed on the cover; airmf verify lists them all
SHORT_STATEMENT = 110


def when(value: dt.datetime | None) -> str:
    """An instant as the reader's local date and time with its UTC offset (see ``days``)."""
    if value is None:
        return "–"
    return format_local_time_with_zone(value)


def short(kit: Kit, text: str, limit: int = SHORT_STATEMENT) -> str:
    from app.reporting.text import clip

    return clip(text, limit)[0]


def owner_cell(e: SubcategoryEntry) -> str:
    from app.reporting.text import clip

    return clip(e.answer.owner, OWNER_IN_TABLES)[0] if e.answer.owner else "–"


def status_text(report: MaturityReport) -> str:
    a = report.meta.assessment
    if report.meta.is_draft:
        return "Draft (not finalized)"
    role = f" ({a.finalized_role})" if a.finalized_role else ""
    return f"Finalized by {a.finalized_by}{role} on {when(a.finalized_at)}"


def details_status(report: MaturityReport) -> str:
    """The "Status" of the report details: the draft state, or the sign-off sentence with
    every role that signed (the same words as page 1)."""
    if report.meta.is_draft or report.meta.signoff is None or not report.summary.signoff:
        return status_text(report)
    return f"Finalized. {report.summary.signoff}"


# -- title block (page 1, above the executive summary) -------------------------------------
def title_block(kit: Kit, report: MaturityReport) -> list[Flowable]:
    """What the report is about and its sign-off status, at the top of page 1; an integrity
    failure is stated here, where nobody can miss it."""
    meta, a, s = report.meta, report.meta.assessment, kit.s
    out: list[Flowable] = [
        kit.p(f"{meta.framework_name} · maturity assessment report", s.cover_subtitle),
        kit.p(a.name, s.page_title),
        kit.p(a.ai_system, s.cover_subtitle),
        kit.gap(1),
    ]
    if meta.is_draft:
        banner = kit.m(
            f'<font color="{DRAFT_HEX}"><b>DRAFT</b></font> · not signed off: this '
            "assessment has not been finalized; its answers may still change.",
            s.body,
        )
    elif meta.signoff is not None:
        # Every role that signed, and the four-eyes rule when it was relaxed (issue 15).
        head, rest = "Signed off", report.summary.signoff
        if rest.startswith(head):
            rest = rest[len(head) :]
        banner = kit.m(f"<b>{head}</b>{kit.t(rest)}", s.body)
    else:
        banner = kit.m(f"<b>Signed off.</b> {kit.t(status_text(report), s.fonts.bold)}", s.body)
    out += [kit.box([banner]), kit.gap(3)]
    if meta.integrity_problems:
        # Prominent: a reader must not take a tampered assessment for a sound one.
        shown = meta.integrity_problems[:INTEGRITY_ON_COVER]
        more = len(meta.integrity_problems) - len(shown)
        items = "".join(f"<br/>• {kit.t(p)}" for p in shown)
        tail = f"<br/>… and {more} more (airmf verify {a.id})" if more else ""
        warning = kit.m(
            f'<font color="{WARN_HEX}"><b>INTEGRITY CHECK FAILED</b></font> · the stored data '
            f"was changed outside the app; do not rely on this report.{items}{tail}",
            s.body,
        )
        out += [kit.box([warning]), kit.gap(3)]
    return out


# -- report details -------------------------------------------------------------------------
def _system_profile(kit: Kit, report: MaturityReport) -> list[tuple[str, object]]:
    """The AI-system profile's rows for the report details (issue 14): every field, "Not
    stated" for one left empty."""
    profile = report.meta.system_profile
    rows: list[tuple[str, object]] = []
    for name, label in PROFILE_FIELDS:
        text = profile.field_text(name)
        value: object = text or "Not stated"
        if name == "intended_use" and text:
            value = kit.clipped(text, SCOPE_ON_COVER, kit.s.cell, more="in the export")
        rows.append((label, value))
    return rows


def cover(kit: Kit, report: MaturityReport) -> list[Flowable]:
    """The report's details for an auditor: what was assessed, by whom, against what, the
    fingerprints and the change history head (after the contents)."""
    meta, a, s = report.meta, report.meta.assessment, kit.s
    out: list[Flowable] = [*kit.h1("Report details")]
    scope = kit.clipped(
        a.scope or "Not stated",
        SCOPE_ON_COVER,
        s.cell,
        more="in the appendix, Assessment scope",
    )
    profiles = "None"
    if meta.profiles:
        profiles = "; ".join(
            (p.name if not p.identifier or p.identifier in p.name else f"{p.name} ({p.identifier})")
            + (
                f": risks {', '.join(r.title for r in p.risks)}"
                if p.risks
                else ": no risk selected"
            )
            for p in meta.profiles
        )
    fingerprint = kit.m(
        f"<b>{kit.t(meta.fingerprint)}</b><br/>"
        '<font color="#5a5a5a">SHA-256 of the assessment\'s details, AI-system profile, '
        "answers, evidence hashes and dates, remediation actions, reviews, history head and "
        "sign-off roles at the time of the report, computed from the "
        "export attached to this PDF (recipe in the Method section); <i>airmf verify ID "
        "--report FILE.pdf</i> checks this report against the data.</font>",
        s.cell,
    )
    pairs: list[tuple[str, object]] = [
        ("Assessment", a.name),
        ("AI system", a.ai_system),
        ("Organisation", a.organization or "Not stated"),
        ("Scope", scope),
        ("Assessor", a.assessor or "Not stated"),
        ("Report date", when(meta.generated_at)),
        ("Assessment created / changed", f"{when(a.created_at)} / {when(a.updated_at)}"),
        # Every role that signed and a relaxed four-eyes rule, in the words of page 1 and
        # the sign-off block (``report.signoff_sentence``), not the approver alone.
        ("Status", details_status(report)),
    ]
    if not meta.is_draft and a.finalized_statement:
        statement = kit.clipped(
            a.finalized_statement, STATEMENT_ON_COVER, s.cell, more="in the appendix"
        )
        pairs.append(("Sign-off statement", statement))
    pairs += [
        ("Framework", f"{meta.framework_name}, version {meta.framework_version}"),
        ("Rating scheme", meta.scheme.name),
        ("Default target", f"Level {a.default_target}"),
        ("Profile overlays", profiles),
        ("Report fingerprint", fingerprint),
    ]
    if meta.chain_head:
        pairs.append(
            (
                "Change history head",
                kit.m(
                    f"{kit.t(meta.chain_head)}<br/>"
                    '<font color="#5a5a5a">Keep this report: <i>airmf verify</i> prints the '
                    "same line while the history is the one this report was made from.</font>",
                    s.cell,
                ),
            )
        )
    if not meta.is_draft and a.fingerprint:
        pairs.append(
            (
                "Sign-off fingerprint",
                kit.m(
                    f"{kit.t(a.fingerprint)}<br/>"
                    '<font color="#5a5a5a">Stored at sign-off (answers, history head, '
                    "signer); <i>airmf verify ID</i> checks it.</font>",
                    s.cell,
                ),
            )
        )
    match = meta.fingerprint_matches_signoff
    if match is True:
        pairs.append(("Sign-off check", "The answers match the fingerprint stored at sign-off."))
    elif match is False:
        pairs.append(
            (
                "Sign-off check",
                kit.m(
                    f'<font color="#b3541e"><b>The answers no longer match the fingerprint '
                    f"stored at sign-off ({kit.t(a.fingerprint)}).</b></font>",
                    s.cell,
                ),
            )
        )
    out.append(kit.kv(pairs))  # type: ignore[arg-type]
    out += kit.h2("AI-system profile")
    if meta.system_profile.is_empty:
        out.append(
            kit.p(
                "The AI-system profile (risk tier, intended use, lifecycle stage, model, data "
                "and affected populations) was not filled in for this assessment.",
                s.small,
            )
        )
    else:
        out.append(kit.kv(_system_profile(kit, report)))  # type: ignore[arg-type]
    out += [kit.gap(6), kit.p(NOT_A_CERTIFICATION, s.muted), PageBreak()]
    return out


# -- contents -------------------------------------------------------------------------------
def contents(kit: Kit, report: MaturityReport) -> list[Flowable]:
    return [
        *kit.h1("Contents", toc=False),
        kit.p("Entries and page numbers are links.", kit.s.muted),
        kit.gap(2),
        make_toc(kit.s.toc),
        PageBreak(),
    ]


# -- executive summary ----------------------------------------------------------------------
def _kpis(kit: Kit, report: MaturityReport) -> Table:
    s, o = kit.s, report.summary.overall
    level = o.level_name or "no score yet"
    if o.score is not None and o.provisional:
        level += " · provisional"
    cards = [
        (format_score(o.score), f"Overall score · {level}"),
        (
            pct(o.completion),
            f"Complete: {o.reviewed} of {o.total} ({o.answered} answered, {o.review_note})"
            if o.unreviewed
            else f"Complete: {o.answered} of {o.total} answered ({o.rated} rated, "
            f"{o.not_applicable} N/A)",
        ),
        (str(report.summary.below_target), "Subcategories below target"),
        (str(report.summary.unanswered), "Unanswered subcategories"),
    ]
    if report.summary.has_previous or report.summary.carried_over:
        cards.append((str(report.summary.carried_over), "Answers carried over, not yet reviewed"))
    cells = [[kit.p(v, s.kpi_value), kit.p(label, s.kpi_label)] for v, label in cards]
    w = kit.width / len(cells)
    table = FontTable([cells], colWidths=[w] * len(cells), hAlign="LEFT", font=s.fonts.regular)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
                ("LINEAFTER", (0, 0), (-2, -1), 1.5, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def function_table(kit: Kit, nodes: tuple[NodeScore, ...], width: float | None = None) -> Table:
    rows = [
        [
            n.id,
            format_score(n.score) + (" *" if n.score is not None and n.provisional else ""),
            n.level_name or "–",
            pct(n.completion),
            format_score(n.target),
            gap_text(n.gap),
            str(n.below_target),
        ]
        for n in nodes
    ]
    return kit.table(
        ["Function", "Score", "Level", "Complete", "Target", "Gap", "Below target"],
        rows,
        [1.5, 0.9, 1.4, 1.1, 0.9, 0.8, 1.0],
        right=(1, 3, 4, 5, 6),
        width=width,
        auto=(0, 1, 3, 4, 5, 6),
    )


def gaps_table(
    kit: Kit,
    entries: tuple[SubcategoryEntry, ...] | list[SubcategoryEntry],
    statement: int = 95,
) -> Table:
    """Subcategories below target; ``statement``: characters of the official statement shown
    (shortened with an ellipsis, given in full in the appendix)."""
    rows = [
        [
            e.id,
            short(kit, e.text, statement),
            format_score(e.node.score),
            format_score(e.node.target),
            gap_text(e.node.gap),
            owner_cell(e),
            e.answer.due_date.isoformat() if e.answer.due_date else "–",
        ]
        for e in entries
    ]
    return kit.table(
        ["Subcategory", "Statement", "Score", "Target", "Gap", "Owner", "Due"],
        rows,
        [1.25, 4.2, 0.7, 0.75, 0.6, 1.5, 1.1],
        right=(2, 3, 4),
        auto=(0, 2, 3, 4, 6),
    )


def executive_summary(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s, summary = kit.s, report.summary
    o = summary.overall
    out: list[Flowable] = [
        *title_block(kit, report),
        *kit.h1("Executive summary"),
        _kpis(kit, report),
        kit.gap(3),
    ]
    if o.score is not None and o.provisional:
        out.append(
            kit.m(
                f"<b>Provisional.</b> Of the {o.total} subcategories: {o.provisional_reason}; "
                "the scores marked * may change as they are rated or reviewed.",
                s.small,
            )
        )
    out.append(kit.p(summary.reading))
    # The ongoing work in plain words (issue 15): sign-off, overdue actions, unsupported
    # ratings, expired evidence; the details are in their own sections. Beside the radar
    # chart when there is one, so that page 1 still holds the largest gaps.
    findings: list[Flowable] = []
    if summary.findings:
        findings.append(kit.m("Key findings", s.label))
        findings += [kit.p(line, s.finding, bullet="•") for line in summary.findings]
    # Small enough that page 1 holds the summary, the function table and the largest gaps.
    left, right = kit.width * 0.36, kit.width * 0.64
    if o.score is None:
        chart: Flowable = kit.box(
            [
                kit.p(
                    "No function has a score yet, so there is no radar chart. It appears once "
                    "subcategories are rated.",
                    s.small,
                )
            ]
        )
        out += [*findings, chart, kit.gap(3), function_table(kit, summary.functions)]
    else:
        axes = [charts.Axis(f.id, f.score, f.target) for f in summary.functions]
        drawing: Drawing = charts.radar(axes, left - 4, s.fonts)
        side = FontTable(
            [[drawing, findings or [_radar_note(kit)]]],
            colWidths=[left, right],
            hAlign="LEFT",
            font=s.fonts.regular,
        )
        side.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (1, 0), (1, 0), 4 if findings else 14),
                    # The radar's axis labels reach the edge of their column.
                    ("LEFTPADDING", (1, 0), (1, 0), 10 if findings else 0),
                ]
            )
        )
        # The table takes the full width below the chart: seven columns of figures beside the
        # chart would wrap headers and level names.
        out += [side, kit.gap(2), function_table(kit, summary.functions)]
        if findings:
            out.append(kit.p(RADAR_NOTE_SHORT, s.muted))
    more = summary.below_target - len(summary.top_gaps)
    # "7 more below target" in the heading, not a line after the table: page 1 stays one page.
    out += kit.h2(
        "Five largest gaps"
        + (f" ({more} more in the gap analysis)" if summary.top_gaps and more > 0 else "")
    )
    if summary.top_gaps:
        # Statements short enough for one line a row: page 1 also holds the key findings.
        out.append(gaps_table(kit, summary.top_gaps, statement=50))
    elif o.rated == 0:
        out.append(kit.p("No subcategory is rated yet, so there is no gap to show.", s.small))
    else:
        out.append(kit.p("No rated subcategory is below its target.", s.small))
    out.append(PageBreak())
    return out


RADAR_NOTE_SHORT = (
    "Means on the 1–5 scale; * provisional; target: mean of the rated subcategories' targets; "
    "gap = target − score."
)


def _radar_note(kit: Kit) -> Paragraph:
    return kit.p(
        "Scores are means on the 1–5 scale (one decimal); * marks a provisional score "
        "(some subcategories beneath it are unanswered or not yet reviewed). Target: the mean "
        "target of the rated subcategories; gap = target minus score where the score is below "
        "target; below target: how many rated subcategories are under their target.",
        kit.s.muted,
    )


# -- progress -------------------------------------------------------------------------------
def delta_cells(d: NodeDelta) -> list[str]:
    """Before, after, change and direction of one node, as every report surface prints them."""
    before = format_score(d.before) if d.before is not None else d.state_before
    after = format_score(d.after) if d.after is not None else d.state_after
    delta = format_delta(d.delta)
    return [before, after, delta, d.change.value]


def progress(kit: Kit, report: MaturityReport) -> list[Flowable]:
    p = report.progress
    if p is None:
        return []
    s = kit.s
    prev = p.previous
    out: list[Flowable] = [
        *kit.h1("Progress since the previous cycle"),
        kit.p(
            f"Compared with “{prev.name}” (assessment {prev.id}, created "
            f"{format_day(prev.created_at)}, {prev.status.value})."
        ),
    ]
    if p.overall is not None:
        before, after, delta, change = delta_cells(p.overall)
        out.append(
            kit.m(
                f"<b>Overall:</b> {kit.t(before)} → {kit.t(after)} ({kit.t(delta)}, "
                f"{kit.t(change)})."
            )
        )
    carried = report.summary.carried_over
    out.append(
        kit.p(
            f"Answers carried over from the previous cycle and not yet reviewed: {carried}.",
            s.small,
        )
    )
    rows, bold = [], []
    by_function: dict[str, list[NodeDelta]] = {}
    for c in p.categories:
        by_function.setdefault(c.id.split(" ")[0], []).append(c)
    for f in p.functions:
        bold.append(len(rows))
        rows.append([f.id, *delta_cells(f)])
        rows += [[f"  {c.id}", *delta_cells(c)] for c in by_function.get(f.id, [])]
    out += kit.h2("Functions and categories")
    out.append(
        kit.table(
            ["Function / category", "Before", "After", "Change", "Direction"],
            rows,
            [2.2, 1.1, 1.1, 0.9, 1.6],
            right=(1, 2, 3),
            auto=(1, 2, 3, 4),
            bold_rows=bold,
        )
    )
    for title, items, empty in (
        ("Regressions", p.regressions, "No subcategory regressed."),
        ("Improvements", p.improvements, "No subcategory improved."),
    ):
        out += kit.h2(f"{title} ({len(items)})")
        if not items:
            out.append(kit.p(empty, s.small))
            continue
        out.append(
            kit.table(
                ["Subcategory", "Statement", "Before", "After", "Change"],
                [
                    [
                        d.id,
                        short(kit, d.title, 100),
                        format_score(d.before),
                        format_score(d.after),
                        format_delta(d.delta),
                    ]
                    for d in items
                ],
                [1.3, 5.0, 0.8, 0.8, 0.8],
                right=(2, 3, 4),
                auto=(0, 2, 3, 4),
            )
        )
    others = []
    if p.newly_rated:
        others.append(f"Newly rated: {', '.join(d.id for d in p.newly_rated)}.")
    if p.no_longer_rated:
        others.append(
            f"No longer rated (now N/A or cleared): {', '.join(d.id for d in p.no_longer_rated)}."
        )
    for line in others:
        out.append(kit.p(line, s.small))
    out += kit.h2("Trend across cycles")
    if len(p.trend) >= 2:
        out.append(charts.trend_lines(p.trend, p.function_ids, kit.width, s.fonts))
    else:
        out.append(
            kit.box(
                [
                    kit.p(
                        "Only one cycle of this AI system is on record, so there is no trend "
                        "line yet.",
                        s.small,
                    )
                ]
            )
        )
    trend_rows = [
        [
            f"{r.name}" + (" (this report)" if r.current else ""),
            r.created.isoformat(),
            r.status,
            format_score(r.overall),
            *(format_score(v) for _f, v in r.functions),
        ]
        for r in p.trend
    ]
    out.append(kit.gap(2))
    out.append(
        kit.table(
            ["Cycle", "Created", "Status", "Overall", *p.function_ids],
            trend_rows,
            [2.6, 1.1, 0.9, 0.9, *([0.9] * len(p.function_ids))],
            right=tuple(range(3, 4 + len(p.function_ids))),
            auto=tuple(range(1, 4 + len(p.function_ids))),
        )
    )
    out.append(PageBreak())
    return out
