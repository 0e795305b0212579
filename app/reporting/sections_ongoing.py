"""The report's pages on the ongoing work (issue 14's data): the sign-off block and audit-trail
summary, the organisation's remediation plan, and evidence assurance. Every figure comes from
the report model (``domain.report_ongoing``); nothing is computed here but layout."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, PageBreak, TableStyle

from app.domain.actions import ActionStatus
from app.domain.days import format_day
from app.domain.freshness import EXPIRING_WITHIN_DAYS
from app.domain.report import MaturityReport, count_text, signoff_sentence
from app.domain.review import RoleKind
from app.reporting.document import EntryMark, FontTable
from app.reporting.kit import Kit
from app.reporting.sections_front import WARN_HEX, when
from app.reporting.text import clip

TITLE_IN_PLAN = 160
STATEMENT_IN_BLOCK = 600
REASON_IN_TRAIL = 600
ITEMS_LISTED = 60  # expired/expiring items and carried-over answers listed by id beyond this


def _soft_break(kit: Kit) -> CondPageBreak:
    return CondPageBreak(kit.height * 0.5)


def _side_by_side(kit: Kit, left: Flowable, right: Flowable) -> Flowable:
    """Two tables next to each other, each half the frame wide."""
    pair = FontTable(
        [[left, right]], colWidths=[kit.width / 2] * 2, hAlign="LEFT", font=kit.s.fonts.regular
    )
    pair.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return pair


def _warn(kit: Kit, text: str) -> Flowable:
    return kit.m(f'<font color="{WARN_HEX}"><b>{kit.t(text)}</b></font>', kit.s.body)


# -- sign-off block and audit trail ---------------------------------------------------------
def signoff_and_audit(kit: Kit, report: MaturityReport) -> list[Flowable]:
    """Every sign-off role (name, role, time, statement), the four-eyes setting said plainly,
    and the audit trail: changes since the previous sign-off by person, the reasons of every
    reopening and the result of the change history's chain check."""
    s, meta = kit.s, report.meta
    out: list[Flowable] = [*kit.h1("Sign-off and audit trail")]
    out.append(kit.p(signoff_sentence(meta.assessment.status, meta.signoff), s.body))
    block = meta.signoff
    if not meta.is_draft and block is not None and block.roles:
        rows = []
        for kind in RoleKind:
            role = block.role(kind)
            if role is None:
                rows.append([kind.label, "Not signed", "–", "–", "–"])
                continue
            statement = kit.clipped(
                role.statement or "No statement", STATEMENT_IN_BLOCK, s.cell, more="in the export"
            )
            rows.append([kind.label, role.name, role.title or "–", when(role.at), statement])
        out.append(
            kit.table(
                ["Role", "Name", "Their role or title", "Signed", "Statement"],
                rows,
                [0.9, 1.4, 1.5, 1.6, 3.0],
                auto=(0,),
            )
        )
    if block is not None and block.four_eyes_relaxed:
        out.append(
            _warn(
                kit,
                "Four-eyes rule relaxed: for this assessment the approver was allowed to be "
                "the person who made the last change to an answer.",
            )
        )
    elif not meta.is_draft:
        out.append(
            kit.p(
                "Four-eyes rule applied: the approver did not make the last change to any answer.",
                s.small,
            )
        )
    out += kit.h2("Audit trail")
    audit = report.audit
    if audit is not None:
        since = f" ({format_day(audit.since)})" if audit.since else ""
        if audit.by_person:
            out.append(
                kit.p(
                    f"{count_text(audit.changes, 'recorded change')} {audit.since_text}{since}, "
                    "by person (answers, actions, reviews, comments and assessment details; "
                    "sign-off records are in the block above):",
                    s.small,
                )
            )
            out.append(
                kit.table(
                    ["Person (as recorded)", "Changes", "Subcategories touched"],
                    [[p.actor, str(p.changes), str(p.subcategories)] for p in audit.by_person],
                    [3.0, 1.0, 1.6],
                    right=(1, 2),
                    auto=(1, 2),
                )
            )
        else:
            out.append(kit.p(f"No change is recorded {audit.since_text}{since}.", s.small))
        if audit.reopenings:
            out.append(kit.m("Reopenings and their reasons", s.label))
            for r in audit.reopenings:
                reason = clip(r.reason, REASON_IN_TRAIL)[0]
                out.append(
                    kit.m(
                        f"{kit.t(when(r.at))} by {kit.t(r.actor)}: {kit.t(reason)}",
                        s.bullet,
                        bullet="•",
                    )
                )
        else:
            out.append(kit.p("The assessment was never reopened after a sign-off.", s.small))
    out.append(kit.m("Change history check", s.label))
    if meta.integrity_problems:
        out.append(
            _warn(kit, "The chain check failed: the stored data was changed outside the app.")
        )
        out += [kit.p(p, s.bullet, bullet="•") for p in meta.integrity_problems]
    elif meta.chain_head:
        out.append(
            kit.p(f"The hash chain of the change history is intact ({meta.chain_head}).", s.small)
        )
    else:
        out.append(kit.p("The change history was not checked for this report.", s.small))
    out.append(_soft_break(kit))
    return out


