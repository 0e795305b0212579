"""The AI-system profile kept with each assessment and carried to the next cycle: risk tier,
intended use, lifecycle stage (deployment status), model type and vendor, data categories and
affected populations; the vocabularies of its controlled fields and where they come from.

Sources of the vocabularies:

- Lifecycle stage: the AI lifecycle stages of NIST AI 100-1 (AI RMF 1.0), Figures 2 and 3
  (modified there from OECD 2022): "Plan and Design" … "Operate and Monitor", verbatim;
  "Retired" is the app's own addition for systems taken out of use (the RMF's GOVERN 1.7
  covers their decommissioning).
- Risk tier: the app's own three levels. The AI RMF defines no tiers; what each level means is
  the organisation's own risk tolerance (MAP 1.5: "Organizational risk tolerances are
  determined and documented.").
- The other fields are free text (the context MAP 1.1 asks to document: intended purposes,
  users, impacts on individuals and communities).
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from app.domain.assessment import _Model
from app.domain.limits import NAME_MAX, SHORT_TEXT_MAX, TEXT_MAX, check_unique

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
MAX_TAGS = 50


class RiskTier(enum.StrEnum):
    """The app's own tiers (see the module docstring); their meaning is the organisation's."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class LifecycleStage(enum.StrEnum):
    """NIST AI 100-1 Figures 2-3 lifecycle stages (verbatim labels), plus the app's "Retired"."""

    PLAN_AND_DESIGN = "plan_and_design"
    COLLECT_AND_PROCESS_DATA = "collect_and_process_data"
    BUILD_AND_USE_MODEL = "build_and_use_model"
    VERIFY_AND_VALIDATE = "verify_and_validate"
    DEPLOY_AND_USE = "deploy_and_use"
    OPERATE_AND_MONITOR = "operate_and_monitor"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    LifecycleStage.PLAN_AND_DESIGN: "Plan and Design",
    LifecycleStage.COLLECT_AND_PROCESS_DATA: "Collect and Process Data",
    LifecycleStage.BUILD_AND_USE_MODEL: "Build and Use Model",
    LifecycleStage.VERIFY_AND_VALIDATE: "Verify and Validate",
    LifecycleStage.DEPLOY_AND_USE: "Deploy and Use",
    LifecycleStage.OPERATE_AND_MONITOR: "Operate and Monitor",
    LifecycleStage.RETIRED: "Retired",
}

# The profile's fields in display order, with their labels (window, CLI, report, history).
PROFILE_FIELDS: tuple[tuple[str, str], ...] = (
    ("risk_tier", "Risk tier"),
    ("intended_use", "Intended use"),
    ("deployment_status", "Lifecycle stage"),
    ("model_type", "Model type"),
    ("model_vendor", "Model vendor"),
    ("data_categories", "Data categories"),
    ("affected_populations", "Affected populations"),
)


class SystemProfile(_Model):
    """What the organisation keeps on record about the AI system (every field optional).

    ``data_categories`` and ``affected_populations`` are lists of short free-text tags, kept in
    the order given, without duplicates (case-insensitive) or blanks.
    """

    risk_tier: RiskTier | None = None
    intended_use: Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)] = ""
    deployment_status: LifecycleStage | None = None
    model_type: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=SHORT_TEXT_MAX)
    ] = ""
    model_vendor: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=SHORT_TEXT_MAX)
    ] = ""
    data_categories: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    affected_populations: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)

    @field_validator("risk_tier", "deployment_status", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("data_categories", "affected_populations")
    @classmethod
    def _unique_tags(cls, value: list[str]) -> list[str]:
        check_unique((v.casefold() for v in value), "an entry")
        return value

    @property
    def is_empty(self) -> bool:
        return self == SystemProfile()

    def field_text(self, name: str) -> str:
        """One field as text: the label of a controlled value, tags joined by "; " ("" when
        unset). The form history entries, the dashboard and the CLI show."""
        value = getattr(self, name)
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(value)
        if isinstance(value, RiskTier | LifecycleStage):
            return value.label
        return str(value)


def split_tags(text: str) -> list[str]:
    """Tags typed as one line: separated by ";" or "," or new lines, blanks dropped."""
    parts = text.replace("\n", ";").replace(",", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


def parse_choice(enum_type: type[RiskTier] | type[LifecycleStage], text: str) -> object:
    """A controlled value typed by a person (its value or label, any case; "" for none).

    Raises ValueError naming the choices when ``text`` is none of them.
    """
    wanted = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
    if not wanted or wanted == "none":
        return None
    for member in enum_type:
        if wanted in (member.value.replace("_", " "), member.label.casefold()):
            return member
    choices = ", ".join(m.value for m in enum_type)
    raise ValueError(f"{text!r} is not one of: {choices}")
