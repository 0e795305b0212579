"""The maturity report as data: what the PDF shows, assembled from an assessment (no I/O).

``build_report`` turns an assessment, its framework, rating scheme, answers and score tree (and,
when there is one, the previous cycle's comparison and the trend of the AI system) into a
``MaturityReport``. The renderer only lays this model out; every number and every sentence that
is derived from the numbers is decided here, so it can be tested without a PDF.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.actions import RemediationAction
from app.domain.assessment import Answer, Assessment, EvidenceItem, HistoryEntry, Status
from app.domain.comparison import Change, NodeDelta
from app.domain.days import format_day, local_day
from app.domain.framework import Framework, Function, ProfileAction, ProfileRisk, SourceInfo
from app.domain.freshness import EXPIRING_WITHIN_DAYS
from app.domain.numbers import format_percent, format_score
from app.domain.rating import RatingScheme
from app.domain.report_ongoing import (
    AuditTrail,
    EvidenceAssurance,
    RemediationPlan,
    audit_trail,
    evidence_assurance,
    remediation_plan,
)
from app.domain.review import AnswerReview, RoleKind, SignOffBlock
from app.domain.scoring import NodeScore
from app.domain.system_profile import SystemProfile

PAPERS: tuple[str, ...] = ("a4", "letter")
DEFAULT_PAPER = "a4"
LABELS: tuple[str, ...] = ("Internal", "Confidential", "Public")
DEFAULT_LABEL = "Internal"
LABEL_MAX = 60
TOP_GAPS = 5
NOT_A_CERTIFICATION = (
    "This report presents a self-assessment. A self-assessment is not a certification: it is "
    "not an audit, an attestation or a statement of conformity by NIST or by any third party."
)
RUBRIC_CITATION_ARXIV = "arXiv:2401.15229"


class ReportInputError(ValueError):
    """An export option that cannot be used (the message names it)."""


# -- options --------------------------------------------------------------------------------
def normalize_paper(paper: str) -> str:
    value = (paper or "").strip().lower().replace(" ", "")
    aliases = {"a4": "a4", "letter": "letter", "usletter": "letter", "us-letter": "letter"}
    if value not in aliases:
        raise ReportInputError(f"paper {paper!r} is not supported: use a4 or letter")
    return aliases[value]


def normalize_label(label: str) -> str:
    value = " ".join((label or "").split())
    if not value:
        raise ReportInputError("the confidentiality label is empty: use e.g. Internal")
    if len(value) > LABEL_MAX:
        raise ReportInputError(
            f"the confidentiality label is {len(value)} characters long; "
            f"at most {LABEL_MAX} fit in the page header"
        )
    return value


_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def default_report_name(assessment_name: str, ai_system: str, day: dt.date) -> str:
    """``<assessment>-<system>-<YYYY-MM-DD>.pdf`` with characters unsafe in file names removed."""

    def clean(text: str) -> str:
        text = _UNSAFE_FILE_CHARS.sub(" ", text)
        text = " ".join(text.split()).strip(" .")
        return text[:80].strip(" .")

    parts = [p for p in (clean(assessment_name), clean(ai_system)) if p]
    return "-".join([*parts, day.isoformat()]) + ".pdf"


# -- the model ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SubcategoryEntry:
    """One subcategory with its official text, the user's answer and its score."""

    id: str
    function_id: str
    category_id: str
    text: str
    node: NodeScore
    answer: Answer
    metrics: tuple[tuple[str, str, str], ...]  # (metric name, option code, option name)
    suggested_actions: tuple[str, ...]

    @property
    def state(self) -> str:
        """ "rated", "na" or "unanswered"."""
        if self.answer.not_applicable:
            return "na"
        return "rated" if self.node.score is not None else "unanswered"

    @property
    def rating(self) -> str:
        """The rating in words: the metric options and the score, "N/A" or "Not answered"."""
        if self.state == "na":
            return "N/A"
        if self.state == "unanswered":
            return "Not answered"
        score = f"{self.node.level} {self.node.level_name}"
        if not self.metrics:
            return f"Level {score}"
        parts = ", ".join(f"{name} {option}" for name, _code, option in self.metrics)
        return f"{parts} → {score}"

    @property
    def rating_short(self) -> str:
        """Compact form for tables, e.g. "H/M/M → 3"."""
        if self.state == "na":
            return "N/A"
        if self.state == "unanswered":
            return "–"
        if not self.metrics:
            return f"{self.node.level}"
        codes = "/".join(code for _n, code, _o in self.metrics)
        return f"{codes} → {self.node.level}"

    @property
    def actions_in_place(self) -> list[tuple[int, str]]:
        n = len(self.suggested_actions)
        return [(i, self.suggested_actions[i]) for i in self.answer.actions_in_place if i < n]

    @property
    def open_actions(self) -> list[str]:
        done = set(self.answer.actions_in_place)
        return [a for i, a in enumerate(self.suggested_actions) if i not in done]


