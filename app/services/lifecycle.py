"""Sign-off and cycles: finalize (locks, fingerprints), reopen with a reason, verify, next cycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import ValidationError

from app.domain.assessment import Assessment, AssessmentMeta, HistoryEntry, Status
from app.domain.exchange import fingerprint
from app.domain.history import GENESIS, chain
from app.domain.limits import (
    NAME_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    LimitError,
    check_line,
    check_text,
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

# History entries about the whole assessment (sign-off, reopening) use this in place of an id.
ASSESSMENT_EVENT = "ASSESSMENT"


@dataclass(frozen=True)
class Verification:
    assessment_id: int
    finalized: bool
    stored: str
    actual: str

    @property
    def matches(self) -> bool:
        return self.finalized and self.stored == self.actual


class LifecycleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def _load(self, session, assessment_id: int) -> Assessment:  # type: ignore[no-untyped-def]
        found = AssessmentRepository(session).get(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found

    def _event(self, session, assessment_id: int, old: str, new: str, now) -> None:  # type: ignore[no-untyped-def]
        history = HistoryRepository(session)
        last = history.last(assessment_id)
        entry = HistoryEntry(
            subcategory_id=ASSESSMENT_EVENT,
            field="status",
            old=old,
            new=new,
            actor=self.ctx.actor,
            at=now,
        )
        prev, seq = (last.entry_hash, last.seq + 1) if last else (GENESIS, 1)
        history.append(assessment_id, chain([entry], prev, seq))

    def finalize(
        self, assessment_id: int, signer: str, role: str, statement: str = ""
    ) -> Assessment:
        """Sign off: record who, their role and when, store the fingerprint, lock the assessment."""
        signer, role = signer.strip(), role.strip()
        if not signer:
            raise InvalidInput("finalizing needs the signer's name")
        if not role:
            raise InvalidInput("finalizing needs the signer's role")
        signer = _checked("the signer's name", signer, NAME_MAX, line=True)
        role = _checked("the signer's role", role, NAME_MAX, line=True)
        statement = _checked("the sign-off statement", statement, STATEMENT_MAX)
        with self.ctx.write() as s:
            current = self._load(s, assessment_id)
            if current.status is Status.FINALIZED:
                raise InvalidInput(f"assessment {assessment_id} is already finalized")
            digest = fingerprint(list(AnswerRepository(s).all(assessment_id).values()))
            now = self.ctx.clock()
            self._event(s, assessment_id, "draft", f"finalized by {signer} ({role})", now)
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
        reason = _checked("the reason", reason, REASON_MAX)
        with self.ctx.write() as s:
            current = self._load(s, assessment_id)
            if current.status is not Status.FINALIZED:
                raise InvalidInput(f"assessment {assessment_id} is not finalized")
            now = self.ctx.clock()
            self._event(
                s, assessment_id, f"finalized by {current.finalized_by}", f"reopened: {reason}", now
            )
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

    def verify(self, assessment_id: int) -> Verification:
        """Recompute the fingerprint of the stored answers and compare it with the sign-off."""
        with self.ctx.read() as s:
            current = self._load(s, assessment_id)
            actual = fingerprint(list(AnswerRepository(s).all(assessment_id).values()))
        return Verification(
            assessment_id, current.status is Status.FINALIZED, current.fingerprint, actual
        )

    def current_fingerprint(self, assessment_id: int) -> str:
        return self.verify(assessment_id).actual

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


def _checked(what: str, value: str, limit: int, *, line: bool = False) -> str:
    """``value`` checked by the field rules of domain.limits; InvalidInput naming ``what``."""
    try:
        return check_line(value, limit) if line else check_text(value, limit)
    except LimitError as exc:
        raise InvalidInput(f"{what} {exc}") from None
