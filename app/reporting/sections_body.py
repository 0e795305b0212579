"""Body of the report: one section per function, the heat map, the gap analysis,
and the Generative AI Profile."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from app.domain.days import format_day, is_overdue
from app.domain.numbers import format_score
from app.domain.report import (
    FunctionSection,
    MaturityReport,
    ProfileUse,
    SubcategoryEntry,
    count_text,
    function_name,
)
from app.reporting import charts
from app.reporting.document import EntryMark
from app.reporting.kit import Kit, gap_text, pct
from app.reporting.sections_front import WARN_HEX, owner_cell, short
from app.reporting.text import clip

NOTES_IN_GAPS = 700


# -- functions ------------------------------------------------------------------------------
def _score_line(kit: Kit, section: FunctionSection) -> Flowable:
    n = section.node
    if n.score is None:
        if n.total and n.not_applicable == n.total:
            state = "<b>No score</b> (every subcategory is marked not applicable)"
        else:
            state = "<b>No score yet</b> (no subcategory is rated)"
    else:
        mark = " (provisional)" if n.provisional else ""
        state = (
            f"<b>Score {format_score(n.score)}</b> {kit.t(n.level_name)}{mark} · target "
            f"{format_score(n.target)} · gap {gap_text(n.gap)} · "
            f"{n.below_target} below target"
        )
    review = f"; {n.review_note}" if n.unreviewed else ""
    return kit.m(
        f"{state} · complete {pct(n.completion)} ({n.reviewed} of {n.total}: {n.rated} rated, "
        f"{n.not_applicable} N/A{review})",
        kit.s.body,
    )


def _category_rows(section: FunctionSection) -> list[list[str]]:
    rows = []
    for c in section.categories:
        rows.append(
            [
                c.id,
                c.title,
                format_score(c.score) + (" *" if c.score is not None and c.provisional else ""),
                c.level_name or ("all N/A" if c.not_applicable == c.total else "–"),
                pct(c.completion),
                format_score(c.target),
                gap_text(c.gap),
                str(c.below_target),
            ]
        )
    return rows


def _bars(section: FunctionSection) -> list[charts.Bar]:
    bars = []
    for c in section.categories:
        if c.score is not None:
            note = ""
        elif c.total and c.not_applicable == c.total:
            note = "all not applicable"
        else:
            note = "not rated yet"
        bars.append(charts.Bar(c.id, c.score, c.target, note))
    return bars


def _subcategory_rows(kit: Kit, section: FunctionSection) -> list[list[str]]:
    return [
        [
            e.id,
            short(kit, e.text, 120),
            e.rating_short,
            format_score(e.node.target),
            gap_text(e.node.gap),
            owner_cell(e),
            e.answer.due_date.isoformat() if e.answer.due_date else "–",
        ]
        for e in section.entries
    ]


def function_section(
    kit: Kit, report: MaturityReport, section: FunctionSection, last: bool = True
) -> list[Flowable]:
    f, s = section.function, kit.s
    out: list[Flowable] = [*kit.h1(f"{function_name(f.id, f.title)} function")]
    if f.description:
        out.append(kit.p(f.description, s.official))
    for para in f.overview:
        out.append(kit.p(para, s.small))
    out += [kit.gap(2), _score_line(kit, section), kit.gap(2)]
    if any(c.score is not None for c in section.categories):
        out.append(charts.category_bars(_bars(section), kit.width, s.fonts))
    else:
        reason = (
            "every subcategory is marked not applicable"
            if section.node.not_applicable == section.node.total
            else "no subcategory is rated yet"
        )
        out.append(
            kit.box(
                [
                    kit.p(
                        f"No category of {f.id} has a score ({reason}), so there is no bar chart.",
                        s.small,
                    )
                ]
            )
        )
    out += kit.h2("Categories")
    out.append(
        kit.table(
            ["Category", "Title", "Score", "Level", "Complete", "Target", "Gap", "Below target"],
            _category_rows(section),
            [1.2, 3.8, 0.75, 1.15, 0.95, 0.75, 0.6, 0.8],
            right=(2, 4, 5, 6, 7),
            auto=(0, 2, 3, 4, 5, 6, 7),
        )
    )
    out += kit.h2("Subcategories")
    # A page that begins inside the table says whose subcategories it goes on with.
    out.append(EntryMark(f"{f.id} subcategories"))
    scheme = report.meta.scheme
    if scheme.kind == "metrics":
        names = " / ".join(m.name.lower() for m in scheme.metrics)
        codes = ", ".join(f"{o.code} = {o.name}" for o in scheme.metrics[0].options)
        legend = f"Rating: {names} ({codes}) → score 1–5."
    else:
        legend = "Rating: the level chosen, 1–5."
    out.append(kit.p(f"{legend} Full statements, notes and evidence are in the appendix.", s.muted))
    out.append(
        kit.table(
            ["ID", "Statement (shortened)", "Rating", "Target", "Gap", "Owner", "Due"],
            _subcategory_rows(kit, section),
            [1.15, 4.5, 1.15, 0.7, 0.55, 1.4, 1.05],
            right=(3, 4),
            auto=(0, 2, 3, 4, 6),
        )
    )
    out.append(EntryMark(None))
    # The next function starts on this page when most of it is still free (no near-empty page
    # holding the last row of a table); the section after the last function starts afresh.
    out.append(PageBreak() if last else CondPageBreak(kit.height * 0.62))
    return out


# -- heat map -------------------------------------------------------------------------------
def heat_map(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    out: list[Flowable] = [
        *kit.h1("Heat map"),
        kit.p(
            f"All {len(report.entries)} subcategories, one row per category. The number in each "
            "cell is the level (1–5); an orange corner marks a subcategory below its target.",
            s.small,
        ),
    ]
    groups = []
    for section in report.functions:
        cats = [(c.id, section.entries_of(c.id)) for c in section.categories]
        groups.append((section.function.id, section.function.title, cats))
    avail = kit.height - 30 * 2.8346
    out.append(charts.heat_map(groups, kit.width, avail, s.fonts, report.level_names))
    out.append(PageBreak())
    return out


# -- gap analysis ---------------------------------------------------------------------------
def _gap_item(kit: Kit, report: MaturityReport, e: SubcategoryEntry) -> list[Flowable]:
    s = kit.s
    n = e.node
    owner = clip(e.answer.owner, 200)[0] if e.answer.owner else "not assigned"
    due = e.answer.due_date.isoformat() if e.answer.due_date else "not set"
    overdue = is_overdue(e.answer.due_date, report.meta.generated_at)
    head = kit.m(
        f"<b>{kit.t(e.id)}</b> · gap <b>{gap_text(n.gap)}</b> · score {format_score(n.score)} "
        f"({kit.t(n.level_name)}) → target {format_score(n.target)}",
        s.body_tight,
    )
    facts = kit.m(
        f"<b>Owner:</b> {kit.t(owner)} · <b>Due:</b> {kit.t(due)}"
        + (' <font color="#b3541e"><b>(overdue)</b></font>' if overdue else ""),
        s.small,
    )
    block: list[Flowable] = [head, kit.p(e.text, s.official), facts]
    if report.plan is not None:
        block.append(_gap_actions(kit, report, e))
    if e.answer.notes.strip():
        block.append(
            kit.clipped("Notes: " + e.answer.notes, NOTES_IN_GAPS, s.note, more="in the appendix")
        )
    open_actions = e.open_actions
    if open_actions:
        # Printed in full in their own appendix, labelled as what they are: the Playbook's
        # suggestions, not the organisation's plan (never shortened mid-sentence here).
        block.append(
            kit.p(
                f"{count_text(len(open_actions), 'NIST AI RMF Playbook suggestion')} not yet "
                f"marked in place (of {len(e.suggested_actions)}): see the appendix "
                "“Playbook suggestions”.",
                s.muted,
            )
        )
    elif e.suggested_actions:
        block.append(kit.p("Every Playbook suggested action is marked in place.", s.muted))
    block.append(kit.gap(3))
    return [kit.keep(block)]


ACTIONS_IN_GAP = 5


def _gap_actions(kit: Kit, report: MaturityReport, e: SubcategoryEntry) -> Flowable:
    """The organisation's actions on one subcategory below target, in the plan's order."""
    assert report.plan is not None
    mine = [i for i in report.plan.items if i.action.subcategory_id == e.id]
    if not mine:
        return kit.m(
            f'<font color="{WARN_HEX}">No remediation action is recorded for this '
            "subcategory.</font>",
            kit.s.small,
        )
    parts = []
    for item in mine[:ACTIONS_IN_GAP]:
        a = item.action
        due = f", due {format_day(a.due_date)}" if a.due_date else ""
        late = (
            f', <font color="{WARN_HEX}">{count_text(item.days_overdue, "day")} overdue</font>'
            if item.overdue
            else ""
        )
        parts.append(
            f"{kit.t(clip(a.title, 120)[0])} ({kit.t(a.owner or 'no owner')}{kit.t(due)}, "
            f"{kit.t(a.status.label.lower())}{late})"
        )
    more = len(mine) - ACTIONS_IN_GAP
    tail = f"; and {more} more in the remediation plan" if more > 0 else ""
    return kit.m(
        f"<b>Actions ({len(mine)}):</b> {'; '.join(parts)}{tail}.",
        kit.s.small,
    )


def gap_analysis(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    out: list[Flowable] = [*kit.h1("Gap analysis")]
    if not report.gaps:
        o = report.summary.overall
        message = (
            "No subcategory is rated yet, so there is no gap to analyse."
            if o.rated == 0
            else "No rated subcategory is below its target."
        )
        out += [kit.box([kit.p(message, s.small)]), CondPageBreak(kit.height * 0.5)]
        return out
    out.append(
        kit.p(
            f"{count_text(len(report.gaps), 'rated subcategory is', 'rated subcategories are')} "
            "below their target, ordered by gap "
            "(largest first) and then by function. Each shows its owner and due date, the "
            "organisation's remediation actions on it (all of them in the remediation plan), "
            "the assessor's notes and how many NIST AI RMF Playbook suggestions are not yet "
            "marked in place (listed in full in the appendix “Playbook suggestions”).",
            s.small,
        )
    )
    for e in report.gaps:
        out += _gap_item(kit, report, e)
    out.append(PageBreak())
    return out


# -- Generative AI Profile ------------------------------------------------------------------
def profile_title(use: ProfileUse) -> str:
    if not use.identifier or use.identifier in use.name:
        return use.name
    return f"{use.name} ({use.identifier})"


def genai(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    out: list[Flowable] = []
    for section in report.genai:
        use = section.profile
        out += kit.h1(profile_title(use))
        out.append(
            kit.p(
                "The overlay is enabled for this assessment. For each selected risk: the "
                f"{use.identifier} suggested actions tied to subcategories that are below target "
                "or unanswered.",
                s.small,
            )
        )
        if not use.risks:
            out += [
                kit.box(
                    [kit.p("No risk of the profile is selected for this assessment.", s.small)]
                ),
                PageBreak(),
            ]
            continue
        out += kit.h2("Selected risks")
        out.append(
            kit.table(
                ["Risk", "Definition"],
                [[r.title, r.definition or "–"] for r in use.risks],
                [1.6, 5.4],
            )
        )
        for risk in section.risks:
            out += kit.h2(risk.risk.title)
            out.append(EntryMark(f"{use.identifier}: {risk.risk.title}"))
            if not risk.actions:
                out.append(
                    kit.p(
                        "None: every subcategory this risk's actions are tied to is at or above "
                        "target, or not applicable.",
                        s.small,
                    )
                )
                out.append(EntryMark(None))
                continue
            out.append(
                kit.p(
                    f"{len(risk.actions)} action{'s' if len(risk.actions) != 1 else ''} tied to "
                    "subcategories below target or unanswered.",
                    s.muted,
                )
            )
            out.append(
                kit.table(
                    ["Action", "Subcategory", "Status", "Suggested action"],
                    [
                        [a.action.id, a.action.subcategory, a.status, a.action.text]
                        for a in risk.actions
                    ],
                    [1.05, 1.15, 0.9, 5.2],
                    auto=(0, 1, 2),
                )
            )
            out.append(EntryMark(None))
        out.append(PageBreak())
    return out