@dataclass(frozen=True)
class FunctionSection:
    function: Function
    node: NodeScore
    entries: tuple[SubcategoryEntry, ...]

    @property
    def categories(self) -> tuple[NodeScore, ...]:
        return self.node.children

    def entries_of(self, category_id: str) -> list[SubcategoryEntry]:
        return [e for e in self.entries if e.category_id == category_id]


@dataclass(frozen=True)
class ProfileUse:
    """An overlay enabled on the assessment (e.g. NIST AI 600-1) and the risks selected."""

    profile_id: str
    name: str
    identifier: str
    risks: tuple[ProfileRisk, ...]


@dataclass(frozen=True)
class GenAiAction:
    action: ProfileAction
    entry: SubcategoryEntry

    @property
    def status(self) -> str:
        if self.entry.state == "unanswered":
            return "unanswered"
        return f"gap {format_score(self.entry.node.gap)}"


@dataclass(frozen=True)
class GenAiRisk:
    risk: ProfileRisk
    actions: tuple[GenAiAction, ...]


@dataclass(frozen=True)
class GenAiSection:
    profile: ProfileUse
    source: SourceInfo
    risks: tuple[GenAiRisk, ...]


@dataclass(frozen=True)
class EvidenceRow:
    subcategory_id: str
    item: EvidenceItem
    status: str  # the answer's evidence status label, "" when not set


@dataclass(frozen=True)
class TrendRow:
    assessment_id: int
    name: str
    created: dt.date
    status: str
    overall: float | None
    functions: tuple[tuple[str, float | None], ...]
    current: bool


@dataclass(frozen=True)
class ProgressData:
    """What the service found about earlier cycles (input of ``build_report``)."""

    previous: Assessment
    deltas: Sequence[NodeDelta]
    trend: Sequence[tuple[Assessment, NodeScore]]


@dataclass(frozen=True)
class ProgressSection:
    previous: Assessment
    overall: NodeDelta | None
    functions: tuple[NodeDelta, ...]
    categories: tuple[NodeDelta, ...]
    improvements: tuple[NodeDelta, ...]
    regressions: tuple[NodeDelta, ...]
    newly_rated: tuple[NodeDelta, ...]
    no_longer_rated: tuple[NodeDelta, ...]
    trend: tuple[TrendRow, ...]
    function_ids: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    overall: NodeScore
    functions: tuple[NodeScore, ...]
    reading: str
    top_gaps: tuple[SubcategoryEntry, ...]
    below_target: int
    unanswered: int
    carried_over: int
    has_previous: bool
    # Plain sentences for the executive summary's key findings: overdue actions, unsupported
    # ratings, expired evidence (see ``key_findings``); and the sign-off status with its roles
    # (``signoff_sentence``), which page 1 states at its top.
    findings: tuple[str, ...] = ()
    signoff: str = ""


