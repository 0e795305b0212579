"""Sign-off and cycles: finalize (locks, fingerprints), reopen with a reason, verify, next cycle."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from app.domain.assessment import Assessment, AssessmentMeta, HistoryEntry, Status
from app.domain.exchange import SignOff, sealed_fingerprint
from app.domain.framework import Framework
from app.domain.history import ASSESSMENT_EVENT, GENESIS, chain, diff_answers, signoff_text
from app.domain.history_check import ChainHead
from app.domain.limits import (
    NAME_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    LimitError,
    check_line,
    check_text,
)
from app.domain.review import (
    SIGNOFF_FIELD_PREFIX,
    ReviewState,
    RoleKind,
    SignOffBlock,
    SignOffRole,
    four_eyes_problem,
    last_changers,
)
from app.persistence.review_snapshot import reviews_in
from app.persistence.store import StoreReading, StoreWriting
from app.services.actions import ActionService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound
from app.services.freshness import FreshnessService
from app.services.integrity import EvidenceProblem, IntegrityService, Verification
from app.services.review import ReviewService, moved_by_edit, record_four_eyes
from app.services.system_profile_carry import carry_system_profile
from app.services.validation import describe_validation_error

__all__ = [
    "ASSESSMENT_EVENT",
    "EvidenceProblem",
    "FourEyesViolation",
    "RoleInput",
    "LifecycleService",
    "ReviewScope",
    "UnfinalizedSource",
    "Verification",
]


class FourEyesViolation(InvalidInput):
    """The approver made the last change to an answer and the four-eyes rule is not relaxed."""


@dataclass(frozen=True)
class RoleInput:
    """One sign-off role as typed: the person's name, their role or title, and the statement
    they sign (see ``domain.review.SignOffRole``)."""

    name: str
    title: str = ""
    statement: str = ""


class UnfinalizedSource(InvalidInput):
    """A next cycle was asked for from a draft without saying that this is meant."""


@dataclass(frozen=True)
class ReviewScope:
    """Which carried-over answers to mark reviewed: named subcategories, every subcategory of
    the named categories and functions, or (``everything``) the whole assessment.

    Ids are as the user types them ("GOVERN 1.1" or "GV-1.1"; "MAP 1"; "govern").
    """

    subcategories: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    everything: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.subcategories or self.categories or self.functions or self.everything)

    def resolve(self, framework: Framework) -> list[str]:
        """The subcategory ids in scope, in framework order. Raises InvalidInput naming an
        unknown id."""
        if self.everything:
            return [s.id for s in framework.subcategories()]
        wanted: set[str] = set()
        for text in self.subcategories:
            sub = framework.resolve_subcategory_id(text)
            if sub is None:
                raise InvalidInput(
                    f"unknown subcategory {text!r}: use an official id such as 'GOVERN 1.1'"
                )
            wanted.add(sub)
        categories = {_key(c.id): c for c in framework.categories()}
        for text in self.categories:
            category = categories.get(_key(text))
            if category is None:
                raise InvalidInput(f"unknown category {text!r}: use an id such as 'MAP 1'")
            wanted.update(s.id for s in category.subcategories)
        functions = {_key(f.id): f for f in framework.functions}
        for text in self.functions:
            function = functions.get(_key(text))
            if function is None:
                names = ", ".join(f.id for f in framework.functions)
                raise InvalidInput(f"unknown function {text!r}: use one of {names}")
            wanted.update(s.id for c in function.categories for s in c.subcategories)
        return [s.id for s in framework.subcategories() if s.id in wanted]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class LifecycleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def _load(self, unit: StoreReading, assessment_id: int) -> Assessment:
        found = unit.assessments.get(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found

    def _event(
        self, unit: StoreWriting, current: Assessment, new: str, now: dt.datetime
    ) -> ChainHead:
        """Append a status event after the chain head stored with the assessment (never after
        whatever entries are left: a deletion stays a gap); return the new head."""
        entry = HistoryEntry(
            subcategory_id=ASSESSMENT_EVENT, field="status", new=new, actor=self.ctx.actor, at=now
        )
        count, prev = current.history_count, current.history_head
        (event,) = chain([entry], prev if count else GENESIS, count + 1)
        unit.history.append(current.id, [event])
        return ChainHead(event.seq, event.entry_hash)

    def open_work(self, assessment_id: int) -> list[str]:
        """What an approver would sign off unfinished, one phrase each, in the words the
        dashboard and ``airmf verify`` use: answers returned by a reviewer or awaiting review,
        open remediation actions (with how many are overdue), evidence expired or expiring,
        ratings without supporting evidence. Empty when nothing is open. The finalize dialog
        shows these before the sign-off and ``airmf finalize`` prints them after it. Raises
        NotFound."""
        reviews = ReviewService(self.ctx).counts(assessment_id)
        actions = ActionService(self.ctx).counts(assessment_id)
        fresh = FreshnessService(self.ctx).summary(assessment_id)
        parts = []
        for state, what in (
            (ReviewState.RETURNED, "returned by a reviewer"),
            (ReviewState.READY, "ready for review"),
        ):
            if n := reviews.get(state, 0):
                parts.append(f"{n} answer{'s' if n != 1 else ''} {what}")
        if n := actions.get("open", 0):
            late = actions.get("overdue", 0)
            overdue = f" ({late} overdue)" if late else ""
            parts.append(f"{n} open remediation action{'s' if n != 1 else ''}{overdue}")
        parts.extend(fresh.lines())
        return parts

    def finalize(
        self,
        assessment_id: int,
        signer: str,
        role: str,
        statement: str = "",
        *,
        assessor: RoleInput | None = None,
        reviewer: RoleInput | None = None,
        relax_four_eyes: bool | None = None,
    ) -> Assessment:
        """Sign off: record who signed in which role and when, store the fingerprint, lock.

        ``signer``, ``role`` and ``statement`` are the **approver's** (name, their role or
        title, the statement they sign): the sign-off that locks the assessment, stored as
        ``finalized_by`` as before roles existed. ``assessor`` and ``reviewer`` optionally
        sign beside them (up to three roles, ``domain.review``); each role is recorded in the
        history before the finalizing status event, so the sealed fingerprint covers them.

        Four-eyes: unless the assessment relaxes the rule, the approver may not be the person
        who made the last change to any answer (the history's actors). ``relax_four_eyes``
        (None: keep the assessment's setting) changes the setting first, with its own history
        entry. Raises InvalidInput (missing or invalid names), FourEyesViolation, NotFound;
        nothing is written then.
        """
        approver = _role(RoleKind.APPROVER, RoleInput(signer, role, statement), required=True)
        others = [
            _role(kind, given)
            for kind, given in ((RoleKind.ASSESSOR, assessor), (RoleKind.REVIEWER, reviewer))
            if given is not None and (given.name.strip() or given.title.strip())
        ]
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            current = self._load(unit, assessment_id)
            if current.status is Status.FINALIZED:
                raise InvalidInput(f"assessment {assessment_id} is already finalized")
            now = self.ctx.clock()
            if relax_four_eyes is not None and record_four_eyes(
                unit, current, relax_four_eyes, self.ctx.actor, now
            ):
                current = self._load(unit, assessment_id)  # the history head moved
            relaxed = reviews_in(unit).four_eyes_relaxed(assessment_id)
            if not relaxed:
                changers = last_changers(unit.history.list(assessment_id))
                problem = four_eyes_problem(approver.name, changers)
                if problem is not None:
                    raise FourEyesViolation(problem)
            roles = [r.model_copy(update={"at": now}) for r in (*others, approver)]
            answers = list(unit.answers.all(assessment_id).values())
            entries = [
                HistoryEntry(
                    subcategory_id=ASSESSMENT_EVENT,
                    field=SIGNOFF_FIELD_PREFIX + r.kind.value,
                    new=r.history_text(),
                    actor=self.ctx.actor,
                    at=now,
                )
                for r in roles
                if r.kind is not RoleKind.APPROVER
            ]
            if entries:
                count, prev = current.history_count, current.history_head
                unit.history.append(
                    assessment_id, chain(entries, prev if count else GENESIS, count + 1)
                )
                current = self._load(unit, assessment_id)
            head = self._event(unit, current, signoff_text(approver.name, approver.title), now)
            digest = sealed_fingerprint(
                answers, head, SignOff(approver.name, approver.title, approver.statement, now)
            )
            reviews_in(unit).set_roles(assessment_id, roles)
            return unit.assessments.update(
                assessment_id,
                now,
                status=Status.FINALIZED.value,
                finalized_by=approver.name,
                finalized_role=approver.title,
                finalized_statement=approver.statement,
                finalized_at=now,
                fingerprint=digest,
            )

    def signoff(self, assessment_id: int) -> SignOffBlock:
        """The sign-off block (roles, four-eyes setting): see ``ReviewService.signoff``."""
        return ReviewService(self.ctx).signoff(assessment_id)

    def reopen(self, assessment_id: int, reason: str) -> Assessment:
        """Unlock a finalized assessment for edits: needs a reason, is recorded, clears sign-off."""
        reason = reason.strip()
        if not reason:
            raise InvalidInput("reopening a finalized assessment needs a reason")
        reason = _checked("the reason", reason, REASON_MAX)
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            current = self._load(unit, assessment_id)
            if current.status is not Status.FINALIZED:
                raise InvalidInput(f"assessment {assessment_id} is not finalized")
            now = self.ctx.clock()
            self._event(unit, current, f"reopened: {reason}", now)
            # The roles stay in the history; the next finalize signs afresh.
            reviews_in(unit).set_roles(assessment_id, [])
            return unit.assessments.update(
                assessment_id,
                now,
                status=Status.DRAFT.value,
                finalized_by="",
                finalized_role="",
                finalized_statement="",
                finalized_at=None,
                fingerprint="",
            )

    def verify(self, assessment_id: int, *, files: bool = True) -> Verification:
        """See ``IntegrityService.verify``."""
        return IntegrityService(self.ctx).verify(assessment_id, files=files)

    def current_fingerprint(self, assessment_id: int) -> str:
        """The fingerprint the stored data gives now (what finalizing would store)."""
        return self.verify(assessment_id, files=False).actual

    def start_next_cycle(
        self, assessment_id: int, name: str | None = None, *, from_draft: bool = False
    ) -> Assessment:
        """A new draft for the same AI system, with the answers carried over as a baseline.

        Every answer is carried over marked "not yet reviewed" (see ``domain.scoring``), and
        every open remediation action (planned, in progress) marked carried over. A cycle
        normally follows a finalized one; starting from a draft needs ``from_draft=True`` (the
        window asks, ``airmf next-cycle`` needs ``--force``), else UnfinalizedSource is raised
        and nothing is written.
        """
        source = self.assessments.get(assessment_id)
        if source.status is not Status.FINALIZED and not from_draft:
            raise UnfinalizedSource(
                f"assessment {source.id} ({source.name}) is a draft that was never finalized: "
                "the next cycle would start from answers nobody signed off"
            )
        try:
            meta = AssessmentMeta.model_validate(
                {
                    **source.model_dump(include=set(AssessmentMeta.model_fields)),
                    "name": (name or "").strip() or f"{source.name} (next cycle)",
                }
            )
        except ValidationError as exc:
            raise InvalidInput(describe_validation_error(exc)) from exc
        now = self.ctx.clock()
        with self.ctx.writing() as unit:
            answers = unit.answers.all(assessment_id)
            created = unit.assessments.add(
                meta,
                uid=uuid.uuid4().hex,
                framework_version=source.framework_version,
                now=now,
                previous_id=source.id,
                # The next cycle of a copy or of the sample is no real cycle either.
                origin=source.origin,
                copy_of=source.copy_of,
            )
            self.assessments.copy_answers(
                unit, created.id, answers.values(), now, carried_over=True
            )
            carry_system_profile(unit, source.id, created.id, self.ctx.actor, now)
            ActionService(self.ctx).carry_over(unit, source.id, created.id, now)
        return created

    def series(self, ai_system: str, *, include_copies: bool = False) -> list[Assessment]:
        """The cycles of one AI system, oldest first; copies and the sample only if asked."""
        with self.ctx.reading() as unit:
            found = unit.assessments.by_system(ai_system)
        return found if include_copies else [a for a in found if a.is_cycle]

    # -- reviewing carried-over answers ---------------------------------------------------------
    def unreviewed(self, assessment_id: int, scope: ReviewScope | None = None) -> list[str]:
        """Subcategories in ``scope`` (default: all) whose answer is carried over and not yet
        reviewed (``Answer.unreviewed``), in framework order."""
        assessment = self.assessments.get(assessment_id)
        framework = self.assessments.framework_for(assessment)
        ids = (scope or ReviewScope(everything=True)).resolve(framework)
        answers = self.assessments.answers(assessment_id)
        return [s for s in ids if s in answers and answers[s].unreviewed]

    def mark_reviewed(self, assessment_id: int, subcategories: Iterable[str]) -> list[str]:
        """Confirm carried-over answers as they are, in one transaction.

        Each answer still waiting for review (``Answer.unreviewed``) gets one history entry
        (``carried_over`` yes -> no) under the current actor, exactly as "Mark reviewed" on one
        answer records it; nothing else of the answer changes. Others are skipped. Returns the
        ids marked, in framework order. Raises NotFound, AssessmentLocked (finalized) or
        InvalidInput (an unknown subcategory), with nothing written.
        """
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            assessment = self._load(unit, assessment_id)
            self.assessments.ensure_editable(assessment)
            framework = self.assessments.framework_for(assessment)
            ids = ReviewScope(subcategories=tuple(subcategories)).resolve(framework)
            repo = unit.answers
            now = self.ctx.clock()
            marked, entries = [], []
            for sub in ids:
                old = repo.get(assessment_id, sub)
                if old is None or not old.unreviewed:
                    continue
                new = old.model_copy(update={"carried_over": False, "updated_at": now})
                repo.put(assessment_id, new)
                marked.append(sub)
                entries += [  # compact entries: the old value is the previous entry's
                    HistoryEntry(subcategory_id=sub, field=f, new=n, actor=self.ctx.actor, at=now)
                    for f, _o, n in diff_answers(old, new)
                ]
            if not marked:
                return []
            # After the head stored with the assessment, as every append (see _event).
            count, head = assessment.history_count, assessment.history_head
            chained = chain(entries, head if count else GENESIS, count + 1)
            unit.history.append(assessment_id, chained)
            end = (chained[-1].seq, chained[-1].entry_hash)
            for sub in marked:  # an edit of the answer: its review state moves (domain.review)
                end = moved_by_edit(unit, assessment_id, sub, end, self.ctx.actor, now)
            unit.assessments.touch(assessment_id, now)
        return marked


def _role(kind: RoleKind, given: RoleInput, *, required: bool = False) -> SignOffRole:
    """A typed role checked by the field rules; InvalidInput naming the role and what is wrong.

    The approver needs a name and a role (as finalizing always did); another role given at
    all needs a name."""
    who = "the signer" if kind is RoleKind.APPROVER else f"the {kind.value}"
    name, title = given.name.strip(), given.title.strip()
    if not name:
        raise InvalidInput(f"finalizing needs {who}'s name")
    if required and not title:
        raise InvalidInput(f"finalizing needs {who}'s role")
    return SignOffRole(
        kind=kind,
        name=_checked(f"{who}'s name", name, NAME_MAX, line=True),
        title=_checked(f"{who}'s role", title, NAME_MAX, line=True),
        statement=_checked(
            f"{who}'s statement" if kind is not RoleKind.APPROVER else "the sign-off statement",
            given.statement.strip(),
            STATEMENT_MAX,
        ),
    )


def _checked(what: str, value: str, limit: int, *, line: bool = False) -> str:
    """``value`` checked by the field rules of domain.limits; InvalidInput naming ``what``."""
    try:
        return check_line(value, limit) if line else check_text(value, limit)
    except LimitError as exc:
        raise InvalidInput(f"{what} {exc}") from None
