"""Editing an assessment after it was created: its details (name, AI system, organisation,
scope, assessor, default target, GenAI risks) and its AI-system profile, with one history entry
per changed field in the assessment's hash chain.

History entries about the assessment use ``ASSESSMENT_EVENT`` in place of a subcategory id (as
sign-off and reopening do); the field is the detail's name (``name``, ``ai_system``, …,
``genai_risks``) or ``system:<profile field>``. Each stores its old text as well as the new one
(the value at creation is not in the history, so it cannot be derived as for answers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from app.domain.assessment import Assessment, AssessmentMeta, HistoryEntry
from app.domain.history import ASSESSMENT_EVENT, GENESIS, chain
from app.domain.system_profile import PROFILE_FIELDS, SystemProfile
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound
from app.services.validation import describe_validation_error

GENAI_PROFILE = "nist-ai-600-1"
SYSTEM_PREFIX = "system:"  # history field of a profile field: "system:risk_tier"
# The details an edit may change, in the order their history entries are written.
DETAIL_FIELDS: tuple[str, ...] = (
    "name",
    "ai_system",
    "organization",
    "scope",
    "assessor",
    "default_target",
    "genai_risks",
)
DETAIL_LABELS: dict[str, str] = {
    "name": "Name",
    "ai_system": "AI system",
    "organization": "Organisation",
    "scope": "Scope",
    "assessor": "Assessor",
    "default_target": "Default target",
    "genai_risks": "GenAI risks",
}


@dataclass(frozen=True)
class AssessmentEdit:
    """What an edit changes; None leaves a detail as it is.

    ``genai_risks``: the GenAI Profile's risks that apply (ids of NIST AI 600-1 risks); a list
    turns the profile on with those risks, ``genai_off=True`` turns it off. ``system``: profile
    fields to change (field name -> value, as ``SystemProfile`` takes it; others are kept).
    """

    name: str | None = None
    ai_system: str | None = None
    organization: str | None = None
    scope: str | None = None
    assessor: str | None = None
    default_target: int | None = None
    genai_risks: list[str] | None = None
    genai_off: bool = False
    system: Mapping[str, object] | None = None


@dataclass(frozen=True)
class EditResult:
    """The assessment and profile after the edit, and the history fields it changed (empty:
    nothing differed, nothing was written)."""

    assessment: Assessment
    profile: SystemProfile
    changed: tuple[str, ...]


def field_label(field: str) -> str:
    """How a person reads an assessment-level history field (``system:risk_tier`` -> "AI
    system: Risk tier"); unknown fields are returned as they are."""
    if field.startswith(SYSTEM_PREFIX):
        name = field[len(SYSTEM_PREFIX) :]
        labels = dict(PROFILE_FIELDS)
        return f"AI system: {labels[name]}" if name in labels else field
    return DETAIL_LABELS.get(field, field)


def _genai_text(meta: AssessmentMeta) -> str:
    for sel in meta.profiles:
        if sel.profile_id == GENAI_PROFILE:
            return ", ".join(sel.risks) if sel.risks else "on, no risk ticked"
    return ""


def _detail_texts(meta: AssessmentMeta) -> dict[str, str]:
    texts = {f: str(getattr(meta, f)) for f in DETAIL_FIELDS if f != "genai_risks"}
    texts["genai_risks"] = _genai_text(meta)
    return texts


def _profile_texts(profile: SystemProfile) -> dict[str, str]:
    return {f"{SYSTEM_PREFIX}{name}": profile.field_text(name) for name, _label in PROFILE_FIELDS}


class AssessmentEditor:
    """Edits an assessment's details and AI-system profile (see the module docstring)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def profile(self, assessment_id: int) -> SystemProfile:
        """The assessment's AI-system profile (empty when never filled in).

        Raises NotFound for an unknown id, InvalidInput when the stored profile is unreadable."""
        from app.persistence.system_profiles import SystemProfileRepository

        with self.ctx.reading() as unit:
            if unit.assessments.get(assessment_id) is None:
                raise NotFound(f"there is no assessment with id {assessment_id}")
            try:
                return unit.part(SystemProfileRepository).get(assessment_id)
            except ValidationError as exc:
                raise InvalidInput(
                    f"assessment {assessment_id}: the stored AI-system profile is not valid: "
                    f"{describe_validation_error(exc)}"
                ) from exc

    def _merged(
        self, current: Assessment, stored: SystemProfile, edit: AssessmentEdit
    ) -> tuple[AssessmentMeta, SystemProfile]:
        data = current.model_dump(include=set(AssessmentMeta.model_fields))
        for name in ("name", "ai_system", "organization", "scope", "assessor", "default_target"):
            value = getattr(edit, name)
            if value is not None:
                data[name] = value
        if edit.genai_off and edit.genai_risks:
            raise InvalidInput("give the GenAI risks or turn the GenAI Profile off, not both")
        others = [p for p in data["profiles"] if p["profile_id"] != GENAI_PROFILE]
        if edit.genai_off:
            data["profiles"] = others
        elif edit.genai_risks is not None:
            risks = list(dict.fromkeys(r.strip() for r in edit.genai_risks if r.strip()))
            data["profiles"] = [*others, {"profile_id": GENAI_PROFILE, "risks": risks}]
        meta = self.assessments.validate_meta(data)  # InvalidInput naming the field
        profile = stored
        if edit.system:
            known = {name for name, _label in PROFILE_FIELDS}
            unknown = sorted(set(edit.system) - known)
            if unknown:
                raise InvalidInput(
                    f"the AI-system profile has no field {unknown[0]!r} "
                    f"(fields: {', '.join(n for n, _ in PROFILE_FIELDS)})"
                )
            try:
                profile = SystemProfile.model_validate({**stored.model_dump(), **dict(edit.system)})
            except ValidationError as exc:
                raise InvalidInput("AI-system profile: " + describe_validation_error(exc)) from exc
        return meta, profile

    def edit(self, assessment_id: int, edit: AssessmentEdit) -> EditResult:
        """Apply ``edit`` in one transaction: the details, the profile and one history entry
        per changed field (old and new text, the current actor, the clock's time).

        Raises NotFound (unknown id), AssessmentLocked (finalized: reopen it first) or
        InvalidInput (a value the create dialog would refuse, an unknown GenAI risk or profile
        field); nothing is written then. An edit that changes nothing writes nothing.
        """
        from app.persistence.system_profiles import SystemProfileRepository

        now = self.ctx.clock()
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            repo = unit.assessments
            current = repo.get(assessment_id)
            if current is None:
                raise NotFound(f"there is no assessment with id {assessment_id}")
            self.assessments.ensure_editable(current)
            profiles = unit.part(SystemProfileRepository)
            try:
                stored = profiles.get(assessment_id)
            except ValidationError:
                stored = SystemProfile()  # unreadable: replaced by what the edit gives
            meta, profile = self._merged(current, stored, edit)
            before = {**_detail_texts(current), **_profile_texts(stored)}
            after = {**_detail_texts(meta), **_profile_texts(profile)}
            changed = [f for f in after if after[f] != before[f]]
            if not changed:
                return EditResult(current, stored, ())
            entries = [
                HistoryEntry(
                    subcategory_id=ASSESSMENT_EVENT,
                    field=f,
                    old=before[f],
                    new=after[f],
                    actor=self.ctx.actor,
                    at=now,
                )
                for f in changed
            ]
            count, head = current.history_count, current.history_head
            chained = chain(entries, head if count else GENESIS, count + 1)
            if any(not f.startswith(SYSTEM_PREFIX) for f in changed):
                repo.update_meta(assessment_id, meta, now)
            else:
                repo.touch(assessment_id, now)
            if profile != stored:
                profiles.put(assessment_id, profile)
            unit.history.append(assessment_id, chained)
        return EditResult(self.assessments.get(assessment_id), profile, tuple(changed))