@dataclass(frozen=True)
class ReportMeta:
    assessment: Assessment
    framework_name: str
    framework_version: str
    scheme: RatingScheme
    profiles: tuple[ProfileUse, ...]
    fingerprint: str
    generated_at: dt.datetime
    label: str
    paper: str
    # The integrity check at the time of the report (LifecycleService.verify): the chain head
    # as text ("" when not checked), one sentence per problem found, and for a finalized
    # assessment whether the stored data still gives the signed-off fingerprint.
    chain_head: str = ""
    integrity_problems: tuple[str, ...] = ()
    signoff_matches: bool | None = None
    # The AI-system profile kept with the assessment (issue 14; empty when never filled in).
    system_profile: SystemProfile = field(default_factory=SystemProfile)
    # The assessment's native JSON export the report was made from (embedded in the PDF; the
    # report fingerprint is computed from it, see domain.report_fingerprint); b"" when absent.
    source: bytes = b""
    # The sign-off block (issue 14): the roles that signed (assessor, reviewer, approver) and
    # whether the four-eyes rule was relaxed, which the report must then say. None: not read.
    signoff: SignOffBlock | None = None

    @property
    def is_draft(self) -> bool:
        return self.assessment.status is Status.DRAFT

    @property
    def fingerprint_matches_signoff(self) -> bool | None:
        """None for a draft; for a finalized assessment, whether the answers still match."""
        if self.is_draft or not self.assessment.fingerprint:
            return None
        if self.signoff_matches is not None:
            return self.signoff_matches
        return self.assessment.fingerprint == self.fingerprint

    @property
    def title(self) -> str:
        return f"{self.assessment.name}: AI RMF maturity report"


@dataclass(frozen=True)
class MaturityReport:
    meta: ReportMeta
    summary: Summary
    functions: tuple[FunctionSection, ...]
    entries: tuple[SubcategoryEntry, ...]
    gaps: tuple[SubcategoryEntry, ...]
    genai: tuple[GenAiSection, ...]
    not_applicable: tuple[SubcategoryEntry, ...]
    evidence: tuple[EvidenceRow, ...]
    progress: ProgressSection | None
    sources: tuple[SourceInfo, ...]
    level_names: tuple[str, ...] = field(default=())
    # Issue 14's data (see domain.report_ongoing): the organisation's actions, the evidence
    # assurance and review states, and the audit-trail summary of the change history.
    plan: RemediationPlan | None = None
    assurance: EvidenceAssurance | None = None
    audit: AuditTrail | None = None

    def entry(self, subcategory_id: str) -> SubcategoryEntry:
        for e in self.entries:
            if e.id == subcategory_id:
                return e
        raise KeyError(subcategory_id)


# -- assembly -------------------------------------------------------------------------------
def _metrics(scheme: RatingScheme, answer: Answer) -> tuple[tuple[str, str, str], ...]:
    if scheme.kind != "metrics" or not answer.metrics or answer.not_applicable:
        return ()
    out = []
    for metric in scheme.metrics:
        code = answer.metrics.get(metric.id)
        option = metric.option(code) if code else None
        if option is None:
            return ()
        out.append((metric.name, option.code, option.name))
    return tuple(out)


def _entries(
    framework: Framework, scheme: RatingScheme, answers: Mapping[str, Answer], tree: NodeScore
) -> list[SubcategoryEntry]:
    nodes = {n.id: n for n in tree.subcategories()}
    out = []
    for function in framework.functions:
        for category in function.categories:
            for sub in category.subcategories:
                answer = answers.get(sub.id) or Answer(subcategory_id=sub.id)
                actions = sub.guidance.suggested_actions if sub.guidance else ()
                out.append(
                    SubcategoryEntry(
                        id=sub.id,
                        function_id=function.id,
                        category_id=category.id,
                        text=sub.text,
                        node=nodes[sub.id],
                        answer=answer,
                        metrics=_metrics(scheme, answer),
                        suggested_actions=tuple(actions),
                    )
                )
    return out


