"""Sign-off and cycles: finalize (locks, fingerprints), reopen with a reason, verify, next cycle."""

from __future__ import annotations

import uuid

from pydantic import ValidationError

from app.domain.assessment import Assessment, AssessmentMeta, HistoryEntry, Status
from app.domain.exchange import SignOff, sealed_fingerprint
from app.domain.history import ASSESSMENT_EVENT, GENESIS, ChainHead, chain, signoff_text
from app.persistence.repositories import (
    AnswerRepository,
    AssessmentRepository,
    HistoryRepository,
)
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound
from app.services.integrity import EvidenceProblem, IntegrityService, Verification
from app.services.validation import describe_validation_error

__all__ = ["ASSESSMENT_EVENT", "EvidenceProblem", "LifecycleService", "Verification"]


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
        """See ``IntegrityService.verify``."""
        return IntegrityService(self.ctx).verify(assessment_id, files=files)

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
