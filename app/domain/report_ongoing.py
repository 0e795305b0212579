"""The report's view of the ongoing work (issue 14's data, printed as issue 15 asks): the
organisation's remediation plan, evidence assurance, review states, the sign-off block and an
audit-trail summary. Pure functions over the records of one export (no I/O): the report service
reads the assessment once and passes its records here.

Rules reused, not restated: an action is overdue by ``RemediationAction.is_overdue`` (open and
due before the user's local day, ``domain.days``); evidence expires by ``domain.freshness``; a
rating is unsupported by ``freshness.is_unsupported_on``; review states count over the
framework's subcategories as ``ReviewService.counts`` does (no stored state: draft).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from app.domain.actions import ActionStatus, RemediationAction
from app.domain.assessment import Answer, EvidenceItem, HistoryEntry, Status
from app.domain.days import format_day
from app.domain.freshness import Freshness, freshness_on, is_unsupported_on
from app.domain.history import ASSESSMENT_EVENT
from app.domain.rating import RatingScheme
from app.domain.review import (
    FOUR_EYES_FIELD,
    SIGNOFF_FIELD_PREFIX,
    AnswerReview,
    ReviewState,
    SignOffBlock,
    SignOffRole,
    legacy_signoff,
    review_counts,
)

NO_OWNER = "No owner"
# Evidence age bands, in days since the item's as-of day (upper bounds, inclusive).
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("Up to 90 days", 90),
    ("91 days to 1 year", 365),
    ("Over 1 year", None),
)
NO_AS_OF = "No as-of date"
NO_STATUS = "Not set"
REOPENED_PREFIX = "reopened: "
FINALIZED_PREFIX = "finalized"


# -- remediation plan -------------------------------------------------------------------------
_Title = TypeVar("_Title")


@dataclass(frozen=True)
class PlanItem:
    """One of the organisation's actions as the plan prints it. ``days_overdue``: whole local
    calendar days past its due day (0 when not overdue)."""

    action: RemediationAction
    function_id: str
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def cells(self, title: _Title) -> list[_Title | str]:
        """The plan's row as every report prints it: subcategory, ``title`` (the caller's
        rendering of the action's title: text, or the PDF's paragraph with the rationale),
        owner, due day, status, priority, days overdue."""
        a = self.action
        return [
            a.subcategory_id,
            title,
            a.owner or "–",
            format_day(a.due_date) if a.due_date else "–",
            a.status.label,
            a.priority.label,
            str(self.days_overdue) if self.overdue else "–",
        ]


@dataclass(frozen=True)
class OwnerRollup:
    """One owner's actions: how many in all, open, overdue and done, and the next open due
    day (None when no open action has one)."""

    owner: str
    total: int
    open: int
    overdue: int
    done: int
    next_due: dt.date | None

    def cells(self) -> list[str]:
        """The owner's row as every report prints it: owner, actions, open, overdue, done,
        next due day."""
        return [
            self.owner,
            str(self.total),
            str(self.open),
            str(self.overdue),
            str(self.done),
            format_day(self.next_due) if self.next_due else "–",
        ]


@dataclass(frozen=True)
class RemediationPlan:
    """The organisation's actions on the day ``today`` (the user's local day of the report).

    ``items``: open actions first (overdue first, then priority, due day, framework order),
    then done and risk-accepted ones; ``owners``: the roll-up, most overdue first."""

    today: dt.date
    items: tuple[PlanItem, ...]
    owners: tuple[OwnerRollup, ...]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def open(self) -> int:
        return sum(1 for i in self.items if i.action.is_open)

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    def count(self, status: ActionStatus) -> int:
        return sum(1 for i in self.items if i.action.status is status)


def remediation_plan(
    actions: Iterable[RemediationAction],
    order: Sequence[str],
    function_of: Mapping[str, str],
    today: dt.date,
) -> RemediationPlan:
    """The plan of ``actions`` on local day ``today``. ``order``: the framework's subcategory
    ids in order; ``function_of``: subcategory id -> function id."""
    position = {sub: i for i, sub in enumerate(order)}
    items = []
    for a in actions:
        late = (today - a.due_date).days if a.is_open and a.due_date is not None else 0
        items.append(PlanItem(a, function_of.get(a.subcategory_id, ""), max(0, late)))

    def key(item: PlanItem) -> tuple[object, ...]:
        a = item.action
        return (
            not a.is_open,
            not item.overdue,
            a.priority.rank,
            a.due_date or dt.date.max,
            position.get(a.subcategory_id, len(position)),
            a.title.casefold(),
            a.uid,
        )

    items.sort(key=key)
    owners: dict[str, list[PlanItem]] = {}
    for item in items:
        owners.setdefault(item.action.owner.strip() or NO_OWNER, []).append(item)
    rollups = []
    for owner, mine in owners.items():
        due = [i.action.due_date for i in mine if i.action.is_open and i.action.due_date]
        rollups.append(
            OwnerRollup(
                owner=owner,
                total=len(mine),
                open=sum(1 for i in mine if i.action.is_open),
                overdue=sum(1 for i in mine if i.overdue),
                done=sum(1 for i in mine if i.action.status is ActionStatus.DONE),
                next_due=min(due) if due else None,
            )
        )
    rollups.sort(key=lambda r: (-r.overdue, -r.open, r.owner == NO_OWNER, r.owner.casefold()))
    return RemediationPlan(today, tuple(items), tuple(rollups))


# -- evidence assurance -----------------------------------------------------------------------
@dataclass(frozen=True)
class FunctionCoverage:
    """Of one function's rated subcategories, how many cite evidence at all and how many cite
    at least one item that has not expired; ``items``: the evidence items of all its answers."""

    function_id: str
    rated: int
    with_evidence: int
    with_current: int
    items: int


@dataclass(frozen=True)
class DatedItem:
    """An evidence item with a valid-until day, and the days from today to it (negative:
    expired that many days ago)."""

    subcategory_id: str
    item: EvidenceItem
    days_left: int


@dataclass(frozen=True)
class EvidenceAssurance:
    """How well the ratings are backed, on local day ``today``: ``coverage`` per function,
    the evidence ``status`` of the rated answers (label, count), the ``ages`` of the items
    (band, count), the ``expired`` and ``expiring`` items, the ``unsupported`` ratings
    (subcategory ids), the ``review`` state counts and the answers ``carried_over`` and not
    yet reviewed (subcategory ids), each list in framework order."""

    today: dt.date
    coverage: tuple[FunctionCoverage, ...]
    status: tuple[tuple[str, int], ...]
    ages: tuple[tuple[str, int], ...]
    expired: tuple[DatedItem, ...]
    expiring: tuple[DatedItem, ...]
    unsupported: tuple[str, ...]
    review: tuple[tuple[ReviewState, int], ...]
    carried_over: tuple[str, ...]

    @property
    def items(self) -> int:
        return sum(c.items for c in self.coverage)


def _age_band(item: EvidenceItem, today: dt.date) -> str:
    if item.as_of is None:
        return NO_AS_OF
    age = (today - item.as_of).days
    for label, upto in AGE_BANDS:
        if upto is None or age <= upto:
            return label
    return AGE_BANDS[-1][0]


def evidence_assurance(
    scheme: RatingScheme,
    answers: Mapping[str, Answer],
    scored: Mapping[str, bool],
    function_of: Mapping[str, str],
    reviews: Iterable[AnswerReview],
    today: dt.date,
) -> EvidenceAssurance:
    """The evidence assurance of an assessment on local day ``today``.

    ``scored``: every framework subcategory id, in framework order, -> whether it is rated
    (has a score); ``function_of``: subcategory id -> function id; ``reviews``: the stored
    review states (absent: draft)."""
    coverage: dict[str, list[int]] = {}
    status: dict[str, int] = {}
    ages = dict.fromkeys([*(label for label, _ in AGE_BANDS), NO_AS_OF], 0)
    expired: list[DatedItem] = []
    expiring: list[DatedItem] = []
    unsupported: list[str] = []
    carried: list[str] = []
    for sub, rated in scored.items():
        row = coverage.setdefault(function_of.get(sub, ""), [0, 0, 0, 0])
        answer = answers.get(sub)
        if answer is None:
            continue
        if answer.unreviewed:  # the rule the scores' completion uses
            carried.append(sub)
        for item in answer.evidence:
            row[3] += 1
            ages[_age_band(item, today)] += 1
            state = freshness_on(item, today)
            if item.valid_until is not None and state is not Freshness.CURRENT:
                dated = DatedItem(sub, item, (item.valid_until - today).days)
                (expired if state is Freshness.EXPIRED else expiring).append(dated)
        if not rated:
            continue
        row[0] += 1
        if answer.evidence:
            row[1] += 1
        if any(freshness_on(e, today) is not Freshness.EXPIRED for e in answer.evidence):
            row[2] += 1
        label = answer.evidence_status.label if answer.evidence_status else NO_STATUS
        status[label] = status.get(label, 0) + 1
        if is_unsupported_on(scheme, answer, today):
            unsupported.append(sub)
    states = {r.subcategory_id: r.state for r in reviews}
    counts = review_counts(states.get(sub, ReviewState.DRAFT) for sub in scored)
    return EvidenceAssurance(
        today=today,
        coverage=tuple(FunctionCoverage(f, *row) for f, row in coverage.items()),
        status=tuple(sorted(status.items(), key=lambda kv: (kv[0] == NO_STATUS, kv[0]))),
        ages=tuple(ages.items()),
        expired=tuple(expired),
        expiring=tuple(expiring),
        unsupported=tuple(unsupported),
        review=tuple(counts.items()),
        carried_over=tuple(carried),
    )


# -- sign-off and audit trail -----------------------------------------------------------------
def signoff_block_of(
    status: Status,
    roles: Sequence[SignOffRole],
    four_eyes_relaxed: bool,
    finalized_by: str,
    finalized_role: str,
    finalized_statement: str,
    finalized_at: dt.datetime | None,
) -> SignOffBlock:
    """The sign-off block from an exported assessment's fields (what
    ``ReviewService.signoff`` gives from the store): the roles of a finalized assessment, or
    for one finalized before roles existed its one signer as the approver; none for a draft."""
    if status is not Status.FINALIZED:
        return SignOffBlock(four_eyes_relaxed=four_eyes_relaxed)
    if roles:
        return SignOffBlock(roles=list(roles), four_eyes_relaxed=four_eyes_relaxed)
    legacy = legacy_signoff(finalized_by, finalized_role, finalized_statement, finalized_at)
    return legacy.model_copy(update={"four_eyes_relaxed": four_eyes_relaxed})


@dataclass(frozen=True)
class PersonChanges:
    """One person's recorded changes in a period: entries and distinct subcategories."""

    actor: str
    changes: int
    subcategories: int


