"""Evidence that can go stale, and ratings that rest on none: the one rule for every surface.

An evidence item may say the day it is "as of" (the period it supports) and the last day it
holds ("valid until", inclusive). Judged on the user's local calendar day (``app.domain.days``):

- expired: its valid-until day is before today;
- expiring: it is still valid today but no longer after ``EXPIRING_WITHIN_DAYS`` days;
- current: otherwise, including an item with no valid-until day (it does not lapse).

A rating is *unsupported* when it claims Advanced or Leading (a score of 4 or 5, whether it
comes from the rubric's metrics or from a direct level; see ``answer_rules.answer_score``) and
either no evidence item of the answer is still valid (none at all, or all expired), or the
answer's evidence status says "evidence to the contrary".

Source of the rule: issue 14 of this project ("a rating of Advanced or Leading that rests on no
current evidence, or whose evidence status says 'evidence to the contrary', is flagged as
unsupported"; "expired and expiring-within-30-days evidence"). Why these two levels: in both
schemes' level definitions (frameworks/schemes/*.json) levels 4 and 5 claim systematic,
resourced practice (5: fully addressed and continuously improved, or adaptive and
cross-functional), the claims a reviewer expects to see backed by evidence that still holds;
levels 1-3 claim at most defined practice. Not a NIST rule: the AI RMF does not define levels.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.domain.answer_rules import answer_score
from app.domain.assessment import Answer, EvidenceItem, EvidenceStatus
from app.domain.days import local_day
from app.domain.rating import RatingScheme

EXPIRING_WITHIN_DAYS = 30
# The lowest score that claims more than Established (4 Advanced, 5 Leading).
SUPPORT_NEEDED_FROM = 4


class Freshness(enum.StrEnum):
    CURRENT = "current"
    EXPIRING = "expiring"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        """How the window, CLI and report name the state."""
        return {
            "current": "Current",
            "expiring": f"Expires within {EXPIRING_WITHIN_DAYS} days",
            "expired": "Expired",
        }[self.value]


def freshness_on(item: EvidenceItem, today: dt.date) -> Freshness:
    """The state of one item on the local calendar day ``today`` (see the module)."""
    until = item.valid_until
    if until is None:
        return Freshness.CURRENT
    if until < today:
        return Freshness.EXPIRED
    if (until - today).days <= EXPIRING_WITHIN_DAYS:
        return Freshness.EXPIRING
    return Freshness.CURRENT


def freshness(item: EvidenceItem, now: dt.datetime) -> Freshness:
    """The state of one item at the instant ``now`` (judged on the user's local day)."""
    return freshness_on(item, local_day(now))


def is_unsupported_on(scheme: RatingScheme, answer: Answer | None, today: dt.date) -> bool:
    """Whether ``answer``'s rating is unsupported on local day ``today`` (see the module):
    a score of 4 or 5 with no evidence still valid, or with evidence to the contrary."""
    score = answer_score(scheme, answer)
    if answer is None or score is None or score < SUPPORT_NEEDED_FROM:
        return False
    if answer.evidence_status is EvidenceStatus.CONTRARY:
        return True
    return all(freshness_on(e, today) is Freshness.EXPIRED for e in answer.evidence)


def is_unsupported(scheme: RatingScheme, answer: Answer | None, now: dt.datetime) -> bool:
    """``is_unsupported_on`` at the instant ``now`` (the user's local day)."""
    return is_unsupported_on(scheme, answer, local_day(now))


@dataclass(frozen=True)
class AnswerFreshness:
    """One answer's evidence state: counts of expired and expiring items, and whether its
    rating is unsupported."""

    expired: int = 0
    expiring: int = 0
    unsupported: bool = False

    @property
    def stale(self) -> bool:
        """Whether any item has expired or expires soon (the navigator's "stale" filter)."""
        return bool(self.expired or self.expiring)


def answer_freshness(
    scheme: RatingScheme, answer: Answer | None, today: dt.date
) -> AnswerFreshness:
    """The evidence state of one answer on local day ``today``."""
    if answer is None:
        return AnswerFreshness()
    states = [freshness_on(e, today) for e in answer.evidence]
    return AnswerFreshness(
        expired=states.count(Freshness.EXPIRED),
        expiring=states.count(Freshness.EXPIRING),
        unsupported=is_unsupported_on(scheme, answer, today),
    )


@dataclass(frozen=True)
class FreshnessSummary:
    """An assessment's stale evidence and unsupported ratings on one day.

    ``expired_items``/``expiring_items`` count evidence items; the ``*_subcategories`` tuples
    list the subcategory ids concerned, in framework order.
    """

    expired_items: int
    expiring_items: int
    expired_subcategories: tuple[str, ...]
    expiring_subcategories: tuple[str, ...]
    unsupported_subcategories: tuple[str, ...]

    @property
    def clear(self) -> bool:
        """Nothing expired, expiring or unsupported."""
        return not (self.expired_items or self.expiring_items or self.unsupported_subcategories)

    def lines(self) -> list[str]:
        """One line each for expired, expiring and unsupported (the same words on every
        surface: window, ``airmf verify``); empty when ``clear``."""
        out = []
        if self.expired_items:
            out.append(
                f"{_items(self.expired_items)} expired: {', '.join(self.expired_subcategories)}"
            )
        if self.expiring_items:
            out.append(
                f"{_items(self.expiring_items)} expiring within {EXPIRING_WITHIN_DAYS} days: "
                + ", ".join(self.expiring_subcategories)
            )
        if self.unsupported_subcategories:
            n = len(self.unsupported_subcategories)
            noun = "rating" if n == 1 else "ratings"
            out.append(
                f"{n} unsupported {noun} (Advanced or Leading without current evidence): "
                + ", ".join(self.unsupported_subcategories)
            )
        return out

    def as_json(self) -> dict[str, object]:
        """The summary for ``--json`` output: counts and subcategory id lists."""
        return {
            "expiring_within_days": EXPIRING_WITHIN_DAYS,
            "expired": {
                "items": self.expired_items,
                "subcategories": [*self.expired_subcategories],
            },
            "expiring": {
                "items": self.expiring_items,
                "subcategories": [*self.expiring_subcategories],
            },
            "unsupported": {
                "count": len(self.unsupported_subcategories),
                "subcategories": [*self.unsupported_subcategories],
            },
        }


def _items(n: int) -> str:
    return "1 evidence item" if n == 1 else f"{n} evidence items"


def summarize(
    scheme: RatingScheme,
    answers: Mapping[str, Answer],
    order: Iterable[str],
    today: dt.date,
) -> FreshnessSummary:
    """The freshness of an assessment's ``answers`` on local day ``today``; ``order``: the
    framework's subcategory ids (the lists follow it; answers of other ids are left out)."""
    expired_items = expiring_items = 0
    expired: list[str] = []
    expiring: list[str] = []
    unsupported: list[str] = []
    for sub in order:
        state = answer_freshness(scheme, answers.get(sub), today)
        expired_items += state.expired
        expiring_items += state.expiring
        if state.expired:
            expired.append(sub)
        if state.expiring:
            expiring.append(sub)
        if state.unsupported:
            unsupported.append(sub)
    return FreshnessSummary(
        expired_items, expiring_items, tuple(expired), tuple(expiring), tuple(unsupported)
    )
