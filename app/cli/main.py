"""``airmf``: create, answer, score, export and import assessments from a terminal or a script.

Exit codes: 0 success, 1 refused input or an unusable database/file (one message on stderr,
nothing written), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.cli import cycles, data, evidence, report
from app.cli.output import node_line, score_json, summary_json, table
from app.domain.rating import format_score
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService, AssessmentSummary
from app.services.bootstrap import open_services
from app.services.bundle import BundleService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, ServiceError
from app.services.exchange import ExchangeService
from app.services.scoring import ScoringService

Handler = Callable[[ServiceContext, argparse.Namespace], int]


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# -- handlers ---------------------------------------------------------------------------------
def cmd_frameworks_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    rows = []
    for f in ctx.catalog.frameworks():
        subs = len(f.subcategories())
        profiles = ", ".join(p.id for p in f.profiles) or "–"
        rows.append([f.id, f.name, f.version, str(subs), profiles])
    print(table(rows, ["ID", "NAME", "VERSION", "SUBCATEGORIES", "PROFILES"]))
    print()
    print(table([[s.id, s.name] for s in ctx.catalog.schemes()], ["SCHEME", "NAME"]))
    return 0


def cmd_assessment_create(ctx: ServiceContext, args: argparse.Namespace) -> int:
    meta: dict[str, Any] = {
        "name": args.name,
        "framework_id": args.framework,
        "scheme_id": args.scheme,
        "default_target": args.target,
        "organization": args.organization or "",
        "scope": args.scope or "",
        "assessor": args.assessor if args.assessor is not None else ctx.actor,
    }
    if args.system:
        meta["ai_system"] = args.system
    if args.genai or args.risk:
        meta["profiles"] = [{"profile_id": "nist-ai-600-1", "risks": args.risk or []}]
    created = AssessmentService(ctx).create(meta)
    print(created.id)
    return 0


def cmd_assessment_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    summaries = AssessmentService(ctx).list()
    if args.json:
        _print_json([summary_json(s) for s in summaries])
        return 0
    if not summaries:
        print("No assessments yet. Create one with: airmf assessment create --name NAME")
        return 0
    rows = [_summary_row(s) for s in summaries]
    print(table(rows, ["ID", "NAME", "AI SYSTEM", "STATUS", "SCORE", "COMPLETE", "UPDATED"]))
    return 0


def _summary_row(s: AssessmentSummary) -> list[str]:
    a, o = s.assessment, s.overall
    score = f"{format_score(o.score)} {o.level_name}".strip()
    return [
        str(a.id),
        a.name,
        a.ai_system,
        a.status.value,
        score,
        f"{o.completion:.0%}",
        a.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
    ]


def cmd_assessment_delete(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = AssessmentService(ctx)
    a = service.get(args.id)
    if not args.yes:
        raise InvalidInput(
            f"deleting assessment {a.id} ({a.name}) removes all its answers and history; "
            "repeat with --yes to confirm"
        )
    service.delete(args.id)
    print(f"deleted assessment {a.id} ({a.name})")
    return 0


def cmd_answer(ctx: ServiceContext, args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    metrics = {
        "coverage": args.coverage,
        "robustness": args.robustness,
        "input_diversity": args.diversity,
    }
    given = {k: v for k, v in metrics.items() if v is not None}
    if args.na:
        if given or args.level is not None:
            raise InvalidInput("--na cannot be combined with a rating")
        if not (args.rationale or "").strip():
            raise InvalidInput("--na needs --rationale TEXT explaining why it does not apply")
        changes.update(not_applicable=True, na_rationale=args.rationale)
    elif given:
        if len(given) != 3:
            missing = [
                f"--{'diversity' if k == 'input_diversity' else k}"
                for k in metrics
                if k not in given
            ]
            raise InvalidInput(
                f"a rubric rating needs all three metrics; missing {', '.join(missing)}"
            )
        changes["metrics"] = given
    elif args.level is not None:
        changes["level"] = args.level
    if args.notes is not None:
        changes["notes"] = args.notes
    if args.target is not None:
        changes["target"] = args.target
    if args.owner is not None:
        changes["owner"] = args.owner
    if args.due is not None:
        try:
            changes["due_date"] = dt.date.fromisoformat(args.due) if args.due else None
        except ValueError:
            raise InvalidInput(f"--due {args.due!r}: use a date such as 2027-03-31") from None
    if args.flag is not None:
        changes["flagged"] = args.flag
    if not changes:
        raise InvalidInput("nothing to record: give a rating, --na, --notes or --target")
    answer = AnswerService(ctx).record(args.id, args.subcategory, **changes)
    tree = ScoringService(ctx).score(args.id)
    node = tree.find(answer.subcategory_id)
    assert node is not None
    state = (
        "not applicable"
        if answer.not_applicable
        else (
            f"{format_score(node.score)} {node.level_name}".strip() if node.score else "not rated"
        )
    )
    print(f"{answer.subcategory_id}: {state}")
    return 0


def cmd_score(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = AssessmentService(ctx)
    assessment = service.get(args.id)
    tree = ScoringService(ctx).score(args.id)
    summary = AssessmentSummary(assessment, tree)
    if args.json:
        _print_json(score_json(summary, tree))
        return 0
    print(f"{assessment.name} — {assessment.ai_system} ({assessment.scheme_id} scheme)")
    print(node_line(tree))
    for f in tree.children:
        print(node_line(f, 2))
        for c in f.children:
            print(node_line(c, 4))
    return 0


def cmd_export(ctx: ServiceContext, args: argparse.Namespace) -> int:
    if args.format == "bundle":
        path = BundleService(ctx).export_bundle(args.id, Path(args.output))
    else:
        path = ExchangeService(ctx).export_json(args.id, Path(args.output))
    print(f"exported assessment {args.id} to {path}")
    return 0


def cmd_import(ctx: ServiceContext, args: argparse.Namespace) -> int:
    print(ExchangeService(ctx).import_file(Path(args.file)))
    return 0


def cmd_history(ctx: ServiceContext, args: argparse.Namespace) -> int:
    entries = AnswerService(ctx).history(args.id, args.subcategory)
    if args.json:
        _print_json([e.model_dump(mode="json") for e in entries])
        return 0
    rows = [
        [
            str(e.seq),
            e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.subcategory_id,
            e.field,
            _clip(e.old),
            _clip(e.new),
        ]
        for e in entries
    ]
    print(table(rows, ["#", "WHEN", "WHO", "SUBCATEGORY", "FIELD", "OLD", "NEW"]))
    return 0


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_history_verify(ctx: ServiceContext, args: argparse.Namespace) -> int:
    broken = AnswerService(ctx).verify_history(args.id)
    if broken is None:
        count = len(AnswerService(ctx).history(args.id))
        print(f"history of assessment {args.id} verifies ({count} entries)")
        return 0
    print(
        f"history of assessment {args.id} is broken at entry {broken.seq} "
        f"({broken.subcategory_id}, {broken.field}, {broken.at.isoformat()})",
        file=sys.stderr,
    )
    return 1


# -- parser -----------------------------------------------------------------------------------
def _level(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a level 1-5") from None
    if not 1 <= value <= 5:
        raise argparse.ArgumentTypeError(f"{value} is not a level 1-5")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="airmf",
        description="Assess an AI system against the NIST AI RMF 1.0 from the command line.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument(
        "--db",
        help="database path or SQLAlchemy URL (default: $AIRMF_DB or the "
        "file in your data directory)",
    )
    p.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="the name recorded in the change history (default: $AIRMF_ACTOR or your user name)",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fw = sub.add_parser("frameworks", help="frameworks and rating schemes")
    fw_sub = fw.add_subparsers(dest="action", required=True, metavar="ACTION")
    fw_sub.add_parser("list", help="list frameworks, profiles and schemes").set_defaults(
        handler=cmd_frameworks_list
    )

    asm = sub.add_parser("assessment", help="create, list and delete assessments")
    asm_sub = asm.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = asm_sub.add_parser("create", help="create an assessment and print its id")
    create.add_argument("--name", required=True)
    create.add_argument("--system", help="the AI system assessed")
    create.add_argument("--framework", default="nist-ai-rmf-1.0")
    create.add_argument("--scheme", default="rubric", help="rubric (default) or direct")
    create.add_argument("--target", type=_level, default=3, help="default target level 1-5 (3)")
    create.add_argument("--organization")
    create.add_argument("--scope")
    create.add_argument("--assessor", help="default: your user name")
    create.add_argument(
        "--genai",
        action="store_true",
        help="enable the Generative AI Profile (NIST AI 600-1) overlay",
    )
    create.add_argument(
        "--risk",
        action="append",
        metavar="RISK_ID",
        help="a GenAI risk that applies (repeatable; implies --genai)",
    )
    create.set_defaults(handler=cmd_assessment_create)
    lst = asm_sub.add_parser("list", help="list assessments")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_assessment_list)
    dele = asm_sub.add_parser("delete", help="delete an assessment, its answers and history")
    dele.add_argument("id", type=int)
    dele.add_argument("--yes", action="store_true", help="confirm")
    dele.set_defaults(handler=cmd_assessment_delete)

    ans = sub.add_parser("answer", help="rate one subcategory (or mark it not applicable)")
    ans.add_argument("id", type=int, help="assessment id")
    ans.add_argument("subcategory", help='official id, e.g. "GOVERN 1.1" or GV-1.1')
    for name in ("coverage", "robustness", "diversity"):
        ans.add_argument(f"--{name}", metavar="L|M|H", help=f"rubric: {name} Low/Medium/High")
    ans.add_argument("--level", type=_level, help="direct scheme: level 1-5")
    ans.add_argument("--na", action="store_true", help="not applicable (needs --rationale)")
    ans.add_argument("--rationale", help="why the subcategory does not apply")
    ans.add_argument("--notes")
    ans.add_argument("--target", type=_level, help="target level for this subcategory")
    ans.add_argument("--owner")
    ans.add_argument("--due", metavar="YYYY-MM-DD", help="due date ('' clears it)")
    ans.add_argument(
        "--flag",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="flag (or --no-flag unflag) for review",
    )
    ans.set_defaults(handler=cmd_answer)

    sc = sub.add_parser("score", help="scores, completion and gaps of an assessment")
    sc.add_argument("id", type=int)
    sc.add_argument("--json", action="store_true")
    sc.set_defaults(handler=cmd_score)

    ex = sub.add_parser("export", help="write an assessment to a file")
    ex.add_argument("id", type=int)
    ex.add_argument(
        "--format",
        choices=["json", "bundle"],
        default="json",
        help="json (default) or bundle: a zip with the JSON and the attached evidence files",
    )
    ex.add_argument("-o", "--output", required=True, metavar="FILE")
    ex.set_defaults(handler=cmd_export)

    im = sub.add_parser("import", help="read an exported assessment; prints the new id")
    im.add_argument("file")
    im.set_defaults(handler=cmd_import)

    hist = sub.add_parser(
        "history",
        help="the change history of an assessment",
        usage="airmf history ID [SUBCATEGORY] [--json] | airmf history verify ID",
    )
    hist.add_argument("target", metavar="ID|verify")
    hist.add_argument("rest", nargs="*", metavar="SUBCATEGORY|ID")
    hist.add_argument("--json", action="store_true")
    hist.set_defaults(handler=cmd_history)
    cycles.register(sub)
    report.register(sub)
    data.register(sub)
    evidence.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.handler is cmd_history:
        _history_args(parser, args)
    return _run(args)


def _history_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Split ``history ID [SUB]`` from ``history verify ID``."""
    words = [args.target, *args.rest]
    if words[0] == "verify":
        if len(words) != 2 or not words[1].isdigit():
            parser.error("usage: airmf history verify ID")
        args.id, args.subcategory, args.handler = int(words[1]), None, cmd_history_verify
        return
    if not words[0].isdigit() or len(words) > 2:
        parser.error("usage: airmf history ID [SUBCATEGORY] [--json]")
    args.id = int(words[0])
    args.subcategory = words[1] if len(words) == 2 else None


def _run(args: argparse.Namespace) -> int:
    try:
        ctx = open_services(args.db)
    except ServiceError as exc:
        print(f"airmf: {exc}", file=sys.stderr)
        return 1
    try:
        if getattr(args, "actor", None):
            ctx.choose_actor(args.actor)
        return int(args.handler(ctx, args))
    except ServiceError as exc:
        print(f"airmf: {exc}", file=sys.stderr)
        return 1
    finally:
        ctx.db.dispose()


if __name__ == "__main__":
    sys.exit(main())
