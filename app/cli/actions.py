"""``airmf action`` commands: add, list, update and remove remediation actions.

Every change is recorded in the assessment's history (``action:<uid>:<field>``) and refused
on a finalized assessment. An action is named by its id as ``airmf action list`` prints it
(the first 8 hex digits of its uid; any unique prefix of 4 or more, or the whole uid).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.args import assessment_id
from app.cli.output import table
from app.domain.actions import RemediationAction
from app.domain.days import format_day
from app.services.actions import (
    SHORT_ID,
    ActionFilter,
    ActionService,
    ListedAction,
    parse_priority,
    parse_status,
)
from app.services.context import ServiceContext
from app.services.errors import InvalidInput

STATUS_CHOICES = "planned, in_progress, done, risk_accepted"
PRIORITY_CHOICES = "high, medium, low"


def action_json(listed: ListedAction) -> dict[str, Any]:
    """One action as ``--json`` prints it (every stored field, plus function and overdue)."""
    data = listed.action.model_dump(mode="json")
    data["id"] = listed.action.uid[:SHORT_ID]
    data["function"] = listed.function
    data["overdue"] = listed.overdue
    return data


def _describe(action: RemediationAction) -> str:
    due = f", due {format_day(action.due_date)}" if action.due_date else ""
    owner = f", owner {action.owner}" if action.owner else ""
    return f"{action.status.label}, {action.priority.label.lower()} priority{owner}{due}"


def _evidence(ctx: ServiceContext, args: argparse.Namespace, subcategory: str) -> dict[str, Any]:
    if args.evidence is None:
        return {}
    return {"evidence": ActionService(ctx).evidence_refs(args.id, subcategory, args.evidence)}


# Option -> action field, for the options add and update share.
_FIELDS = (
    ("description", "description"),
    ("owner", "owner"),
    ("due", "due_date"),
    ("priority", "priority"),
    ("notes", "notes"),
)
_UPDATE_ONLY = (("title", "title"), ("status", "status"), ("rationale", "rationale"))


def _given(args: argparse.Namespace, fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The action fields whose options were given (an empty value clears a field)."""
    return {key: getattr(args, name) for name, key in fields if getattr(args, name) is not None}


def cmd_action_add(ctx: ServiceContext, args: argparse.Namespace) -> int:
    values = _given(args, _FIELDS)
    values.update(_evidence(ctx, args, args.subcategory))
    action = ActionService(ctx).add(
        args.id,
        args.subcategory,
        title=args.title or "",
        suggestion=args.from_suggestion,
        **values,
    )
    print(f"{action.subcategory_id}: action {action.uid[:SHORT_ID]} added: {action.title}")
    return 0


def cmd_action_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    filters = ActionFilter(
        owner=args.owner,
        statuses=tuple(parse_status(s) for s in args.status or ()),
        priorities=tuple(parse_priority(p) for p in args.priority or ()),
        overdue=args.overdue,
        function=args.function,
    )
    if args.ics or args.output is not None:
        return _list_ics(ctx, args, filters)
    listed = ActionService(ctx).listed(args.id, args.subcategory, filters)
    if args.json:
        print(json.dumps([action_json(x) for x in listed], indent=2, ensure_ascii=False))
        return 0
    if not listed:
        print(
            "No actions match."
            if any(
                (args.owner is not None, args.status, args.priority, args.overdue, args.function)
            )
            else 'No actions yet. Add one with: airmf action add ID SUBCATEGORY --title "..."'
        )
        return 0
    rows = [
        [
            x.action.uid[:SHORT_ID],
            x.action.subcategory_id,
            x.action.status.label + (" (overdue)" if x.overdue else ""),
            x.action.priority.label,
            x.action.owner or "–",
            format_day(x.action.due_date),
            x.action.title + (" [carried over]" if x.action.carried_over else ""),
        ]
        for x in listed
    ]
    print(table(rows, ["ID", "SUBCATEGORY", "STATUS", "PRIORITY", "OWNER", "DUE", "TITLE"]))
    return 0


def _list_ics(ctx: ServiceContext, args: argparse.Namespace, filters: ActionFilter) -> int:
    """``action list ID --ics -o F.ics``: the listed open actions' due dates as iCalendar."""
    from app.cli.args import output_target
    from app.services.interchange.ics import ActionCalendarService

    if not args.ics:
        raise InvalidInput("-o writes the due dates as iCalendar: add --ics")
    if args.output is None:
        raise InvalidInput("--ics needs the file to write: -o FILE.ics (- for standard output)")
    if args.json:
        raise InvalidInput("give --ics or --json, not both")
    path, count = ActionCalendarService(ctx).export(
        args.id, output_target(args.output), args.subcategory, filters, force=args.force
    )
    if path is not None:
        print(
            f"wrote {count} due date{'s' if count != 1 else ''} of open actions to {path}"
            + ("" if count else " (no open action matching has a due date)")
        )
    return 0


