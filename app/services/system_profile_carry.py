"""Carrying an assessment's AI-system profile to the next cycle (the profile describes the AI
system, which the next cycle assesses again)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

if TYPE_CHECKING:
    from app.persistence.store import StoreWriting


def carry_system_profile(unit: StoreWriting, source_id: int, target_id: int) -> None:
    """Copy the profile of ``source_id`` to ``target_id`` in the caller's write unit; an
    unreadable stored profile is not carried (the next cycle starts with an empty one)."""
    from app.persistence.system_profiles import SystemProfileRepository

    repo = unit.part(SystemProfileRepository)
    try:
        profile = repo.get(source_id)
    except ValidationError:
        return
    if not profile.is_empty:
        repo.put(target_id, profile)