@dataclass(frozen=True)
class Reopening:
    actor: str
    at: dt.datetime
    reason: str


@dataclass(frozen=True)
class AuditTrail:
    """The change history in brief: the sign-off the period starts after (``since``: its
    time, None when there was none, the period then being the whole history), the changes in
    that period by person (most first), every reopening with its reason, and the number of
    sign-offs on record."""

    since: dt.datetime | None
    since_text: str
    by_person: tuple[PersonChanges, ...]
    reopenings: tuple[Reopening, ...]
    signoffs: int

    @property
    def changes(self) -> int:
        return sum(p.changes for p in self.by_person)


def _is_signoff(entry: HistoryEntry) -> bool:
    return (
        entry.subcategory_id == ASSESSMENT_EVENT
        and entry.field == "status"
        and entry.new.startswith(FINALIZED_PREFIX)
    )


def audit_trail(history: Sequence[HistoryEntry], finalized: bool) -> AuditTrail:
    """The audit-trail summary of a history (in chain order).

    "The previous sign-off" is the one before the current sign-off for a ``finalized``
    assessment (whose last sign-off is the one this report shows), else the last one. The
    changes counted are every entry after it other than sign-off records (status events,
    signed roles and the four-eyes setting, which the sign-off block shows)."""
    signoffs = [i for i, e in enumerate(history) if _is_signoff(e)]
    current = signoffs[-1] if finalized and signoffs else len(history)
    earlier = [i for i in signoffs if i < current]
    start = earlier[-1] + 1 if earlier else 0
    since = history[earlier[-1]].at if earlier else None
    per: dict[str, tuple[int, set[str]]] = {}
    for e in history[start:current]:
        if e.subcategory_id == ASSESSMENT_EVENT and (
            e.field in ("status", FOUR_EYES_FIELD) or e.field.startswith(SIGNOFF_FIELD_PREFIX)
        ):
            continue
        n, subs = per.get(e.actor, (0, set()))
        subs.add(e.subcategory_id)
        per[e.actor] = (n + 1, subs)
    people = sorted(
        (
            PersonChanges(actor, n, len(subs - {ASSESSMENT_EVENT}))
            for actor, (n, subs) in per.items()
        ),
        key=lambda p: (-p.changes, p.actor.casefold()),
    )
    reopenings = tuple(
        Reopening(e.actor, e.at, e.new[len(REOPENED_PREFIX) :])
        for e in history
        if e.subcategory_id == ASSESSMENT_EVENT
        and e.field == "status"
        and e.new.startswith(REOPENED_PREFIX)
    )
    if earlier:
        since_text = "since the previous sign-off"
    elif finalized and signoffs:
        since_text = "before the first sign-off"
    else:
        since_text = "since the assessment was created"
    return AuditTrail(since, since_text, tuple(people), reopenings, len(signoffs))
