"""``airmf export --format xlsx|csv|oscal`` and ``airmf import FILE --into ID [--dry-run]``:
the spreadsheet and OSCAL interchange of the command line (issue 16)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.args import output_target
from app.services.errors import InvalidInput

if TYPE_CHECKING:  # the parser is built for every command: import the services only when run
    from app.services.context import ServiceContext

FORMATS = ("xlsx", "csv", "oscal")


def add_export_options(parser: argparse.ArgumentParser) -> None:
    """The subset options of a respondent workbook (``--function``, ``--owner``)."""
    parser.add_argument(
        "--function",
        metavar="ID",
        help="xlsx/csv: only the subcategories of one function (GOVERN or GV, MAP, ...)",
    )
    parser.add_argument(
        "--owner",
        metavar="NAME",
        help="xlsx/csv: only the subcategories this owner answers (a respondent workbook)",
    )


def add_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--into",
        type=_id,
        metavar="ID",
        help="apply a workbook (.xlsx) or OSCAL assessment-results (.json) to assessment ID",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --into: show every field that would change, write nothing",
    )


def _id(text: str) -> int:
    from app.cli.args import assessment_id

    return assessment_id(text)


def cmd_export(ctx: ServiceContext, args: argparse.Namespace) -> int:
    """Export in one of FORMATS; prints where it wrote."""
    from app.services.interchange.service import InterchangeService
    from app.services.interchange.table import Subset

    subset = Subset(function=args.function or "", owner=args.owner or "")
    if args.format == "oscal":
        from app.services.interchange.oscal import OscalService

        if args.function or args.owner:
            raise InvalidInput("--function and --owner apply to xlsx and csv, not oscal")
        if args.output == "-":
            raise InvalidInput("--format oscal writes several files: give a folder with -o DIR")
        written = OscalService(ctx).export(args.id, Path(args.output), force=args.force)
        for path in written:
            print(f"wrote {path}")
        return 0
    target = output_target(args.output)
    service = InterchangeService(ctx)
    if args.format == "csv" and isinstance(target, Path):
        # Two files: the questionnaire and, beside it, the actions (csv_paths names them).
        written = service.export_csv_pair(args.id, target, subset, force=args.force)
        print(f"exported assessment {args.id} ({subset.describe()}) to {written[0]}")
        print(f"exported its remediation actions to {written[1]}")
        return 0
    if args.format == "xlsx":
        path = service.export_xlsx(args.id, target, subset, force=args.force)
    else:  # csv to standard output: the questionnaire only
        path = service.export_csv(args.id, target, subset, force=args.force)
    if path is not None:
        print(f"exported assessment {args.id} ({subset.describe()}) to {path}")
    return 0


def cmd_import_into(ctx: ServiceContext, args: argparse.Namespace) -> int:
    """Preview (and unless --dry-run apply) a workbook or OSCAL results into ``--into``."""
    from app.services.interchange.service import InterchangeService

    source = Path(args.file)
    if source.suffix.lower() == ".json":
        from app.services.interchange.oscal import OscalService

        plan = OscalService(ctx).preview_results(args.into, source)
        service = InterchangeService(ctx)
    else:
        service = InterchangeService(ctx)
        plan = service.preview(args.into, source)
    for line in plan.lines():
        print(line)
    applicable, conflicts = len(plan.applicable), len(plan.conflicts)
    if args.dry_run:
        print(
            f"dry run: {applicable} field(s) would change, {conflicts} conflict(s); nothing "
            "was written"
        )
        return 0
    service.apply(plan)
    print(f"changed {applicable} field(s) of assessment {args.into} from {source.name}")
    if conflicts:
        print(
            f"{conflicts} field(s) changed in the app since the export were not overwritten "
            "(CONFLICT above): settle them in the app",
            file=sys.stderr,
        )
    return 0