def _gaps(entries: list[SubcategoryEntry], function_order: list[str]) -> list[SubcategoryEntry]:
    """Every subcategory below target: largest gap first, then framework order."""
    position = {e.id: i for i, e in enumerate(entries)}
    below = [e for e in entries if e.node.below_target]
    return sorted(
        below,
        key=lambda e: (-(e.node.gap or 0.0), function_order.index(e.function_id), position[e.id]),
    )


def _profiles(assessment: Assessment, framework: Framework) -> list[ProfileUse]:
    out = []
    for sel in assessment.profiles:
        try:
            profile = framework.profile(sel.profile_id)
        except KeyError:
            out.append(ProfileUse(sel.profile_id, sel.profile_id, "", ()))
            continue
        risks = tuple(profile.risk(r) for r in sel.risks if r in {x.id for x in profile.risks})
        out.append(ProfileUse(profile.id, profile.name, profile.source.identifier, risks))
    return out


def _genai(
    uses: list[ProfileUse], framework: Framework, entries: list[SubcategoryEntry]
) -> list[GenAiSection]:
    by_id = {e.id: e for e in entries}
    sections = []
    for use in uses:
        try:
            profile = framework.profile(use.profile_id)
        except KeyError:
            continue
        risks = []
        for risk in use.risks:
            actions = []
            for action in profile.actions:
                if risk.id not in action.risks:
                    continue
                entry = by_id.get(action.subcategory)
                if entry is None or entry.state == "na":
                    continue
                if entry.state == "unanswered" or entry.node.below_target:
                    actions.append(GenAiAction(action, entry))
            risks.append(GenAiRisk(risk, tuple(actions)))
        sections.append(GenAiSection(use, profile.source, tuple(risks)))
    return sections


def _evidence(entries: list[SubcategoryEntry]) -> list[EvidenceRow]:
    rows = []
    for e in entries:
        status = e.answer.evidence_status.label if e.answer.evidence_status else ""
        rows.extend(EvidenceRow(e.id, item, status) for item in e.answer.evidence)
    return rows


# A function is named the strongest or the weakest only when at least this share of its
# subcategories is complete: a headline must not rest on 1 of 22 subcategories (issue 15).
RANKING_COMPLETION = 0.5


def _scored(node: NodeScore) -> str:
    """ "MAP (2.5, Developing, 56% complete)": a score is never named without its completion."""
    return (
        f"{node.id} ({format_score(node.score)}, {node.level_name}, "
        f"{format_percent(node.completion)} complete)"
    )


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def function_name(function_id: str, title: str) -> str:
    """ "GOVERN", or "GOVERN (Governance)" when the title says more than the id: never the
    redundant "GOVERN (Govern)"."""
    if not title or title.casefold() == function_id.casefold():
        return function_id
    return f"{function_id} ({title})"


