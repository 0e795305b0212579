"""The AI-system profiles of assessments (table ``system_profiles``, schema 0010)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.system_profile import SystemProfile
from app.persistence.rows import SystemProfileRow


class SystemProfileRepository:
    """Reads and writes profiles in the caller's unit of work (an ORM session)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, assessment_id: int) -> SystemProfile:
        """The assessment's profile; an empty one when none was stored.

        Raises pydantic.ValidationError when the stored JSON is not a valid profile (a
        database edited outside the app)."""
        row = self.session.get(SystemProfileRow, assessment_id)
        return SystemProfile() if row is None else SystemProfile.model_validate(row.profile)

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, SystemProfile]:
        """The stored profiles of these assessments (absent ids: none stored)."""
        rows = self.session.scalars(
            select(SystemProfileRow).where(SystemProfileRow.assessment_id.in_(assessment_ids))
        )
        return {r.assessment_id: SystemProfile.model_validate(r.profile) for r in rows}

    def put(self, assessment_id: int, profile: SystemProfile) -> None:
        """Store ``profile`` (an empty profile removes the row: nothing to keep)."""
        if profile.is_empty:
            self.session.execute(
                delete(SystemProfileRow).where(SystemProfileRow.assessment_id == assessment_id)
            )
            return
        data = profile.model_dump(mode="json")
        row = self.session.get(SystemProfileRow, assessment_id)
        if row is None:
            self.session.add(SystemProfileRow(assessment_id=assessment_id, profile=data))
        else:
            row.profile = data