def cmd_action_update(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = ActionService(ctx)
    changes = _given(args, _UPDATE_ONLY + _FIELDS)
    if args.evidence is not None:
        current = service.get(args.id, args.action_id)
        changes.update(_evidence(ctx, args, current.subcategory_id))
    if not changes:
        raise InvalidInput("Nothing to change: give at least one option (airmf action update -h)")
    action = service.update(args.id, args.action_id, **changes)
    print(f"{action.subcategory_id}: action {action.uid[:SHORT_ID]} — {_describe(action)}")
    return 0


def cmd_action_remove(ctx: ServiceContext, args: argparse.Namespace) -> int:
    action = ActionService(ctx).remove(args.id, args.action_id)
    print(f"{action.subcategory_id}: action {action.uid[:SHORT_ID]} removed: {action.title}")
    return 0


def _evidence_numbers(text: str) -> list[int]:
    """argparse type of ``--evidence 1,3``: evidence item numbers (from 1); "" links none."""
    if not text.strip():
        return []
    out = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= 10_000:
            raise argparse.ArgumentTypeError(
                f"{part[:20]!r} is not an evidence number (as `airmf evidence list` prints them)"
            )
        out.append(int(part))
    return out


def _fields(parser: argparse.ArgumentParser, *, update: bool) -> None:
    parser.add_argument("--description", help="what is to be done")
    parser.add_argument("--owner", help="who is responsible (empty to clear)")
    parser.add_argument("--due", metavar="YYYY-MM-DD", help="due date (empty to clear)")
    parser.add_argument("--priority", metavar="P", help=f"one of {PRIORITY_CHOICES}")
    parser.add_argument("--notes", help="milestone notes")
    parser.add_argument(
        "--evidence",
        type=_evidence_numbers,
        metavar="N[,N...]",
        help="link the subcategory's evidence items with these numbers (as `airmf evidence "
        "list` prints them)" + ("; empty to unlink all" if update else ""),
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``action add|list|update|remove``."""
    act = sub.add_parser("action", help="remediation actions: the plan of action and milestones")
    act_sub = act.add_subparsers(dest="action_command", required=True, metavar="ACTION")

    add = act_sub.add_parser("add", help="plan an action for one subcategory")
    add.add_argument("id", type=assessment_id, help="assessment id")
    add.add_argument("subcategory", help='official id, e.g. "GOVERN 1.1" (or GV-1.1)')
    add.add_argument("--title", help="what the action is (default: the suggestion's text)")
    add.add_argument(
        "--from-suggestion",
        metavar="REF",
        help="create it from a suggested action: playbook:N (the Nth Playbook suggested "
        "action) or an AI 600-1 action id such as GV-1.1-001; the reference is kept",
    )
    _fields(add, update=False)
    add.set_defaults(handler=cmd_action_add)

    lst = act_sub.add_parser("list", help="the actions of an assessment, filtered")
    lst.add_argument("id", type=assessment_id, help="assessment id")
    lst.add_argument("subcategory", nargs="?", help="only this subcategory")
    lst.add_argument("--owner", help="only this owner (case ignored; empty: no owner)")
    lst.add_argument(
        "--status",
        action="append",
        metavar="S",
        help=f"only this status ({STATUS_CHOICES}); repeat for several",
    )
    lst.add_argument(
        "--priority", action="append", metavar="P", help=f"only this priority ({PRIORITY_CHOICES})"
    )
    lst.add_argument(
        "--overdue",
        action="store_true",
        help="only open actions due before today (your local calendar day)",
    )
    lst.add_argument("--function", metavar="F", help="only this function (GOVERN, MAP, ...)")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.add_argument(
        "--ics",
        action="store_true",
        help="write the due dates of the listed open actions as an iCalendar file (-o FILE.ics)",
    )
    lst.add_argument(
        "-o", "--output", metavar="FILE.ics", help="with --ics: the file (- for standard output)"
    )
    lst.add_argument(
        "--force", action="store_true", help="with --ics: replace an existing file of another kind"
    )
    lst.set_defaults(handler=cmd_action_list)

    upd = act_sub.add_parser("update", help="change an action (status, owner, due date, ...)")
    upd.add_argument("id", type=assessment_id, help="assessment id")
    upd.add_argument("action_id", help="the action's id, as `airmf action list` prints it")
    upd.add_argument("--title", help="a new title")
    upd.add_argument("--status", metavar="S", help=f"one of {STATUS_CHOICES}")
    upd.add_argument(
        "--rationale", help="why the risk is accepted (needed for --status risk_accepted)"
    )
    _fields(upd, update=True)
    upd.set_defaults(handler=cmd_action_update)

    rm = act_sub.add_parser("remove", help="remove an action (the history keeps its record)")
    rm.add_argument("id", type=assessment_id, help="assessment id")
    rm.add_argument("action_id", help="the action's id, as `airmf action list` prints it")
    rm.set_defaults(handler=cmd_action_remove)
