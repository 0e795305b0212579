"""``airmf report ID -o FILE.pdf|FILE.docx [--paper a4|letter] [--label TEXT]``: the maturity
report as a PDF, or as an editable Word document when the file name ends in .docx."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.args import add_output, assessment_id, output_target
from app.domain.report import DEFAULT_LABEL, PAPERS
from app.services.context import ServiceContext
from app.services.report import ReportService


def cmd_report(ctx: ServiceContext, args: argparse.Namespace) -> int:
    def progress(percent: int, message: str) -> None:
        if args.verbose:
            print(f"{percent:3d}% {message}", file=sys.stderr)

    target = output_target(args.output)
    if isinstance(target, Path) and target.suffix.lower() == ".docx":
        from app.services.interchange.docx_export import export_docx

        path = export_docx(ctx, args.id, target, args.paper, args.label, force=args.force)
        print(f"wrote the Word report of assessment {args.id} to {path}")
        return 0
    path = ReportService(ctx).export_pdf(
        args.id, target, paper=args.paper, label=args.label, progress=progress, force=args.force
    )
    if isinstance(target, Path):
        print(f"wrote the report of assessment {args.id} to {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rep = sub.add_parser(
        "report",
        help="write the PDF (or Word .docx) maturity report of an assessment",
        description="Write the PDF maturity report of an assessment, or an editable Word "
        "document when FILE ends in .docx (atomically: a failure leaves an existing file "
        "unchanged).",
    )
    rep.add_argument("id", type=assessment_id, help="assessment id")
    add_output(rep, "FILE.pdf", "the PDF (or .docx) to write")
    rep.add_argument(
        "--paper",
        type=str.lower,
        choices=PAPERS,
        default="a4",
        help="paper size (default: a4)",
    )
    rep.add_argument(
        "--label",
        default=DEFAULT_LABEL,
        metavar="TEXT",
        help=f'confidentiality label in the header and footer (default: "{DEFAULT_LABEL}")',
    )
    rep.add_argument("--verbose", action="store_true", help="show progress on standard error")
    rep.set_defaults(handler=cmd_report)
