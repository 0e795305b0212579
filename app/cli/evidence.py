"""``airmf evidence`` commands: add, list, date and remove the evidence cited by an answer.

For automation and team mode: a file is copied into the evidence store and hashed (SHA-256)
exactly as in the window; a link is stored with its title. An item may carry the day it is as
of and the last day it holds (``--as-of``, ``--valid-until``; see app.domain.freshness). Every
change is a saved answer edit with its history entry.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.args import assessment_id
from app.cli.output import table
from app.domain.assessment import EvidenceItem
from app.domain.date_input import DATE_FORMAT_HINT, format_date
from app.domain.days import format_day
from app.domain.freshness import Freshness, freshness
from app.services.answers import KEEP, AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput


def _item_json(
    index: int, subcategory: str, item: EvidenceItem, state: str | None, fresh: Freshness
) -> dict[str, Any]:
    return {
        "index": index,
        "subcategory_id": subcategory,
        "title": item.title,
        "kind": "file" if item.is_file else "link",
        "url": item.url,
        "file_name": item.file_name,
        "sha256": item.sha256,
        "size": item.size,
        "added_at": item.added_at.isoformat() if item.added_at else None,
        "as_of": format_date(item.as_of) or None,
        "valid_until": format_date(item.valid_until) or None,
        "freshness": fresh.value,
        "file_state": state,
    }


def cmd_evidence_add(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = AnswerService(ctx)
    title = args.title or ""
    dates = {"as_of": args.as_of, "valid_until": args.valid_until}
    if args.file:
        if len(args.file) > 1 and title:
            raise InvalidInput("--title names one file: several files are titled by their names")
        files = [Path(f) for f in args.file]
        answer = service.attach_files(args.id, args.subcategory, files, title, **dates)
        added = answer.evidence[-len(files) :]
    else:
        answer = service.add_link(args.id, args.subcategory, title, args.link, **dates)
        added = answer.evidence[-1:]
    first = len(answer.evidence) - len(added) + 1
    for number, item in enumerate(added, start=first):
        what = f"file {item.file_name} (SHA-256 {item.sha256})" if item.is_file else item.url
        print(f"{answer.subcategory_id}: evidence {number} added: {what}{_dates(item)}")
    return 0


def _dates(item: EvidenceItem) -> str:
    """The item's dates for a message ("" when it has none)."""
    parts = []
    if item.as_of:
        parts.append(f"as of {format_day(item.as_of)}")
    if item.valid_until:
        parts.append(f"valid until {format_day(item.valid_until)}")
    return f" ({', '.join(parts)})" if parts else ""


def cmd_evidence_update(ctx: ServiceContext, args: argparse.Namespace) -> int:
    if args.index < 1:
        raise InvalidInput("INDEX counts from 1, as `airmf evidence list` prints it")
    if args.as_of is None and args.valid_until is None:
        raise InvalidInput("give --as-of or --valid-until (an empty value clears the date)")
    answer = AnswerService(ctx).update_evidence_dates(
        args.id,
        args.subcategory,
        args.index - 1,
        as_of=KEEP if args.as_of is None else args.as_of,
        valid_until=KEEP if args.valid_until is None else args.valid_until,
    )
    item = answer.evidence[args.index - 1]
    print(f"{answer.subcategory_id}: evidence {args.index} updated{_dates(item) or ' (no dates)'}")
    return 0


