"""``airmf assessment edit``: change an assessment's details and AI-system profile after it was
created (each changed field is recorded in the change history)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.args import assessment_id
from app.domain.system_profile import LifecycleStage, RiskTier, parse_choice, split_tags

if TYPE_CHECKING:
    from app.services.context import ServiceContext


def _choice(enum_type: type[RiskTier] | type[LifecycleStage]) -> Any:
    def parse(text: str) -> object:
        try:
            return parse_choice(enum_type, text) or ""
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _target(text: str) -> int:
    if text.strip() not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(f"{text!r} is not a level from 1 to 5")
    return int(text)


# Profile options: (option, SystemProfile field, argparse type, help).
_PROFILE_OPTIONS: tuple[tuple[str, str, Any, str], ...] = (
    (
        "--risk-tier",
        "risk_tier",
        _choice(RiskTier),
        "low, medium or high (the app's own tiers; their meaning is your organisation's "
        'risk tolerance, MAP 1.5); "" clears it',
    ),
    ("--intended-use", "intended_use", str, "what the AI system is for (MAP 1.1)"),
    (
        "--lifecycle-stage",
        "deployment_status",
        _choice(LifecycleStage),
        "the deployment status as an AI RMF lifecycle stage: plan_and_design, "
        "collect_and_process_data, build_and_use_model, verify_and_validate, deploy_and_use, "
        'operate_and_monitor, or retired; "" clears it',
    ),
    ("--model-type", "model_type", str, "e.g. gradient-boosted trees, LLM"),
    ("--model-vendor", "model_vendor", str, "who supplies the model (or in-house)"),
    (
        "--data-categories",
        "data_categories",
        split_tags,
        'data the system uses, separated by ";" or ","; "" clears them',
    ),
    (
        "--affected-populations",
        "affected_populations",
        split_tags,
        'people the system affects, separated by ";" or ","; "" clears them',
    ),
)


def register(actions: Any) -> None:
    """Add ``edit`` to the ``assessment`` command's actions (an argparse subparsers object)."""
    edit = actions.add_parser(
        "edit",
        help="change an assessment's details and AI-system profile (recorded in its history)",
        description="Change what is given; everything else stays. A finalized assessment is "
        "read-only: reopen it first.",
    )
    edit.add_argument("id", type=assessment_id)
    edit.add_argument("--name")
    edit.add_argument("--system", help="the AI system assessed")
    edit.add_argument("--organization")
    edit.add_argument("--scope")
    edit.add_argument("--assessor")
    edit.add_argument("--default-target", type=_target, metavar="N", help="level 1-5")
    genai = edit.add_mutually_exclusive_group()
    genai.add_argument(
        "--genai-risks",
        type=split_tags,
        metavar="RISK_IDS",
        help='the GenAI Profile (NIST AI 600-1) risks that apply, separated by ","; turns the '
        "profile on (ids: airmf frameworks list)",
    )
    genai.add_argument("--no-genai", action="store_true", help="turn the GenAI Profile off")
    for option, _field, kind, text in _PROFILE_OPTIONS:
        edit.add_argument(option, type=kind, help=text)
    edit.set_defaults(handler=cmd_assessment_edit)


def cmd_assessment_edit(ctx: ServiceContext, args: argparse.Namespace) -> int:
    from app.services.assessment_edit import AssessmentEdit, AssessmentEditor, field_label

    system = {
        field: getattr(args, option[2:].replace("-", "_"))
        for option, field, _kind, _text in _PROFILE_OPTIONS
        if getattr(args, option[2:].replace("-", "_")) is not None
    }
    for field in ("risk_tier", "deployment_status"):
        if system.get(field) == "":
            system[field] = None
    result = AssessmentEditor(ctx).edit(
        args.id,
        AssessmentEdit(
            name=args.name,
            ai_system=args.system,
            organization=args.organization,
            scope=args.scope,
            assessor=args.assessor,
            default_target=args.default_target,
            genai_risks=args.genai_risks,
            genai_off=args.no_genai,
            system=system or None,
        ),
    )
    a = result.assessment
    if not result.changed:
        print(f"assessment {a.id} ({a.name}): nothing changed")
    else:
        changed = ", ".join(field_label(f) for f in result.changed)
        print(f"assessment {a.id} ({a.name}): changed {changed}")
    return 0
