"""``airmf`` sign-off and cycle commands: finalize, reopen, verify, next-cycle, compare, trend."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.args import assessment_id
from app.cli.output import node_json, table
from app.domain.comparison import Change, format_delta
from app.domain.days import format_day
from app.domain.numbers import format_completion, format_score
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, ServiceError
from app.services.lifecycle import (
    LifecycleService,
    ReviewScope,
    RoleInput,
    UnfinalizedSource,
)
from app.services.progress import ProgressService


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_finalize(ctx: ServiceContext, args: argparse.Namespace) -> int:
    if not (args.signer or "").strip():
        raise InvalidInput("finalizing needs the approver's name: --approver NAME (or --signer)")
    if not (args.role or "").strip():
        raise InvalidInput("finalizing needs the approver's role: --role TEXT")
    roles = {
        kind: RoleInput(
            name, getattr(args, f"{kind}_role") or "", getattr(args, f"{kind}_statement") or ""
        )
        for kind in ("assessor", "reviewer")
        if (name := getattr(args, kind)) is not None
    }
    for kind in ("assessor", "reviewer"):
        if kind not in roles and (
            getattr(args, f"{kind}_role") or getattr(args, f"{kind}_statement")
        ):
            raise InvalidInput(f"--{kind}-role and --{kind}-statement need --{kind} NAME")
    life = LifecycleService(ctx)
    a = life.finalize(
        args.id,
        args.signer,
        args.role,
        args.statement or "",
        assessor=roles.get("assessor"),
        reviewer=roles.get("reviewer"),
        relax_four_eyes=args.four_eyes,
    )
    print(f"finalized assessment {a.id} ({a.name}); fingerprint {a.fingerprint}")
    block = life.signoff(a.id)
    for r in block.roles:
        title = f" ({r.title})" if r.title else ""
        print(f"  {r.kind.label}: {r.name}{title}")
    if block.four_eyes_relaxed:
        print("  four-eyes rule relaxed: the approver may have made the last change to an answer")
    try:  # after the commit: a failure to read it must not report the sign-off as failed
        open_work = life.open_work(a.id)
    except ServiceError:
        open_work = []
    if open_work:  # as the finalize dialog says before signing
        print(f"  signed off while still open: {'; '.join(open_work)}")
    return 0


def cmd_reopen(ctx: ServiceContext, args: argparse.Namespace) -> int:
    a = LifecycleService(ctx).reopen(args.id, args.reason)
    print(f"reopened assessment {a.id} ({a.name}) for edits; the sign-off was cleared")
    return 0


def cmd_verify(ctx: ServiceContext, args: argparse.Namespace) -> int:
    if getattr(args, "report", None):
        return _verify_report(ctx, args.id, args.report)
    v = LifecycleService(ctx).verify(args.id)
    head = f"history head: {v.head.text()} (compare with the copy in the signed report)"
    if not v.finalized:
        print(
            f"assessment {args.id} is a draft: there is no signed-off fingerprint to verify "
            f"(current fingerprint {v.actual})"
        )
        for problem in v.problems():
            print(f"- integrity problem: {problem}")
        _print_freshness(ctx, args.id)
        print(head)
        return 1
    if v.matches:
        covers = (
            "the stored answers match the signed-off fingerprint (signed off before this "
            "version: it covers the answers only, not the history or the signer)"
            if v.legacy
            else "the stored answers, history and sign-off match the signed-off fingerprint"
        )
        print(f"assessment {args.id} verifies: {covers} {v.stored}; evidence files intact")
        _print_freshness(ctx, args.id)
        print(head)
        return 0
    print(f"assessment {args.id} does NOT verify:")
    for problem in v.problems():
        print(f"- {problem}")
    _print_freshness(ctx, args.id)
    print(head)
    return 1


def _verify_report(ctx: ServiceContext, assessment_id: int, path: Path) -> int:
    """``verify ID --report FILE.pdf``: 0 when the report matches the stored assessment."""
    from app.services.report_check import check_report

    c = check_report(ctx, assessment_id, path)
    if c.altered:
        print(
            f"{path} was altered: its embedded export gives the fingerprint {c.embedded}, "
            f"not the {c.printed} the report states"
        )
        return 1
    if c.matches:
        print(
            f"{path} matches assessment {assessment_id}: report fingerprint {c.current} "
            "(assessment, answers, evidence hashes, history head and sign-off unchanged)"
        )
        return 0
    print(
        f"{path} does NOT match assessment {assessment_id} as stored now: the report has "
        f"fingerprint {c.embedded}, the assessment now gives {c.current}"
    )
    for line in c.differences:
        print(f"- {line}")
    return 1


def _print_freshness(ctx: ServiceContext, assessment_id: int) -> None:
    """Expired and expiring evidence and unsupported ratings, today: reported beside the
    integrity check, not part of it (the exit status stays the check's)."""
    from app.services.freshness import FreshnessService

    summary = FreshnessService(ctx).summary(assessment_id)
    if summary.clear:
        print("evidence: none expired or expiring; no unsupported rating")
    for line in summary.lines():
        print(f"- evidence: {line}")


def cmd_next_cycle(ctx: ServiceContext, args: argparse.Namespace) -> int:
    try:
        created = LifecycleService(ctx).start_next_cycle(args.id, args.name, from_draft=args.force)
    except UnfinalizedSource as exc:
        raise InvalidInput(
            f"{exc}; finalize it first, or repeat with --force to start from the draft"
        ) from exc
    print(created.id)
    return 0


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def cmd_review_carried(ctx: ServiceContext, args: argparse.Namespace) -> int:
    """Mark carried-over answers reviewed: named ones at once, wider scopes with --yes."""
    scope = ReviewScope(
        subcategories=tuple(args.subcategory),
        categories=tuple(args.category or ()),
        functions=tuple(args.function or ()),
        everything=args.all,
    )
    if scope.is_empty:
        raise InvalidInput(
            "name what to mark reviewed: SUBCATEGORY, --category ID, --function ID or --all"
        )
    life = LifecycleService(ctx)
    pending = life.unreviewed(args.id, scope)
    if not pending:
        print(f"assessment {args.id}: no carried-over answer left to review in that scope")
        return 0
    # Naming subcategories one by one is intent enough; a category, a function or everything
    # confirms answers the user may not have looked at, so it is confirmed explicitly.
    if (scope.categories or scope.functions or scope.everything) and not args.yes:
        raise InvalidInput(
            f"this marks {_count(len(pending), 'carried-over answer', 'carried-over answers')} "
            f"of assessment {args.id} reviewed as they are ({', '.join(pending)}); "
            "repeat with --yes to confirm"
        )
    marked = life.mark_reviewed(args.id, pending)
    print(
        f"marked {_count(len(marked), 'answer', 'answers')} reviewed: {', '.join(marked)}"
        if marked
        else f"assessment {args.id}: no carried-over answer left to review in that scope"
    )
    return 0


def _delta_json(d) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = lambda v: None if v is None else round(v, 4)  # noqa: E731
    return {
        "id": d.id,
        "kind": d.kind,
        "before": r(d.before),
        "after": r(d.after),
        "state_before": d.state_before,
        "state_after": d.state_after,
        "delta": r(d.delta),
        "change": d.change.value,
    }


def cmd_compare(ctx: ServiceContext, args: argparse.Namespace) -> int:
    comp = ProgressService(ctx).compare(args.id_a, args.id_b)
    deltas = comp.deltas
    if args.only == "changes":
        deltas = [d for d in deltas if d.kind != "subcategory" or d.change.is_change]
    elif args.only == "regressions":
        deltas = [d for d in deltas if d.kind != "subcategory" or d.change is Change.REGRESSED]
    if args.json:
        _print_json(
            {
                "before": {"id": comp.before.id, "name": comp.before.name},
                "after": {"id": comp.after.id, "name": comp.after.name},
                "nodes": [_delta_json(d) for d in deltas],
            }
        )
        return 0
    rows = []
    for d in deltas:
        delta = format_delta(d.delta)
        before = format_score(d.before) if d.before is not None else d.state_before
        after = format_score(d.after) if d.after is not None else d.state_after
        rows.append([d.id, before, after, delta, d.change.value])
    print(f"{comp.before.name} (#{comp.before.id}) -> {comp.after.name} (#{comp.after.id})")
    print(table(rows, ["NODE", "BEFORE", "AFTER", "DELTA", "CHANGE"]))
    return 0


def cmd_trend(ctx: ServiceContext, args: argparse.Namespace) -> int:
    points = ProgressService(ctx).trend(args.system, include_copies=args.include_copies)
    if args.json:
        _print_json(
            {
                "ai_system": args.system,
                "cycles": [
                    {
                        "id": p.assessment.id,
                        "name": p.assessment.name,
                        "created_at": p.assessment.created_at.isoformat(),
                        "status": p.assessment.status.value,
                        "origin": p.assessment.origin.value,
                        "overall": node_json(p.overall),
                        "functions": [node_json(f) for f in p.overall.children],
                    }
                    for p in points
                ],
            }
        )
        return 0
    functions = [f.id for f in points[0].overall.children]
    rows = [
        [
            str(p.assessment.id),
            format_day(p.assessment.created_at),
            p.assessment.status.value,
            format_score(p.overall.score),
            *(format_score(f.score) for f in p.overall.children),
            format_completion(p.overall.completion, p.overall.unreviewed),
        ]
        for p in points
    ]
    print(table(rows, ["ID", "DATE", "STATUS", "OVERALL", *functions, "COMPLETE"]))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    fin = sub.add_parser("finalize", help="sign off an assessment and lock it read-only")
    fin.add_argument("id", type=assessment_id)
    fin.add_argument(
        "--approver",
        "--signer",
        dest="signer",
        metavar="NAME",
        help="the approver, who signs off and locks the assessment (--signer: the same)",
    )
    fin.add_argument(
        "--role", "--approver-role", dest="role", metavar="TEXT", help="the approver's role"
    )
    fin.add_argument(
        "--statement", "--approver-statement", dest="statement", help="the approver's statement"
    )
    for kind in ("assessor", "reviewer"):
        fin.add_argument(f"--{kind}", metavar="NAME", help=f"the {kind}, signing beside them")
        fin.add_argument(f"--{kind}-role", metavar="TEXT", help=f"the {kind}'s role")
        fin.add_argument(f"--{kind}-statement", metavar="TEXT", help=f"the {kind}'s statement")
    eyes = fin.add_mutually_exclusive_group()
    eyes.add_argument(
        "--relax-four-eyes",
        dest="four_eyes",
        action="store_const",
        const=True,
        help="let the approver be the person who made the last change to an answer "
        "(recorded in the history and the sign-off)",
    )
    eyes.add_argument(
        "--require-four-eyes",
        dest="four_eyes",
        action="store_const",
        const=False,
        help="require four eyes again (the default) if the assessment relaxed it",
    )
    fin.set_defaults(handler=cmd_finalize)
    reo = sub.add_parser("reopen", help="reopen a finalized assessment for edits (recorded)")
    reo.add_argument("id", type=assessment_id)
    reo.add_argument("--reason", required=True)
    reo.set_defaults(handler=cmd_reopen)
    ver = sub.add_parser(
        "verify", help="check the answers, history and evidence files against the sign-off"
    )
    ver.add_argument("id", type=assessment_id)
    ver.add_argument(
        "--report",
        type=Path,
        metavar="FILE.pdf",
        help="check this PDF report instead: whether it still matches the stored assessment, "
        "and what differs (exit 0 match, 1 differs)",
    )
    ver.set_defaults(handler=cmd_verify)
    nxt = sub.add_parser("next-cycle", help="start the next cycle with answers carried over")
    nxt.add_argument("id", type=assessment_id)
    nxt.add_argument("--name")
    nxt.add_argument(
        "--force", action="store_true", help="start from a draft that was never finalized"
    )
    nxt.set_defaults(handler=cmd_next_cycle)
    rev = sub.add_parser(
        "review-carried",
        help="mark carried-over answers reviewed as they are (one history entry each)",
    )
    rev.add_argument("id", type=int)
    rev.add_argument(
        "subcategory", nargs="*", metavar="SUBCATEGORY", help='e.g. "GOVERN 1.1" or GV-1.1'
    )
    rev.add_argument("--category", action="append", metavar="ID", help='e.g. "MAP 1"')
    rev.add_argument("--function", action="append", metavar="ID", help="e.g. GOVERN")
    rev.add_argument("--all", action="store_true", help="every carried-over answer")
    rev.add_argument("--yes", action="store_true", help="confirm a category, function or --all")
    rev.set_defaults(handler=cmd_review_carried)
    cmp_ = sub.add_parser("compare", help="compare two assessments of the same framework")
    cmp_.add_argument("id_a", type=assessment_id)
    cmp_.add_argument("id_b", type=assessment_id)
    cmp_.add_argument("--only", choices=["changes", "regressions"])
    cmp_.add_argument("--json", action="store_true")
    cmp_.set_defaults(handler=cmd_compare)
    tr = sub.add_parser("trend", help="scores of one AI system across its cycles")
    tr.add_argument("--system", required=True, metavar="NAME")
    tr.add_argument("--json", action="store_true")
    tr.add_argument(
        "--include-copies",
        action="store_true",
        help="also list copies (duplicates, re-imports) and the sample, which are not cycles",
    )
    tr.set_defaults(handler=cmd_trend)