# -- remediation plan -----------------------------------------------------------------------
def remediation_plan(kit: Kit, report: MaturityReport) -> list[Flowable]:
    """The organisation's own actions: owner, due day, status, priority and days overdue,
    rolled up per owner. The Playbook's suggestions stay in their appendix."""
    plan = report.plan
    if plan is None:
        return []
    s = kit.s
    out: list[Flowable] = [*kit.h1("Remediation plan")]
    if not plan.total:
        out += [
            kit.box(
                [
                    kit.p(
                        "No remediation action is recorded for this assessment. Add the "
                        "organisation's actions (owner, due date, priority) in the app's "
                        "Actions tab or with 'airmf action add ID SUBCATEGORY'; a Playbook "
                        "suggestion from the appendix can be turned into an action there.",
                        s.small,
                    )
                ]
            ),
            _soft_break(kit),
        ]
        return out
    accepted = plan.count(ActionStatus.RISK_ACCEPTED)
    out.append(
        kit.p(
            f"The organisation's {count_text(plan.total, 'action')}: {plan.open} open "
            f"({plan.overdue} overdue), {plan.count(ActionStatus.DONE)} done, {accepted} with "
            f"the risk accepted. Overdue: an open action whose due day is before "
            f"{format_day(plan.today)}, the report's day; counted in calendar days. The "
            "Playbook's suggestions are not part of this plan (see the appendix).",
            s.small,
        )
    )
    out += kit.h2("By owner")
    out.append(
        kit.table(
            ["Owner", "Actions", "Open", "Overdue", "Done", "Next due"],
            [o.cells() for o in plan.owners],
            [3.0, 0.8, 0.8, 0.8, 0.8, 1.1],
            right=(1, 2, 3, 4),
            auto=(1, 2, 3, 4, 5),
        )
    )
    out += kit.h2("Actions")
    out.append(EntryMark("Remediation plan: actions"))
    rows: list[list[object]] = []
    late_rows = []
    for n, item in enumerate(plan.items):
        a = item.action
        title: object = clip(a.title, TITLE_IN_PLAN)[0]
        if a.status is ActionStatus.RISK_ACCEPTED and a.rationale.strip():
            title = kit.m(
                f"{kit.t(clip(a.title, TITLE_IN_PLAN)[0])}<br/>"
                f'<font color="#5a5a5a">Risk accepted: '
                f"{kit.t(clip(a.rationale, TITLE_IN_PLAN)[0])}</font>",
                s.cell,
            )
        if item.overdue:
            late_rows.append(n)
        rows.append(item.cells(title))
    extra = [("TEXTCOLOR", (6, r + 1), (6, r + 1), WARN_HEX) for r in late_rows]
    out.append(
        kit.table(
            ["Subcategory", "Action", "Owner", "Due", "Status", "Priority", "Days overdue"],
            rows,
            [1.1, 3.2, 1.4, 1.0, 1.0, 0.8, 0.9],
            right=(6,),
            auto=(0, 3, 5, 6),
            extra=extra,
        )
    )
    out += [EntryMark(None), PageBreak()]
    return out


