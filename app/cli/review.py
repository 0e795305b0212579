"""``airmf review``: move answers through their review states, comment, list; and the roles
``airmf finalize`` takes (see ``cycles``)."""

from __future__ import annotations

import argparse
import json

from app.cli.args import assessment_id
from app.cli.output import table
from app.domain.days import format_local_time
from app.domain.review import ReviewAction, ReviewState
from app.services.context import ServiceContext
from app.services.errors import InvalidInput
from app.services.review import ReviewService


def cmd_review(ctx: ServiceContext, args: argparse.Namespace) -> int:
    reviews = ReviewService(ctx)
    if args.list:
        if args.subcategory:
            raise InvalidInput("--list lists the whole assessment: leave out the subcategory")
        state = ReviewState(args.state) if args.state else None
        lines = reviews.listing(args.id, state)
        if args.json:
            print(json.dumps([x.as_json() for x in lines], indent=2, ensure_ascii=False))
            return 0
        rows = [
            [
                x.subcategory_id,
                x.review.state.label,
                x.review.actor,
                "" if x.review.at is None else format_local_time(x.review.at, seconds=True),
                str(x.comments),
                "" if x.last_comment is None else _one_line(x.last_comment.text),
            ]
            for x in lines
        ]
        print(table(rows, ["SUBCATEGORY", "STATE", "BY", "WHEN", "COMMENTS", "LATEST COMMENT"]))
        return 0
    if not args.subcategory:
        raise InvalidInput('name the subcategory to review (e.g. "GOVERN 1.1"), or use --list')
    if args.state or args.json:
        raise InvalidInput("--state and --json go with --list")
    action = {"ready": ReviewAction.READY, "approve": ReviewAction.APPROVE}.get(args.action or "")
    if args.action == "return":
        action = ReviewAction.RETURN
    comment = args.comment or ""
    if action is None:
        if not comment.strip():
            raise InvalidInput("give one of --ready, --approve, --return --comment TEXT, or --list")
        made = reviews.comment(args.id, args.subcategory, comment)
        print(f"{made.subcategory_id}: comment added")
        return 0
    review = reviews.act(args.id, args.subcategory, action, comment)
    print(f"{review.subcategory_id}: {review.state.label.lower()}")
    return 0


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rev = sub.add_parser(
        "review",
        help="review answers: mark ready, approve, return with a comment, or list their states",
        description="Move an answer through its review states (draft -> ready for review -> "
        "reviewed, or returned with a comment), add a comment to its thread, or list the "
        "review state of every subcategory. Each change is recorded in the change history.",
    )
    rev.add_argument("id", type=assessment_id)
    rev.add_argument("subcategory", nargs="?", help='e.g. "GOVERN 1.1" or GV-1.1')
    what = rev.add_mutually_exclusive_group()
    what.add_argument(
        "--ready", dest="action", action="store_const", const="ready", help="ask for review"
    )
    what.add_argument(
        "--approve", dest="action", action="store_const", const="approve", help="mark reviewed"
    )
    what.add_argument(
        "--return",
        dest="action",
        action="store_const",
        const="return",
        help="send back to the author (needs --comment)",
    )
    what.add_argument("--list", action="store_true", help="list every subcategory's state")
    rev.add_argument("--comment", metavar="TEXT", help="a comment for the subcategory's thread")
    rev.add_argument(
        "--state", choices=[s.value for s in ReviewState], help="with --list: only this state"
    )
    rev.add_argument("--json", action="store_true", help="with --list: JSON output")
    rev.set_defaults(handler=cmd_review)
