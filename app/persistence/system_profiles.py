"""The AI-system profiles of assessments (table ``system_profiles``, schema 0010)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select, update

from app.domain.system_profile import SystemProfile
from app.persistence.rows import SystemProfileRow

_PROFILES = SystemProfileRow.__table__


class SystemProfileRepository:
    """Reads and writes profiles with Core statements in the caller's unit of work (its
    ``connection``)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, assessment_id: int) -> SystemProfile:
        """The assessment's profile; an empty one when none was stored.

        Raises pydantic.ValidationError when the stored JSON is not a valid profile (a
        database edited outside the app)."""
        row = self.connection.execute(
            select(_PROFILES.c.profile).where(_PROFILES.c.assessment_id == assessment_id)
        ).first()
        return SystemProfile() if row is None else SystemProfile.model_validate(row.profile)

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, SystemProfile]:
        """The stored profiles of these assessments (absent ids: none stored)."""
        rows = self.connection.execute(
            select(_PROFILES.c.assessment_id, _PROFILES.c.profile).where(
                _PROFILES.c.assessment_id.in_(list(assessment_ids))
            )
        )
        return {aid: SystemProfile.model_validate(profile) for aid, profile in rows}

    def put(self, assessment_id: int, profile: SystemProfile) -> None:
        """Store ``profile`` (an empty profile removes the row: nothing to keep)."""
        where = _PROFILES.c.assessment_id == assessment_id
        if profile.is_empty:
            self.connection.execute(delete(_PROFILES).where(where))
            return
        data = profile.model_dump(mode="json")
        done = self.connection.execute(update(_PROFILES).where(where).values(profile=data))
        if not done.rowcount:
            self.connection.execute(
                insert(_PROFILES).values(assessment_id=assessment_id, profile=data)
            )
