"""Sign-off and cycles: finalize (locks, fingerprints), reopen with a reason, verify, next cycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import ValidationError

from app.domain.assessment import Answer, Assessment, AssessmentMeta, HistoryEntry, Status
from app.domain.exchange import SignOff, fingerprint, sealed_fingerprint
from app.domain.history import (
    ASSESSMENT_EVENT,
    GENESIS,
    ChainHead,
    HistoryCheck,
    chain,
    check_history,
    signoff_problem,
    signoff_text,
)
from app.persistence.repositories import (
    AnswerRepository,
    AssessmentRepository,
    HistoryRepository,
)
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound
from app.services.validation import describe_validation_error

__all__ = ["ASSESSMENT_EVENT", "EvidenceProblem", "LifecycleService", "Verification"]


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

    @property
    def fingerprint_matches(self) -> bool:
        """For a finalized assessment: the stored data still gives the signed-off fingerprint."""
        return self.finalized and (self.legacy or self.stored == self.actual)

    @property
    def intact(self) -> bool:
        """No problem found in the history or the evidence files (drafts included)."""
        return (
            not self.evidence and self.signoff is None and (self.history is None or self.history.ok)
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
        if self.history is not None:
            out += self.history.problems()
        out += [p.text() for p in self.evidence]
        return out


class LifecycleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def _load(self, session, assessment_id: int) -> Assessment:  # type: ignore[no-untyped-def]
        found = AssessmentRepository(session).get(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found

    def _event(self, session, current: Assessment, new: str, now) -> ChainHead:  # type: ignore[no-untyped-def]
        """Append a status event after the chain head stored with the assessment (never after
        whatever entries are left: a deletion stays a gap); return the new head."""
        entry = HistoryEntry(
            subcategory_id=ASSESSMENT_EVENT, field="status", new=new, actor=self.ctx.actor, at=now
        )
        count, prev = current.history_count, current.history_head
        (event,) = chain([entry], prev if count else GENESIS, count + 1)
        HistoryRepository(session).append(current.id, [event])
        return ChainHead(event.seq, event.entry_hash)

    def finalize(
        self, assessment_id: int, signer: str, role: str, statement: str = ""
    ) -> Assessment:
        """Sign off: record who, their role and when, store the fingerprint, lock the assessment."""
        signer, role = signer.strip(), role.strip()
        if not signer:
            raise InvalidInput("finalizing needs the signer's name")
        if not role:
            raise InvalidInput("finalizing needs the signer's role")
        with self.ctx.write() as s:
            current = self._load(s, assessment_id)
            if current.status is Status.FINALIZED:
                raise InvalidInput(f"assessment {assessment_id} is already finalized")
            answers = list(AnswerRepository(s).all(assessment_id).values())
            now = self.ctx.clock()
            head = self._event(s, current, signoff_text(signer, role), now)
            digest = sealed_fingerprint(
                answers, head, SignOff(signer, role, statement.strip(), now)
            )
            return AssessmentRepository(s).update(
                assessment_id,
                now,
                status=Status.FINALIZED.value,
                finalized_by=signer,
                finalized_role=role,
                finalized_statement=statement.strip(),
                finalized_at=now,
                fingerprint=digest,
            )

    def reopen(self, assessment_id: int, reason: str) -> Assessment:
        """Unlock a finalized assessment for edits: needs a reason, is recorded, clears sign-off."""
        reason = reason.strip()
        if not reason:
            raise InvalidInput("reopening a finalized assessment needs a reason")
        with self.ctx.write() as s:
            current = self._load(s, assessment_id)
            if current.status is not Status.FINALIZED:
                raise InvalidInput(f"assessment {assessment_id} is not finalized")
            now = self.ctx.clock()
            self._event(s, current, f"reopened: {reason}", now)
            return AssessmentRepository(s).update(
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
        """Check everything the sign-off covers against what is stored now: recompute the
        fingerprint (answers, the history's actual head, sign-off), check the history (links,
        hashes, its end against the stored head, replay against the answers) and, with
        ``files``, re-hash every evidence file in the store. Read in one transaction; slow
        with large evidence files (not on a UI thread). Raises NotFound."""
        with self.ctx.read() as s:
            current = self._load(s, assessment_id)
            answers = AnswerRepository(s).all(assessment_id)
            entries = HistoryRepository(s).list(assessment_id)
        stored_head = ChainHead(current.history_count, current.history_head)
        history = check_history(entries, stored_head, answers)
        values = list(answers.values())
        actual = sealed_fingerprint(values, history.actual_head, _signoff(current))
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
        )

    def _evidence_problems(self, answers: list[Answer]) -> tuple[EvidenceProblem, ...]:
        store = self.ctx.evidence
        problems = []
        for answer in sorted(answers, key=lambda a: a.subcategory_id):
            for item in answer.evidence:
                if item.sha256:
                    state = store.check(item.sha256)
                    if state != "ok":
                        problems.append(
                            EvidenceProblem(answer.subcategory_id, item.title, item.sha256, state)
                        )
        return tuple(problems)

    def integrity_problems(self) -> dict[int, list[str]]:
        """For lists: the assessments with an integrity problem, each with its problems.

        Every assessment's history end is compared with its stored head (one query: deleted or
        added entries); a finalized assessment is verified in full, evidence files aside. A
        draft's hashes and replay are checked by ``verify`` / ``AnswerService.check_history``.
        """
        with self.ctx.read() as s:
            assessments = AssessmentRepository(s).list()
            ends = HistoryRepository(s).heads()
        out: dict[int, list[str]] = {}
        for a in assessments:
            if a.status is Status.FINALIZED:
                problems = self.verify(a.id, files=False).problems()
            else:
                count, last = ends.get(a.id, (0, GENESIS))
                stored = ChainHead(a.history_count, a.history_head)
                problems = HistoryCheck(count, None, stored, ChainHead(count, last), ()).problems()
            if problems:
                out[a.id] = problems
        return out

    def current_fingerprint(self, assessment_id: int) -> str:
        """The fingerprint the stored data gives now (what finalizing would store)."""
        return self.verify(assessment_id, files=False).actual

    def start_next_cycle(self, assessment_id: int, name: str | None = None) -> Assessment:
        """A new draft for the same AI system, with the answers carried over as a baseline."""
        source = self.assessments.get(assessment_id)
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
        with self.ctx.write() as s:
            answers = AnswerRepository(s).all(assessment_id)
            created = AssessmentRepository(s).add(
                meta,
                uid=uuid.uuid4().hex,
                framework_version=source.framework_version,
                now=now,
                previous_id=source.id,
            )
            self.assessments.copy_answers(s, created.id, answers.values(), now, carried_over=True)
        return created

    def series(self, ai_system: str) -> list[Assessment]:
        """All cycles of one AI system, oldest first."""
        with self.ctx.read() as s:
            return AssessmentRepository(s).by_system(ai_system)


def _signoff(assessment: Assessment) -> SignOff:
    return SignOff(
        assessment.finalized_by,
        assessment.finalized_role,
        assessment.finalized_statement,
        assessment.finalized_at,
    )
