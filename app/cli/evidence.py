"""``airmf evidence`` commands: add, list and remove the evidence cited by an answer.

For automation and team mode: a file is copied into the evidence store and hashed (SHA-256)
exactly as in the window; a link is stored with its title. Every change is a saved answer edit
with its history entry.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.args import assessment_id
from app.cli.output import table
from app.domain.assessment import EvidenceItem
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput


def _item_json(
    index: int, subcategory: str, item: EvidenceItem, state: str | None
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
        "file_state": state,
    }


def cmd_evidence_add(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = AnswerService(ctx)
    title = args.title or ""
    if args.file is not None:
        answer = service.attach_file(args.id, args.subcategory, Path(args.file), title)
    else:
        answer = service.add_link(args.id, args.subcategory, title, args.link)
    added = answer.evidence[-1]
    what = f"file {added.file_name} (SHA-256 {added.sha256})" if added.is_file else added.url
    print(f"{answer.subcategory_id}: evidence {len(answer.evidence)} added: {what}")
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
    for answer in answers:
        for i, item in enumerate(answer.evidence, start=1):
            state = service.evidence_file(item)[1] if item.is_file else None
            items.append(_item_json(i, answer.subcategory_id, item, state))
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
            e["title"],
            e["url"] or f"{e['file_name']} ({e['file_state']})",
        ]
        for e in items
    ]
    print(table(rows, ["SUBCATEGORY", "#", "TITLE", "LINK OR FILE"]))
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
    ev = sub.add_parser("evidence", help="add, list or remove evidence; upkeep of its store")
    ev_sub = ev.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = ev_sub.add_parser("add", help="cite a file (copied and hashed) or a link")
    add.add_argument("id", type=id_type, help="assessment id")
    add.add_argument("subcategory", help='official id, e.g. "GOVERN 1.1" (or GV-1.1)')
    what = add.add_mutually_exclusive_group(required=True)
    what.add_argument("--file", metavar="PATH", help="a file to copy into the evidence store")
    what.add_argument("--link", metavar="URL", help="an https://, http:// or file:// link")
    add.add_argument("--title", help="what the evidence is (default: the file name or link)")
    add.set_defaults(handler=cmd_evidence_add)

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