def cmd_evidence_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = AnswerService(ctx)
    if args.subcategory:
        answers = [service.get(args.id, args.subcategory)]
    else:
        assessments = AssessmentService(ctx)
        stored = assessments.answers(args.id)
        order = assessments.framework_for(assessments.get(args.id)).subcategories()
        answers = [stored[s.id] for s in order if s.id in stored and stored[s.id].evidence]
    items = []
    now = ctx.clock()
    for answer in answers:
        for i, item in enumerate(answer.evidence, start=1):
            state = service.evidence_file(item)[1] if item.is_file else None
            items.append(_item_json(i, answer.subcategory_id, item, state, freshness(item, now)))
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return 0
    if not items:
        print("No evidence yet. Add some with: airmf evidence add ID SUBCATEGORY --link URL")
        return 0
    rows = [
        [
            e["subcategory_id"],
            str(e["index"]),
            # A link without a title is titled by the link: shown once, in its own column.
            "" if e["title"] == e["url"] else e["title"],
            e["url"] or f"{e['file_name']} ({e['file_state']})",
            e["as_of"] or "–",
            e["valid_until"] or "–",
            Freshness(e["freshness"]).label,
        ]
        for e in items
    ]
    print(
        table(rows, ["SUBCATEGORY", "#", "TITLE", "LINK OR FILE", "AS OF", "VALID UNTIL", "STATE"])
    )
    return 0


def cmd_evidence_remove(ctx: ServiceContext, args: argparse.Namespace) -> int:
    if args.index < 1:
        raise InvalidInput("INDEX counts from 1, as `airmf evidence list` prints it")
    answer = AnswerService(ctx).remove_evidence(args.id, args.subcategory, args.index - 1)
    print(f"{answer.subcategory_id}: evidence {args.index} removed")
    return 0


def register(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """Add ``evidence add|list|remove``; returns the ``evidence`` actions, for other commands of
    the evidence store (``purge``, in deletion.py) to join."""
    id_type = assessment_id
    ev = sub.add_parser("evidence", help="add, list, date or remove evidence; upkeep of its store")
    ev_sub = ev.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = ev_sub.add_parser("add", help="cite a file (copied and hashed) or a link")
    add.add_argument("id", type=id_type, help="assessment id")
    add.add_argument("subcategory", help='official id, e.g. "GOVERN 1.1" (or GV-1.1)')
    what = add.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--file",
        metavar="PATH",
        action="append",
        help="a file to copy into the evidence store (repeat for several, cited in one save)",
    )
    what.add_argument("--link", metavar="URL", help="an https://, http:// or file:// link")
    add.add_argument("--title", help="what the evidence is (default: the file name or link)")
    _date_options(add)
    add.set_defaults(handler=cmd_evidence_add)

    upd = ev_sub.add_parser("update", help="change the as-of or valid-until date of an item")
    upd.add_argument("id", type=id_type, help="assessment id")
    upd.add_argument("subcategory", help='official id, e.g. "GOVERN 1.1"')
    upd.add_argument("index", type=int, help="the item's number, as `airmf evidence list` prints")
    _date_options(upd, clear=True)
    upd.set_defaults(handler=cmd_evidence_update)

    lst = ev_sub.add_parser("list", help="the evidence of one answer or of the whole assessment")
    lst.add_argument("id", type=id_type, help="assessment id")
    lst.add_argument("subcategory", nargs="?", help="only this subcategory")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.set_defaults(handler=cmd_evidence_list)

    rm = ev_sub.add_parser("remove", help="stop citing one evidence item")
    rm.add_argument("id", type=id_type, help="assessment id")
    rm.add_argument("subcategory", help='official id, e.g. "GOVERN 1.1"')
    rm.add_argument("index", type=int, help="the item's number, as `airmf evidence list` prints")
    rm.set_defaults(handler=cmd_evidence_remove)
    return ev_sub


def _date_options(parser: argparse.ArgumentParser, *, clear: bool = False) -> None:
    """``--as-of`` and ``--valid-until``, read by the one date rule (app.domain.date_input)."""
    blank = ' ("" clears it)' if clear else ""
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help=f"the day the evidence is as of, {DATE_FORMAT_HINT}{blank}",
    )
    parser.add_argument(
        "--valid-until",
        metavar="DATE",
        help=f"the last day the evidence holds, {DATE_FORMAT_HINT}{blank}",
    )
