"""``airmf assessment delete`` and ``airmf evidence purge``: what goes is said before and after.

Deleting needs ``--yes``; deleting a finalized assessment, or one a later cycle builds on, also
needs ``--confirm-name NAME`` with its exact name.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence

from app.services.assessments import AssessmentService, DeletePlan
from app.services.context import ServiceContext
from app.services.errors import InvalidInput
from app.services.evidence import Cleanup, EvidenceService, StoredFile


def _files(files: list[StoredFile]) -> str:
    return ", ".join(f.label for f in files)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def _them(items: Sequence[object]) -> str:
    return "it" if len(items) == 1 else "them"


def plan_text(plan: DeletePlan) -> str:
    """What deleting loses, in the words of the CLI."""
    a = plan.assessment
    lines = [
        f"deleting assessment {a.id} ({a.name}) removes {_plural(plan.answers, 'answer')} and "
        f"its change history ({_plural(plan.history, 'entry', 'entries')})"
    ]
    if plan.why_confirm:
        lines.append(f"it {plan.why_confirm}")
    lines.extend(_cleanup_lines(plan.files, "would be removed", plan.shared))
    return "\n".join(lines)


def _cleanup_lines(c: Cleanup, verb: str, shared: Sequence[str] = ()) -> list[str]:
    lines = []
    if c.removed:
        lines.append(
            f"{_plural(len(c.removed), 'evidence file')} {verb} from the store: {_files(c.removed)}"
        )
    if c.kept_for_backups:
        lines.append(
            f"{_plural(len(c.kept_for_backups), 'evidence file')} kept because a backup (or "
            f"another database beside it) cites {_them(c.kept_for_backups)}: "
            f"{_files(c.kept_for_backups)}; `airmf evidence purge` removes "
            f"{_them(c.kept_for_backups)} once nothing cites {_them(c.kept_for_backups)}"
        )
    if shared:
        lines.append(
            f"{_plural(len(shared), 'evidence file')} kept because other assessments cite "
            f"{_them(shared)}: " + ", ".join(shared)
        )
    if c.problem:
        lines.append(c.problem)
    return lines


def cmd_assessment_delete(ctx: ServiceContext, args: argparse.Namespace) -> int:
    service = AssessmentService(ctx)
    plan = service.delete_plan(args.id)
    name = plan.assessment.name
    needs_name = bool(plan.why_confirm)
    if not args.yes or (needs_name and args.confirm_name != name):
        how = "--yes" + (f" --confirm-name {_quoted(name)}" if needs_name else "")
        if args.yes and args.confirm_name is not None:
            how = f"--confirm-name with the exact name {_quoted(name)}"
        raise InvalidInput(f"{plan_text(plan)}\nnothing was deleted; repeat with {how} to confirm")
    done = service.delete(args.id, confirm_name=args.confirm_name)
    print(f"deleted assessment {args.id} ({name})")
    for line in _cleanup_lines(done, "removed", plan.shared):
        print(line)
    return 0


def _quoted(name: str) -> str:
    return shlex.quote(name)


def cmd_evidence_purge(ctx: ServiceContext, args: argparse.Namespace) -> int:
    done = EvidenceService(ctx).purge(dry_run=args.dry_run)
    verb = "would be removed" if args.dry_run else "removed"
    lines = _cleanup_lines(done, verb)
    if done.stale_temp:
        lines.append(
            f"{_plural(len(done.stale_temp), 'interrupted copy', 'interrupted copies')} {verb}"
        )
    if not lines:
        lines = ["every file in the evidence store is cited; nothing to remove"]
    print("\n".join(lines))
    return 1 if done.problem else 0


def register(ev_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``purge`` to the ``evidence`` actions (evidence.register makes them)."""
    pg = ev_sub.add_parser(
        "purge",
        help="remove stored evidence files that no answer and no backup cites, listing them",
    )
    pg.add_argument("--dry-run", action="store_true", help="list what would go; remove nothing")
    pg.set_defaults(handler=cmd_evidence_purge)
