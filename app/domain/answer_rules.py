"""Rules that make an answer valid for an assessment's framework and rating scheme."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.assessment import Answer
from app.domain.framework import Framework
from app.domain.rating import RatingScheme

RATING_FIELDS = ("metrics", "level")


class InvalidAnswer(ValueError):
    """An answer that breaks a rule; the message names the field and the problem."""


def consequences(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a change sets besides the ones it names (field -> value).

    Choosing N/A clears the rating, choosing a rating clears N/A, and any change that does not
    say otherwise confirms an answer carried over from an earlier cycle (it was looked at).
    The store applies these, and the window predicts with them what a save will store, so
    that an undo can put back every field the save touched.
    """
    derived: dict[str, Any] = {}
    if changes.get("not_applicable") is True and not set(RATING_FIELDS) & changes.keys():
        derived["metrics"], derived["level"] = {}, None
    chose_rating = bool(changes.get("metrics")) or changes.get("level") is not None
    if chose_rating and "not_applicable" not in changes:
        derived["not_applicable"] = False
    if "carried_over" not in changes:
        derived["carried_over"] = False
    return derived


def normalize_metrics(scheme: RatingScheme, metrics: dict[str, str]) -> dict[str, str]:
    """Map metric values given by code or name ("m", "Medium") to the scheme's codes.

    Raises InvalidAnswer for an unknown metric or a value outside the metric's options.
    """
    known = {m.id: m for m in scheme.metrics}
    out: dict[str, str] = {}
    for key, value in metrics.items():
        metric = known.get(key)
        if metric is None:
            raise InvalidAnswer(
                f"unknown metric {key!r} for the {scheme.name} scheme "
                f"(expected: {', '.join(known)})"
            )
        option = metric.option(str(value))
        if option is None:
            codes = "/".join(o.code for o in metric.options)
            raise InvalidAnswer(f"{metric.name}: {value!r} is not one of {codes}")
        out[key] = option.code
    return {m: out[m] for m in known if m in out}


def validate_answer(framework: Framework, scheme: RatingScheme, answer: Answer) -> Answer:
    """Check an answer against the framework and scheme; return it with metrics normalised."""
    if not framework.has_subcategory(answer.subcategory_id):
        raise InvalidAnswer(f"unknown subcategory {answer.subcategory_id!r} in {framework.name}")
    if answer.not_applicable:
        if not answer.na_rationale.strip():
            raise InvalidAnswer("not applicable needs a rationale")
        if answer.metrics or answer.level is not None:
            raise InvalidAnswer("a not-applicable answer cannot also carry a rating")
    if scheme.kind == "metrics":
        if answer.level is not None:
            raise InvalidAnswer(f"the {scheme.name} scheme rates metrics, not a direct level")
        metrics = normalize_metrics(scheme, answer.metrics)
        if metrics and len(metrics) != len(scheme.metrics):
            missing = [m.name for m in scheme.metrics if m.id not in metrics]
            raise InvalidAnswer(f"a rating needs every metric; missing: {', '.join(missing)}")
        answer = answer.model_copy(update={"metrics": metrics})
    elif answer.metrics:
        raise InvalidAnswer(f"the {scheme.name} scheme takes a level 1-5, not metrics")
    guidance = framework.subcategory(answer.subcategory_id).guidance
    n_actions = len(guidance.suggested_actions) if guidance else 0
    bad = [i for i in answer.actions_in_place if not 0 <= i < n_actions]
    if bad:
        raise InvalidAnswer(
            f"actions_in_place: {bad} outside the {n_actions} suggested actions of "
            f"{answer.subcategory_id}"
        )
    if len(set(answer.actions_in_place)) != len(answer.actions_in_place):
        raise InvalidAnswer("actions_in_place: an action is listed twice")
    genai = answer.genai_actions_in_place
    if genai:
        # Keyed by the action's stable id (not a list position), as the profile numbers them.
        known = {
            a.id
            for p in framework.profiles
            for a in p.actions
            if a.subcategory == answer.subcategory_id
        }
        unknown = [a for a in genai if a not in known]
        if unknown:
            raise InvalidAnswer(
                f"genai_actions_in_place: {', '.join(unknown)} is not an AI 600-1 action of "
                f"{answer.subcategory_id}"
            )
        genai = sorted(set(genai))
    return answer.model_copy(
        update={
            "actions_in_place": sorted(answer.actions_in_place),
            "genai_actions_in_place": genai,
        }
    )


def answer_score(scheme: RatingScheme, answer: Answer | None) -> int | None:
    """The 1..5 score of one answer, or None when it is unanswered or not applicable."""
    if answer is None or not answer.is_rated:
        return None
    if scheme.kind == "direct":
        return answer.level
    if len(answer.metrics) != len(scheme.metrics):
        return None
    points = 0
    for metric in scheme.metrics:
        option = metric.option(answer.metrics[metric.id])
        if option is None:
            return None
        points += option.points
    return scheme.points_to_score(points)
