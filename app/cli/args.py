"""Argument types and helpers shared by the ``airmf`` commands: ids, output targets, times."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import BinaryIO

from app.domain.limits import LimitError, check_id

STDOUT = "-"


def assessment_id(text: str) -> int:
    """argparse type of an id: ASCII digits, 1..2^63-1 (what SQLite stores); else usage error."""
    try:
        return check_id(text)
    except LimitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_output(parser: argparse.ArgumentParser, metavar: str, help_text: str) -> None:
    """``-o FILE`` (``-`` is standard output) and ``--force``, the same on every writer."""
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar=metavar,
        help=f"{help_text} (- for standard output)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file of another kind (the app's own database, backups and "
        "evidence are never replaced)",
    )


def output_target(text: str) -> Path | BinaryIO:
    """The path to write, or standard output's binary stream for ``-``."""
    if text == STDOUT:
        sys.stdout.flush()  # keep text printed earlier ahead of the bytes
        return sys.stdout.buffer
    return Path(text)
