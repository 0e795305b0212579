"""Integrity of stored assessments: everything ``verify`` checks (the sign-off fingerprint, the
history chain against its stored head and the answers, the evidence files), read without
SQLAlchemy for an SQLite file so that the check on opening an assessment stays light."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.domain.assessment import Answer, Assessment, HistoryEntry, Status
from app.domain.history import GENESIS, signoff_problem
from app.domain.history_check import ChainHead, HistoryCheck, check_history
from app.persistence.errors import DatabaseError
from app.services.context import ServiceContext
from app.services.errors import NotFound, StorageError

# The actions, export (fingerprint) and review modules are imported where a check needs them:
# ``airmf assessment list`` checks the history ends of drafts alone, and a script runs it once
# per process (issue 13's start-up budget).
if TYPE_CHECKING:
    from app.domain.actions import RemediationAction
    from app.domain.exchange import SignOff


@dataclass(frozen=True)
class EvidenceProblem:
    """A stored evidence file that is not the one recorded: "missing" or "changed"."""

    subcategory_id: str
    title: str
    sha256: str
    state: str

    def text(self) -> str:
        what = "is missing from" if self.state == "missing" else "was replaced in"
        return f"{self.subcategory_id}: evidence file {self.title!r} {what} the evidence store"


@dataclass(frozen=True)
class Verification:
    """Everything ``verify`` checks of one assessment.

    ``stored`` is the fingerprint stored at sign-off ("" for a draft); ``actual`` the one the
    stored data gives now (sealed_fingerprint over the answers, the history's actual head and
    the sign-off). ``legacy``: the assessment was signed off before schema 0004 and its
    fingerprint covers the answers alone (then matched against ``fingerprint``). ``head`` is
    the chain head stored with the assessment, ``history`` the whole history check, and
    ``evidence`` the evidence files that no longer hash to their recorded SHA-256.
    """

    assessment_id: int
    finalized: bool
    stored: str
    actual: str
    legacy: bool = False
    head: ChainHead = ChainHead(0, GENESIS)
    history: HistoryCheck | None = None
    evidence: tuple[EvidenceProblem, ...] = ()
    signoff: str | None = None  # the history does not end with this sign-off (signoff_problem)
    # Stored review data (states, comments, sign-off roles, four-eyes) that disagrees with the
    # history (domain.review.review_problems); checked for finalized assessments.
    review: tuple[str, ...] = ()

    @property
    def fingerprint_matches(self) -> bool:
        """For a finalized assessment: the stored data still gives the signed-off fingerprint."""
        return self.finalized and (self.legacy or self.stored == self.actual)

    @property
    def intact(self) -> bool:
        """No problem found in the history or the evidence files (drafts included)."""
        return (
            not self.evidence
            and self.signoff is None
            and not self.review
            and (self.history is None or self.history.ok)
        )

    @property
    def matches(self) -> bool:
        """Finalized, and everything the sign-off covers verifies."""
        return self.fingerprint_matches and self.intact

    def problems(self) -> list[str]:
        """One sentence per problem found (empty when everything verifies)."""
        out = []
        if self.finalized and not self.fingerprint_matches:
            out.append(
                f"the stored data no longer matches the fingerprint stored at sign-off "
                f"({self.stored}; it now gives {self.actual})"
            )
        if self.signoff is not None:
            out.append(self.signoff)
        out += list(self.review)
        if self.history is not None:
            out += self.history.problems()
        out += [p.text() for p in self.evidence]
        return out


class IntegrityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _read(
        self, assessment_id: int
    ) -> tuple[Assessment, dict[str, Answer], list[HistoryEntry], list[RemediationAction]]:
        """The assessment, its answers, history and actions as stored, in one read transaction
        (the sqlite3 driver for an SQLite file, the repositories otherwise). Raises NotFound."""
        from app.persistence.action_values import read_unit_actions

        with self.ctx.reading() as unit:
            found = unit.assessments.get(assessment_id)
            answers = unit.answers.all(assessment_id) if found else {}
            entries = unit.history.list(assessment_id) if found else []
            actions = read_unit_actions(unit, assessment_id) if found else []
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found, answers, entries, actions

    def check_history(self, assessment_id: int) -> HistoryCheck:
        """The history check alone (see ``domain.history_check.check_history``). Raises NotFound."""
        current, answers, entries, actions = self._read(assessment_id)
        return _with_actions(
            check_history(entries, _stored_head(current), answers), entries, actions
        )

    def verify(self, assessment_id: int, *, files: bool = True) -> Verification:
        """Check everything the sign-off covers against what is stored now: recompute the
        fingerprint (answers, the history's actual head, sign-off), check the history (links,
        hashes, its end against the stored head, replay against the answers) and, with
        ``files``, re-hash every evidence file in the store. Read in one transaction; slow
        with large evidence files (not on a UI thread). Raises NotFound."""
        from app.domain.exchange import fingerprint, sealed_fingerprint

        current, answers, entries, actions = self._read(assessment_id)
        stored_head = _stored_head(current)
        history = _with_actions(check_history(entries, stored_head, answers), entries, actions)
        values = list(answers.values())
        actual = sealed_fingerprint(values, history.actual_head, signoff_of(current))
        finalized = current.status is Status.FINALIZED
        legacy = (
            finalized
            and current.fingerprint != actual
            and current.fingerprint == (fingerprint(values))
        )
        return Verification(
            assessment_id,
            finalized,
            current.fingerprint,
            actual,
            legacy=legacy,
            head=stored_head,
            history=history,
            evidence=self._evidence_problems(values) if files else (),
            signoff=(
                signoff_problem(entries, current.finalized_by, current.finalized_role)
                if finalized
                else None
            ),
            review=self._review_problems(assessment_id, entries) if finalized else (),
        )

    def _review_problems(self, assessment_id: int, entries: list[HistoryEntry]) -> tuple[str, ...]:
        """Review data against the history. Only for a finalized assessment, which nobody can
        change between this read and the history's (a separate read transaction)."""
        from app.domain.review import review_problems
        from app.persistence.review_snapshot import reviews_in

        with self.ctx.reading() as unit:  # SQLite: on the driver, no SQLAlchemy
            repo = reviews_in(unit)
            data = (
                repo.states(assessment_id),
                repo.comments(assessment_id),
                repo.roles(assessment_id),
                repo.four_eyes_relaxed(assessment_id),
            )
        states, comments, roles, relaxed = data
        found = review_problems(
            entries, {k: v.state for k, v in states.items()}, comments, roles, relaxed
        )
        return tuple(found)

    def _evidence_problems(self, answers: list[Answer]) -> tuple[EvidenceProblem, ...]:
        store = self.ctx.evidence
        problems = []
        for answer in sorted(answers, key=lambda a: a.subcategory_id):
            for item in answer.evidence:
                if item.sha256:
                    try:
                        state = store.check(item.sha256)  # re-hashed, read in chunks
                    except (OSError, DatabaseError) as exc:
                        raise StorageError(
                            f"{answer.subcategory_id}: evidence file {item.title!r} cannot be "
                            f"read from {store.where}: {exc}"
                        ) from exc
                    if state != "ok":
                        problems.append(
                            EvidenceProblem(answer.subcategory_id, item.title, item.sha256, state)
                        )
        return tuple(problems)

    def problems_by_assessment(self) -> dict[int, list[str]]:
        """For lists: the assessments with an integrity problem, each with its problems.

        Every assessment's history end is compared with its stored head (one query: deleted or
        added entries); a finalized assessment is verified in full, evidence files aside. A
        draft's hashes and replay are checked by ``verify`` / ``AnswerService.check_history``.
        """
        with self.ctx.reading() as unit:
            assessments = unit.assessments.list()
            ends = unit.history.heads()
        out: dict[int, list[str]] = {}
        for a in assessments:
            if a.status is Status.FINALIZED:
                problems = self.verify(a.id, files=False).problems()
            else:
                count, last = ends.get(a.id, (0, GENESIS))
                end = ChainHead(count, last)
                problems = HistoryCheck(count, None, _stored_head(a), end, ()).problems()
            if problems:
                out[a.id] = problems
        return out


def signoff_of(assessment: Assessment) -> SignOff:
    """The sign-off fields of an assessment, as the fingerprint covers them."""
    from app.domain.exchange import SignOff

    return SignOff(
        assessment.finalized_by,
        assessment.finalized_role,
        assessment.finalized_statement,
        assessment.finalized_at,
    )


def _stored_head(assessment: Assessment) -> ChainHead:
    return ChainHead(assessment.history_count, assessment.history_head)


def _with_actions(
    history: HistoryCheck, entries: list[HistoryEntry], actions: list[RemediationAction]
) -> HistoryCheck:
    """``history`` (the check of ``entries``) with the remediation actions replayed against
    the same entries too: an action changed, added or removed outside the app is a difference
    (issue 14)."""
    from app.domain.actions import action_replay_differences

    found = action_replay_differences(entries, actions)
    if not found:
        return history
    return replace(history, differences=history.differences + tuple(found))