def count_text(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 subcategory", "3 subcategories": a count with its noun in the right number."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


_count = count_text


def summary_reading(
    tree: NodeScore, entries: Sequence[SubcategoryEntry], carried_over: int = 0
) -> str:
    """A one-paragraph reading of the numbers, for the executive summary."""
    total, unanswered = tree.total, tree.unanswered
    sentences: list[str] = []
    if tree.score is None:
        if tree.not_applicable == total and total:
            sentences.append(
                f"All {total} subcategories are marked not applicable, so there is no score."
            )
        else:
            sentences.append(
                f"No subcategory has been rated yet, so there is no maturity score: "
                f"{tree.answered} of {total} subcategories "
                f"{'is' if tree.answered == 1 else 'are'} answered "
                f"({_count(tree.not_applicable, 'marked', 'marked')} not applicable)."
            )
    else:
        if tree.provisional:
            sentences.append(
                f"Overall maturity is provisionally {format_score(tree.score)} "
                f"({tree.level_name}), {format_percent(tree.completion)} complete: of the "
                f"{total} subcategories, {tree.provisional_reason}, so it may still change."
            )
        else:
            sentences.append(
                f"Overall maturity is {format_score(tree.score)} ({tree.level_name}), with all "
                f"{total} subcategories answered."
            )
        scored = [f for f in tree.children if f.score is not None]
        ranked = [f for f in scored if f.completion >= RANKING_COMPLETION]
        thin = [f for f in scored if f.completion < RANKING_COMPLETION]
        if len(ranked) >= 2:
            best = max(ranked, key=lambda f: f.score or 0.0)
            worst = min(ranked, key=lambda f: f.score or 0.0)
            so_far = " so far" if best.provisional or worst.provisional else ""
            if abs((best.score or 0.0) - (worst.score or 0.0)) < 1e-9:
                sentences.append(
                    f"The functions complete enough to compare stand at the same level"
                    f"{so_far}, {format_score(best.score)}."
                )
            else:
                sentences.append(
                    f"Of the functions complete enough to compare, the strongest{so_far} is "
                    f"{_scored(best)} and the weakest is {_scored(worst)}."
                )
        elif len(scored) >= 2:
            sentences.append(
                "No function is complete enough yet to be called the strongest or the weakest "
                f"(that needs {format_percent(RANKING_COMPLETION)} of its subcategories "
                f"complete); the scores so far: {_join([_scored(f) for f in scored])}."
            )
        elif scored:
            sentences.append(f"Only {_scored(scored[0])} has a score so far.")
        if thin and len(ranked) >= 2:
            # "The score of MEASURE (...) rests", "The scores of MEASURE (...) and MANAGE
            # (...) rest": subject and verb agree.
            noun, verb = ("score", "rests") if len(thin) == 1 else ("scores", "rest")
            sentences.append(
                f"The {noun} of {_join([_scored(f) for f in thin])} {verb} on too few "
                "subcategories to be compared."
            )
        all_na = [f.id for f in tree.children if f.score is None and f.not_applicable == f.total]
        unscored = [f.id for f in tree.children if f.score is None and f.id not in all_na]
        if all_na:
            verb = "is" if len(all_na) == 1 else "are"
            sentences.append(f"{_join(all_na)} {verb} entirely marked not applicable.")
        if unscored:
            verb = "has" if len(unscored) == 1 else "have"
            sentences.append(f"{_join(unscored)} {verb} no score yet.")
        below = [e for e in entries if e.node.below_target]
        if below:
            largest = max(below, key=lambda e: e.node.gap or 0.0)
            sentences.append(
                f"{_count(len(below), 'rated subcategory is', 'rated subcategories are')} "
                f"below target; the largest gap is {format_score(largest.node.gap)} "
                f"({largest.id})."
            )
        else:
            sentences.append("No rated subcategory is below its target.")
    if unanswered and tree.answered:
        per = [f"{f.id} {f.unanswered}" for f in tree.children if f.unanswered]
        sentences.append(
            f"Still unanswered: {_count(unanswered, 'subcategory', 'subcategories')} "
            f"({', '.join(per)})."
        )
    if carried_over:
        sentences.append(
            f"{_count(carried_over, 'answer was', 'answers were')} carried over from the "
            "previous cycle and not yet reviewed."
        )
    return " ".join(sentences)


def signoff_sentence(status: Status, block: SignOffBlock | None) -> str:
    """The sign-off status with its roles in one sentence, e.g. "Signed off on 2026-11-30 by
    Dana Lee (approver, Chief Risk Officer); reviewed by ...; assessed by ...". Says plainly
    when the four-eyes rule was relaxed, and which role did not sign."""
    if status is not Status.FINALIZED:
        return "Not signed off: the assessment is a draft and its answers may still change."
    block = block or SignOffBlock()
    approver = block.role(RoleKind.APPROVER)
    if approver is None:
        return "Signed off (the sign-off roles are not on record)."

    def who(name: str, title: str, kind: str) -> str:
        return f"{name} ({kind}{', ' + title if title else ''})"

    parts = [
        f"Signed off on {format_day(approver.at)} by "
        f"{who(approver.name, approver.title, 'approver')}"
    ]
    missing = []
    for kind, verb in ((RoleKind.REVIEWER, "reviewed by"), (RoleKind.ASSESSOR, "assessed by")):
        role = block.role(kind)
        if role is None:
            missing.append(kind.value)
        else:
            parts.append(f"{verb} {who(role.name, role.title, kind.value)}")
    text = "; ".join(parts) + "."
    if missing:
        text += f" No {' or '.join(missing)} signed."
    if block.four_eyes_relaxed:
        text += " Four-eyes rule relaxed: the approver may have last changed answers they approved."
    return text


def key_findings(
    below_target: int,
    plan: RemediationPlan | None,
    assurance: EvidenceAssurance | None,
) -> tuple[str, ...]:
    """The executive summary's key findings about the ongoing work, in plain words: overdue
    actions, unsupported ratings, expired evidence (the sign-off status with its roles is
    ``signoff_sentence``). ``below_target``: how many rated subcategories are below target."""
    out: list[str] = []
    if plan is not None:
        if not plan.total:
            out.append(
                "No remediation action is recorded"
                + (
                    f", though {_count(below_target, 'subcategory is', 'subcategories are')} "
                    "below target."
                    if below_target
                    else "."
                )
            )
        elif plan.overdue:
            worst = max(i.days_overdue for i in plan.items)
            owners = sum(1 for o in plan.owners if o.overdue)
            out.append(
                f"{_count(plan.overdue, 'remediation action is', 'remediation actions are')} "
                f"overdue, of {plan.open} open (the oldest by {_count(worst, 'day')}; "
                f"{_count(owners, 'owner')} concerned)."
            )
        else:
            out.append(f"No remediation action is overdue ({plan.open} open of {plan.total}).")
    if assurance is not None:
        n = len(assurance.unsupported)
        if n:
            out.append(
                f"{_count(n, 'rating', 'ratings')} of Advanced or Leading "
                f"{'is' if n == 1 else 'are'} flagged unsupported (no current evidence, or "
                f"evidence to the contrary): {_join(list(assurance.unsupported))}."
            )
        else:
            out.append("No rating is flagged unsupported.")
        expired, expiring = len(assurance.expired), len(assurance.expiring)
        if expired or expiring:
            subs = list(dict.fromkeys(d.subcategory_id for d in assurance.expired))
            text = f"{_count(expired, 'evidence item has', 'evidence items have')} expired" + (
                f" ({_join(subs)})" if subs else ""
            )
            if expiring:
                more = _count(expiring, "more expires", "more expire")
                text += f"; {more} within {EXPIRING_WITHIN_DAYS} days"
            out.append(text + ".")
        else:
            out.append(
                f"No evidence item has expired or expires within {EXPIRING_WITHIN_DAYS} days."
            )
    return tuple(out)


def _progress(data: ProgressData, current: Assessment) -> ProgressSection:
    deltas = list(data.deltas)
    subs = [d for d in deltas if d.kind == "subcategory"]
    trend = []
    for assessment, overall in data.trend:
        trend.append(
            TrendRow(
                assessment_id=assessment.id,
                name=assessment.name,
                created=local_day(assessment.created_at),
                status=assessment.status.value,
                overall=overall.score,
                functions=tuple((f.id, f.score) for f in overall.children),
                current=assessment.id == current.id,
            )
        )
    function_ids = tuple(f_id for f_id, _ in trend[0].functions) if trend else ()
    overall = next((d for d in deltas if d.kind == "overall"), None)
    return ProgressSection(
        previous=data.previous,
        overall=overall,
        functions=tuple(d for d in deltas if d.kind == "function"),
        categories=tuple(d for d in deltas if d.kind == "category"),
        improvements=tuple(d for d in subs if d.change is Change.IMPROVED),
        regressions=tuple(d for d in subs if d.change is Change.REGRESSED),
        newly_rated=tuple(d for d in subs if d.change is Change.NEWLY_RATED),
        no_longer_rated=tuple(d for d in subs if d.change is Change.NO_LONGER_RATED),
        trend=tuple(trend),
        function_ids=function_ids,
    )


def build_report(
    *,
    assessment: Assessment,
    framework: Framework,
    scheme: RatingScheme,
    answers: Mapping[str, Answer],
    tree: NodeScore,
    fingerprint: str,
    generated_at: dt.datetime,
    label: str = DEFAULT_LABEL,
    paper: str = DEFAULT_PAPER,
    progress: ProgressData | None = None,
    chain_head: str = "",
    integrity_problems: tuple[str, ...] = (),
    signoff_matches: bool | None = None,
    system_profile: SystemProfile | None = None,
    source: bytes = b"",
    signoff: SignOffBlock | None = None,
    actions: Sequence[RemediationAction] | None = None,
    reviews: Sequence[AnswerReview] = (),
    history: Sequence[HistoryEntry] | None = None,
) -> MaturityReport:
    """Assemble the report model. Raises ReportInputError for an unusable paper or label.

    ``chain_head``, ``integrity_problems`` and ``signoff_matches`` are the integrity check's
    outcome (see ReportMeta), printed on the cover. ``source`` is the native JSON export that
    ``fingerprint`` was computed from, embedded in the PDF. ``signoff``, ``actions``,
    ``reviews`` and ``history`` are that export's records (issue 14's data): the sign-off
    block, the remediation plan (None: no plan section), the review states and the change
    history (None: no audit-trail summary). Dates are judged on the local day of
    ``generated_at``."""
    paper, label = normalize_paper(paper), normalize_label(label)
    entries = _entries(framework, scheme, answers, tree)
    function_order = [f.id for f in framework.functions]
    gaps = _gaps(entries, function_order)
    uses = _profiles(assessment, framework)
    # Answered but carried over and not yet reviewed: the count every surface shows.
    carried = tree.unreviewed
    sections = tuple(
        FunctionSection(
            function=f,
            node=node,
            entries=tuple(e for e in entries if e.function_id == f.id),
        )
        for f, node in zip(framework.functions, tree.children, strict=True)
    )
    sources = [framework.source]
    if framework.guidance_source is not None:
        sources.append(framework.guidance_source)
    sources.extend(p.source for p in framework.profiles)
    meta = ReportMeta(
        assessment=assessment,
        framework_name=framework.name,
        framework_version=framework.version,
        scheme=scheme,
        profiles=tuple(uses),
        fingerprint=fingerprint,
        generated_at=generated_at,
        label=label,
        paper=paper,
        chain_head=chain_head,
        integrity_problems=tuple(integrity_problems),
        signoff_matches=signoff_matches,
        system_profile=system_profile or SystemProfile(),
        source=source,
        signoff=signoff,
    )
    today = local_day(generated_at)
    order = [e.id for e in entries]
    function_of = {e.id: e.function_id for e in entries}
    plan = None if actions is None else remediation_plan(actions, order, function_of, today)
    assurance = evidence_assurance(
        scheme,
        answers,
        {e.id: e.node.score is not None for e in entries},
        function_of,
        reviews,
        today,
    )
    audit = None
    if history is not None:
        audit = audit_trail(history, assessment.status is Status.FINALIZED)
    summary = Summary(
        overall=tree,
        functions=tree.children,
        reading=summary_reading(tree, entries, carried),
        top_gaps=tuple(gaps[:TOP_GAPS]),
        below_target=len(gaps),
        unanswered=tree.unanswered,
        carried_over=carried,
        has_previous=progress is not None,
        findings=key_findings(len(gaps), plan, assurance),
        signoff=signoff_sentence(assessment.status, signoff),
    )
    return MaturityReport(
        meta=meta,
        summary=summary,
        functions=sections,
        entries=tuple(entries),
        gaps=tuple(gaps),
        genai=tuple(_genai(uses, framework, entries)),
        not_applicable=tuple(e for e in entries if e.state == "na"),
        evidence=tuple(_evidence(entries)),
        progress=None if progress is None else _progress(progress, assessment),
        sources=tuple(sources),
        level_names=tuple(lv.name for lv in scheme.levels),
        plan=plan,
        assurance=assurance,
        audit=audit,
    )