# -- evidence assurance ---------------------------------------------------------------------
def _listed(ids: tuple[str, ...]) -> str:
    shown = ", ".join(ids[:ITEMS_LISTED])
    more = len(ids) - ITEMS_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def evidence_assurance(kit: Kit, report: MaturityReport) -> list[Flowable]:
    """How well the ratings are backed: coverage per function, evidence status and age,
    expired and expiring items, unsupported ratings, review states and carried-over answers."""
    a = report.assurance
    if a is None:
        return []
    s = kit.s
    out: list[Flowable] = [*kit.h1("Evidence assurance")]
    out.append(
        kit.p(
            f"Judged on {format_day(a.today)}, the report's day. An item has expired when its "
            f"valid-until day has passed and is expiring when that day is within "
            f"{EXPIRING_WITHIN_DAYS} days; an item without a valid-until day does not lapse. A "
            "rating of Advanced or Leading (4 or 5) is flagged unsupported when none of its "
            "evidence is still valid or its evidence status is 'evidence to the contrary'.",
            s.small,
        )
    )
    out += kit.h2("Coverage by function")
    out.append(
        kit.table(
            ["Function", "Rated", "Citing evidence", "With current evidence", "Evidence items"],
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
            [1.6, 0.8, 1.3, 1.6, 1.2],
            right=(1, 2, 3, 4),
            auto=(0, 1, 2, 3, 4),
        )
    )
    half = kit.width * 0.48
    out += kit.h2("Evidence status and age")
    status = kit.table(
        ["Evidence status (rated answers)", "Answers"],
        [[label, str(n)] for label, n in a.status] or [["No rated answer", "–"]],
        [2.4, 0.8],
        right=(1,),
        auto=(1,),
        width=half,
    )
    ages = kit.table(
        ["Age of the evidence (from its as-of day)", "Items"],
        [[label, str(n)] for label, n in a.ages],
        [2.4, 0.8],
        right=(1,),
        auto=(1,),
        width=half,
    )
    out.append(_side_by_side(kit, status, ages))
    out += kit.h2(
        f"Expired and expiring evidence ({len(a.expired)} expired, {len(a.expiring)} expiring)"
    )
    dated = [*a.expired, *a.expiring]
    if dated:
        rows = []
        for d in dated[:ITEMS_LISTED]:
            left = (
                f"expired {count_text(-d.days_left, 'day')} ago"
                if d.days_left < 0
                else (
                    "expires today" if d.days_left == 0 else f"in {count_text(d.days_left, 'day')}"
                )
            )
            rows.append(
                [
                    d.subcategory_id,
                    d.item.title,
                    format_day(d.item.as_of) if d.item.as_of else "–",
                    format_day(d.item.valid_until),
                    left,
                ]
            )
        out.append(
            kit.table(
                ["Subcategory", "Evidence", "As of", "Valid until", "State"],
                rows,
                [1.1, 3.4, 1.0, 1.0, 1.5],
                auto=(0, 2, 3),
            )
        )
        if len(dated) > ITEMS_LISTED:
            out.append(
                kit.p(
                    f"… and {len(dated) - ITEMS_LISTED} more ('airmf verify ID' lists all).",
                    s.muted,
                )
            )
    else:
        out.append(
            kit.p(
                f"No evidence item has expired or expires within {EXPIRING_WITHIN_DAYS} days.",
                s.small,
            )
        )
    out += kit.h2(f"Ratings flagged unsupported ({len(a.unsupported)})")
    if a.unsupported:
        out.append(kit.p(_listed(a.unsupported), s.body))
    else:
        out.append(kit.p("No rating is flagged unsupported.", s.small))
    out += kit.h2("Review of the answers")
    total = sum(n for _state, n in a.review)
    out.append(
        kit.p(
            "Review states of the framework's "
            f"{count_text(total, 'subcategory', 'subcategories')} (an answer never marked "
            "ready for review is a draft):",
            s.small,
        )
    )
    out.append(
        kit.table(
            [state.label for state, _n in a.review],
            [[str(n) for _state, n in a.review]],
            [1.0] * len(a.review),
            right=tuple(range(len(a.review))),
            width=kit.width * 0.6,
        )
    )
    carried = a.carried_over
    out.append(kit.gap(2))
    if carried:
        out.append(
            kit.p(
                f"{count_text(len(carried), 'answer was', 'answers were')} carried over from "
                "the previous cycle and not yet reviewed (they count in the scores but not in "
                f"completion): {_listed(carried)}.",
                s.body,
            )
        )
    else:
        out.append(kit.p("No answer is carried over and not yet reviewed.", s.small))
    out.append(_soft_break(kit))
    return out
