"""Carrying an assessment's AI-system profile to a new assessment: the next cycle (the profile
describes the AI system, which the next cycle assesses again) and a copy. The one place both
go through, so both record the carried profile in the new assessment's history alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from app.domain.assessment import HistoryEntry
from app.domain.history import ASSESSMENT_EVENT, GENESIS, chain

if TYPE_CHECKING:
    import datetime as dt

    from app.persistence.store import StoreWriting


def carry_system_profile(
    unit: StoreWriting, source_id: int, target_id: int, actor: str, now: dt.datetime
) -> None:
    """Copy the profile of ``source_id`` to the new assessment ``target_id`` in ``unit``'s
    transaction, with one history entry per filled-in field in the new assessment's chain
    (field named as ``airmf assessment edit`` names it, the value as shown, by ``actor`` at
    ``now``), appended after what the chain holds already. An unreadable stored profile is
    not carried (the new assessment starts with an empty one); an empty one adds nothing."""
    # Imported here: scoring and listing (the CLI's one-command processes) need neither.
    from app.domain.system_profile import PROFILE_FIELDS
    from app.persistence.system_profiles import SystemProfileRepository
    from app.services.assessment_edit import SYSTEM_PREFIX

    profiles = unit.part(SystemProfileRepository)
    try:
        profile = profiles.get(source_id)
    except ValidationError:
        return
    if profile.is_empty:
        return
    profiles.put(target_id, profile)
    entries = [
        HistoryEntry(
            subcategory_id=ASSESSMENT_EVENT,
            field=SYSTEM_PREFIX + field,
            new=text,
            actor=actor,
            at=now,
        )
        for field, _label in PROFILE_FIELDS
        if (text := profile.field_text(field))
    ]
    found = unit.assessments.get_with_history_head(target_id)
    head = None if found is None else found[1]
    prev, seq = (head[1], head[0] + 1) if head else (GENESIS, 1)
    unit.history.append(target_id, chain(entries, prev, seq))
