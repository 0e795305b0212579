"""Back of the report: N/A register, evidence index, the appendix of all subcategories, method."""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from app.domain.numbers import format_score
from app.domain.report import (
    NOT_A_CERTIFICATION,
    MaturityReport,
    SubcategoryEntry,
    count_text,
    function_name,
)
from app.reporting.document import EntryMark
from app.reporting.kit import Kit, gap_text
from app.reporting.sections_front import SCOPE_ON_COVER, STATEMENT_ON_COVER, short, when

RATIONALE_IN_REGISTER = 1500


def soft_break(kit: Kit) -> CondPageBreak:
    """After a short section: the next one starts on this page if half of it is still free."""
    return CondPageBreak(kit.height * 0.5)


# -- N/A register ---------------------------------------------------------------------------
def na_register(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    out: list[Flowable] = [*kit.h1("Not-applicable register")]
    if not report.not_applicable:
        out += [
            kit.box([kit.p("No subcategory is marked not applicable.", s.small)]),
            soft_break(kit),
        ]
        return out
    out.append(
        kit.p(
            f"{count_text(len(report.not_applicable), 'subcategory is', 'subcategories are')} "
            "marked not applicable. They are left out of every score and count as answered for "
            "completion.",
            s.small,
        )
    )
    rows = []
    for e in report.not_applicable:
        rationale = kit.clipped(
            e.answer.na_rationale or "No rationale recorded",
            RATIONALE_IN_REGISTER,
            s.cell,
            more="in the appendix",
        )
        rows.append([e.id, short(kit, e.text, 140), rationale])
    out.append(
        kit.table(
            ["Subcategory", "Statement (shortened)", "Rationale"], rows, [1.2, 3.3, 3.9], auto=(0,)
        )
    )
    out.append(soft_break(kit))
    return out


# -- evidence -------------------------------------------------------------------------------
def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


CLICKABLE = ("http://", "https://", "mailto:")


def link_markup(kit: Kit, url: str) -> str:
    """A cited link as paragraph markup: clickable when it is a web or mail address (never
    another scheme, such as javascript:), shown as entered."""
    shown = kit.t(url)
    if not url.lower().startswith(CLICKABLE):
        return shown
    target = xml_escape(url, {'"': "&quot;"})
    return f'<a href="{target}" color="#1f4e79">{shown}</a>'


def link_cell(kit: Kit, url: str) -> Flowable:
    return kit.m(link_markup(kit, url), kit.s.cell)


def evidence_index(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    out: list[Flowable] = [*kit.h1("Evidence index")]
    if not report.evidence:
        out += [
            kit.box([kit.p("No evidence is cited in this assessment.", s.small)]),
            soft_break(kit),
        ]
        return out
    out.append(
        kit.p(
            f"{count_text(len(report.evidence), 'evidence item')}. Files were copied into the "
            "app's evidence store when attached and are identified by their SHA-256; links are "
            "cited as entered (and can be clicked) and have no SHA-256, since the app holds no "
            "copy of what they point to. The status is the assessor's evidence status of the "
            "subcategory.",
            s.small,
        )
    )
    out.append(EntryMark("Evidence index"))
    rows: list[list[object]] = []
    for r in report.evidence:
        item = r.item
        where: object = (
            link_cell(kit, item.url) if item.url else f"{item.file_name} ({_size(item.size)})"
        )
        digest = item.sha256 or ("link: not hashed" if item.url else "–")
        title = "" if item.untitled and item.url else item.title  # the link once, beside it
        rows.append([r.subcategory_id, title, where, digest, r.status or "–"])
    out.append(
        kit.table(
            ["Subcategory", "Title", "Link or file", "SHA-256", "Evidence status"],
            rows,
            [1.15, 2.0, 2.3, 2.0, 1.1],
            auto=(0,),
        )
    )
    out += [EntryMark(None), soft_break(kit)]
    return out


# -- appendix -------------------------------------------------------------------------------
def _facts(kit: Kit, e: SubcategoryEntry) -> list[tuple[str, object]]:
    a, n = e.answer, e.node
    pairs: list[tuple[str, object]] = [("Rating", e.rating)]
    if e.state == "rated":
        pairs.append(
            (
                "Score / target / gap",
                f"{format_score(n.score)} / {format_score(n.target)} / {gap_text(n.gap)}",
            )
        )
    elif e.state == "unanswered":
        pairs.append(("Target", format_score(n.target)))
    if a.owner or a.due_date:
        pairs.append(
            ("Owner / due", f"{a.owner or '–'} / {a.due_date.isoformat() if a.due_date else '–'}")
        )
    if a.evidence_status is not None:
        pairs.append(("Evidence status", a.evidence_status.label))
    flags = []
    if a.flagged:
        flags.append("flagged for follow-up")
    if a.carried_over:
        flags.append("carried over from the previous cycle, not yet reviewed")
    if flags:
        pairs.append(("Marks", "; ".join(flags)))
    if a.updated_at is not None:
        pairs.append(("Last changed", when(a.updated_at)))
    return pairs


def _appendix_entry(kit: Kit, e: SubcategoryEntry) -> list[Flowable]:
    s = kit.s
    room, heading = kit.h3(e.id, outline_level=2, room_mm=34)
    # The head stays with the statement and the facts (a page never starts with "Owner / due"
    # of an entry whose name is on the previous page); a page that begins inside the entry
    # repeats its name, "MAP 1.1 (continued)", below the running head.
    out: list[Flowable] = [
        room,
        KeepTogether(
            [
                EntryMark(e.id),
                heading,
                kit.p(e.text, s.official),
                kit.kv(_facts(kit, e), 0.22),  # type: ignore[arg-type]
            ]
        ),
    ]
    a = e.answer
    if a.not_applicable:
        out.append(kit.m("Not-applicable rationale", s.label))
        out += kit.long_text(a.na_rationale or "No rationale recorded", s.note)
    if a.notes.strip():
        out.append(kit.m("Notes", s.label))
        out += kit.long_text(a.notes, s.note)
    if a.evidence:
        out.append(kit.m(f"Evidence ({len(a.evidence)})", s.label))
        for item in a.evidence:
            where = link_markup(kit, item.url) if item.url else kit.t(item.file_name)
            digest = f" · SHA-256 {item.sha256}" if item.sha256 else ""
            named = where if item.untitled else f"{kit.t(item.title)} — {where}"  # once
            out.append(kit.m(f"{named}{digest}", s.bullet, bullet="•"))
    in_place = e.actions_in_place
    if in_place:
        out.append(
            kit.m(
                f"Suggested actions in place ({len(in_place)} of "
                f"{len(e.suggested_actions)}, NIST AI RMF Playbook)",
                s.label,
            )
        )
        for _i, action in in_place:
            out.append(kit.p(action, s.bullet, bullet="•"))
    out += [EntryMark(None), kit.gap(2)]
    return out


def playbook_suggestions(kit: Kit, report: MaturityReport) -> list[Flowable]:
    """The Playbook's suggested actions not yet in place, for each subcategory below target,
    in full: labelled as suggestions (guidance), apart from the organisation's own plan."""
    below = [e for e in report.gaps if e.open_actions]
    if not below:
        return []
    s = kit.s
    out: list[Flowable] = [
        *kit.h1("Appendix: Playbook suggestions"),
        kit.p(
            "Suggestions from the NIST AI RMF Playbook for the subcategories below target, in "
            "the order of the gap analysis, with those the assessor marked in place left out. "
            "They are guidance to consider, not requirements and not the organisation's "
            "remediation plan; they are reproduced verbatim and in full.",
            s.small,
        ),
    ]
    for e in below:
        room, heading = kit.h3(e.id, room_mm=30)
        actions = e.open_actions
        out += [
            room,
            KeepTogether(
                [
                    EntryMark(f"{e.id} suggestions"),
                    heading,
                    kit.p(
                        f"Gap {gap_text(e.node.gap)}; "
                        f"{count_text(len(actions), 'suggestion')} not yet marked in place "
                        f"(of {len(e.suggested_actions)}).",
                        s.muted,
                    ),
                    kit.p(actions[0], s.bullet, bullet="•"),
                ]
            ),
        ]
        out += [kit.p(action, s.bullet, bullet="•") for action in actions[1:]]
        out += [EntryMark(None), kit.gap(2)]
    out.append(PageBreak())
    return out


def appendix(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    out: list[Flowable] = [
        *kit.h1("Appendix: all subcategories"),
        kit.p(
            f"All {len(report.entries)} subcategories in the framework's order, each with its "
            "official statement, the rating, the assessor's notes and evidence, and the NIST AI "
            "RMF Playbook suggested actions marked in place.",
            s.small,
        ),
    ]
    a = report.meta.assessment
    if len(a.scope.strip()) > SCOPE_ON_COVER:
        out += kit.h2("Assessment scope", outline_level=1)
        out += kit.long_text(a.scope, s.note)
    if not report.meta.is_draft and len(a.finalized_statement.strip()) > STATEMENT_ON_COVER:
        out += kit.h2("Sign-off statement", outline_level=1)
        out += kit.long_text(a.finalized_statement, s.note)
    for section in report.functions:
        f = section.function
        out += kit.h2(function_name(f.id, f.title), toc_level=1, outline_level=1)
        for category in f.categories:
            out += kit.h3(f"{category.id}: {category.title}", room_mm=48)
            for e in section.entries_of(category.id):
                out += _appendix_entry(kit, e)
    out.append(PageBreak())
    return out


# -- method ---------------------------------------------------------------------------------
AGGREGATION = (
    "A category's score is the mean of its rated subcategories; a function's, the mean of its "
    "categories that have a score; the overall score, the mean of the functions that have a "
    "score."
)
ROUNDING_TEXT = (
    "Every number in this report, in the application window and in the command line is written "
    "by one rule: scores, targets, gaps and changes of score show one decimal, completion a "
    "whole percent, all rounded to the nearest with a half going to the even neighbour (2.26 "
    "shows as 2.3, 2.25 as 2.2, 2.35 as 2.4, two thirds complete as 67%). With a whole-number "
    "target, the gap shown is therefore always the target shown minus the score shown. The "
    "level named beside a score is the level of the shown score (a mean of 2.96 shows as 3.0, "
    "Established). A completion short of 100% never shows as 100%, and a change of score too "
    "small for one decimal shows more digits (+0.04) rather than 0.0. Dates are the calendar "
    "days of the time zone the report was generated in; times show their offset from UTC."
)
NA_TEXT = (
    "Not-applicable subcategories (each with a recorded rationale) and unanswered "
    "subcategories are left out of every score. An answer carried over from the previous "
    "cycle still counts in the score but is not yet reviewed until someone confirms or "
    "changes it in this cycle. Completion = (rated + not applicable − not yet reviewed) / "
    "total, shown beside every score; a score with unanswered or not yet reviewed "
    "subcategories beneath it is provisional and may change as they are rated or reviewed."
)
GAP_TEXT = (
    "Each subcategory's target is the assessment's default target unless the assessor set "
    "another. The target of a category, a function or the whole assessment is the mean target "
    "of the rated subcategories beneath it. At every level, gap = max(0, target − score), from "
    "that level's own score and target: a function at score 3.0 and target 3.0 has gap 0.0. "
    "Because a mean can hide a shortfall, the count of rated subcategories below their target "
    "is given beside it. The gap analysis lists every rated subcategory whose gap is above zero."
)
FINGERPRINT_TEXT = (
    "The report fingerprint covers everything this report's conclusions rest on: the "
    "assessment's details (name, AI system, organisation, scope, assessor, framework and "
    "version, rating scheme, default target, profile overlays and their risks, status, the "
    "AI-system profile, every sign-off role and whether the four-eyes rule was relaxed), every "
    "answer (ratings, targets, N/A rationales, notes, owners, due dates, flags, evidence items "
    "with each file's SHA-256 and their as-of and valid-until days), the remediation actions, "
    "the answers' review states and reviewer comments, and the head of the change history. The "
    "assessment's native JSON export that this report was made from is attached to this PDF "
    "as assessment-export.json (open your PDF viewer's attachments panel); 'airmf import' reads "
    "it, so every score can be recomputed, and 'airmf verify ID --report FILE.pdf' says whether "
    "this report still matches the stored assessment and what differs."
)
FINGERPRINT_RECIPE = (
    "Recipe airmf-report-fingerprint/2, to recompute it from the attached export: keep its "
    "parts 'assessment' (without 'updated_at'); 'answers' (each without 'updated_at', each "
    "evidence item without 'added_at', sorted by 'subcategory_id'); 'actions' (each without "
    "'updated_at', sorted by 'uid'); 'reviews' (sorted by 'subcategory_id'); "
    "'review_comments' (sorted by 'subcategory_id', then 'at', 'author' and 'text'); each of "
    "these four left out when empty or absent; and 'history' replaced by "
    '{"count": the number of entries, "head": the last entry\'s '
    "'entry_hash', or 64 zeros when there is none}; add \"recipe\": "
    '"airmf-report-fingerprint/2"; write this object as JSON with keys sorted, no '
    "whitespace (separators ',' and ':') and non-ASCII characters unescaped, encode it as "
    "UTF-8, and take the SHA-256 in lowercase hexadecimal. Records that sort equal by these "
    "keys are ordered by their own JSON text as written by this rule."
)
SIGNOFF_FINGERPRINT_TEXT = (
    "When an assessment is finalized, a sign-off fingerprint (the SHA-256 of its answers, the "
    "head of its change history and the sign-off) is stored with it, and 'airmf verify ID' "
    "says whether the stored data, the history and the evidence files still match it. The "
    "change history is a hash chain without a key: it shows any change to part of it, but a "
    "rewrite of the whole chain with recomputed hashes can only be detected against a copy of "
    "its head kept elsewhere, such as the one in the Report details of this report."
)
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "Coverage",
        "Rubric metric: how much of what the subcategory asks for the organisation's practice "
        "covers (Low, Medium, High).",
    ),
    (
        "Robustness",
        "Rubric metric: how well the practice holds up: documented, repeatable, resourced and "
        "checked rather than ad hoc (Low, Medium, High).",
    ),
    (
        "Input diversity",
        "Rubric metric: how many and how varied the people and sources that inform the "
        "practice are (Low, Medium, High).",
    ),
    (
        "Score and level",
        "A number on the 1–5 scale and its name (1 Minimal to 5 Leading); a category's, a "
        "function's and the overall score are means of the scores beneath them.",
    ),
    (
        "Completion",
        "The share of subcategories answered in this cycle (rated or marked not applicable), "
        "not counting answers carried over and not yet reviewed.",
    ),
    (
        "Provisional",
        "A score with unanswered or not yet reviewed subcategories beneath it: it rests on part "
        "of the evidence and may change. Marked * in tables.",
    ),
    (
        "Target",
        "The level the organisation aims for: the assessment's default target unless set per "
        "subcategory; above a subcategory, the mean target of the rated ones.",
    ),
    ("Gap", "How far a score falls short of its target: max(0, target − score)."),
    (
        "Carried over",
        "An answer copied from the previous cycle; it counts in the score but is not yet "
        "reviewed until someone confirms or changes it.",
    ),
    (
        "Unsupported rating",
        "A rating of Advanced or Leading (4 or 5) with no evidence that is still valid, or "
        "whose evidence status is 'evidence to the contrary'.",
    ),
    (
        "Overdue action",
        "An open remediation action (planned or in progress) whose due day is before the "
        "report's day; days overdue are counted in calendar days.",
    ),
    (
        "Four-eyes rule",
        "The approver may not be the person who made the last change to any answer, unless "
        "the assessment relaxes the rule; the sign-off then says so.",
    ),
    (
        "Playbook suggestion",
        "An action the NIST AI RMF Playbook suggests for a subcategory: guidance to consider, "
        "not a requirement and not the organisation's own plan.",
    ),
)
SELF_ASSESSMENT_LIMITS: tuple[str, ...] = (
    "The ratings are the assessor's judgement; a reviewer in the same organisation may have "
    "checked them, but nobody independent has, and two assessors may rate the same practice "
    "differently.",
    "The evidence listed is what the assessor cited; its presence is recorded, not its quality "
    "or whether it is complete.",
    "A score describes the practice at the time of the answers; it says nothing about the "
    "AI system's actual risks or incidents.",
    "Means hide spread: a function can score well while some of its subcategories are far "
    "below target (the gap analysis lists them).",
)
RUBRIC_SOURCE = (
    "Dotan, R., Blili-Hamelin, B., Madhavan, R., Matthews, J., Scarpino, J. (2024). Evolving AI "
    "Risk Management: A Maturity Model based on the NIST AI Risk Management Framework. "
    "arXiv 2401.15229, section 4."
)


def method(kit: Kit, report: MaturityReport) -> list[Flowable]:
    s = kit.s
    scheme = report.meta.scheme
    out: list[Flowable] = [*kit.h1("Method")]
    out += kit.h2("Rating scheme")
    out.append(kit.m(f"<b>{kit.t(scheme.name)}.</b> {kit.t(scheme.description)}"))
    if scheme.kind == "metrics":
        out.append(
            kit.p(
                "The maturity rubric is that of Dotan et al. 2024 (arXiv 2401.15229): each "
                "subcategory is rated on each metric below, and the sum of the points gives the "
                "score through the scoring table. All metric ratings are stored, so every score "
                "can be recomputed."
            )
        )
        out.append(
            kit.table(
                ["Metric", "What it measures", "Options (points)"],
                [
                    [m.name, m.explanation, ", ".join(f"{o.name} ({o.points})" for o in m.options)]
                    for m in scheme.metrics
                ],
                [1.3, 4.2, 2.2],
            )
        )
        out.append(kit.gap(3))
        rows = []
        for band in scheme.score_table:
            level = scheme.level(band.score)
            points = (
                str(band.min_points)
                if band.min_points == band.max_points
                else f"{band.min_points}–{band.max_points}"
            )
            rows.append([points, str(band.score), level.name, level.definition])
        out.append(
            kit.table(
                ["Points", "Score", "Level", "Definition"],
                rows,
                [0.8, 0.7, 1.2, 5.0],
                right=(0, 1),
                auto=(0, 1, 2),
            )
        )
    else:
        out.append(
            kit.p(
                "Each subcategory is given one level directly. The level names follow the "
                "maturity rubric of Dotan et al. 2024 (arXiv 2401.15229)."
            )
        )
        out.append(
            kit.table(
                ["Level", "Name", "Definition"],
                [[str(lv.value), lv.name, lv.definition] for lv in scheme.levels],
                [0.7, 1.3, 5.5],
                right=(0,),
                auto=(0, 1),
            )
        )
    if scheme.citation:
        out.append(kit.p(f"Citation: {scheme.citation}", s.muted))
    out += kit.h2("Aggregation, not applicable, completion and gaps")
    out += [kit.p(AGGREGATION), kit.p(NA_TEXT), kit.p(GAP_TEXT)]
    out += kit.h2("How numbers and dates are written")
    out.append(kit.p(ROUNDING_TEXT))
    out += kit.h2("Report fingerprint")
    out.append(kit.p(FINGERPRINT_TEXT))
    out.append(kit.p(FINGERPRINT_RECIPE, s.small))
    out.append(kit.p(f"This report: {report.meta.fingerprint}", s.small))
    if report.meta.chain_head:
        out.append(kit.p(f"Change history head: {report.meta.chain_head}", s.small))
    out.append(kit.p(SIGNOFF_FINGERPRINT_TEXT))
    out += kit.h2("Glossary")
    out.append(EntryMark("Glossary"))
    out.append(
        kit.table(
            ["Term", "Meaning in this report"],
            [list(pair) for pair in GLOSSARY],
            [1.6, 6.4],
            auto=(0,),
        )
    )
    out.append(EntryMark(None))
    out += kit.h2("Limits of a self-assessment")
    out.append(kit.p(NOT_A_CERTIFICATION))
    for text in SELF_ASSESSMENT_LIMITS:
        out.append(kit.p(text, s.bullet, bullet="•"))
    out += kit.h2("Sources")
    for src in report.sources:
        link = src.doi or src.url
        out.append(
            kit.p(
                f"{src.identifier}: {src.title}. Published {src.published}."
                + (f" {link}" if link else ""),
                s.bullet,
                bullet="•",
            )
        )
    out.append(kit.p(f"Rating rubric: {RUBRIC_SOURCE}", s.bullet, bullet="•"))
    out.append(
        kit.p(
            "The framework statements, Playbook guidance and Generative AI Profile actions are "
            "U.S. Government works reproduced verbatim; statements shown in tables are shortened "
            "with an ellipsis and given in full in the appendix.",
            s.muted,
        )
    )
    return out


def missing_glyphs_note(kit: Kit) -> list[Flowable]:
    """Told at the very end when some characters could not be drawn with the embedded font."""
    if not kit.missing_glyphs:
        return []
    return [
        kit.gap(4),
        kit.p(
            f"{count_text(kit.missing_glyphs, 'character', 'characters')} in this report "
            f"{'is' if kit.missing_glyphs == 1 else 'are'} outside the embedded fonts "
            "(DejaVu Sans, Noto Sans Arabic, Hebrew and Devanagari, Droid Sans Fallback for "
            "Chinese, Japanese and Korean, Symbola for emoji) and "
            f"{'is shown as its' if kit.missing_glyphs == 1 else 'are shown as their'} "
            "Unicode code point, e.g. [U+E000].",
            kit.s.muted,
        ),
    ]
