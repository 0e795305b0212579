"""Entry point of the window (``airmf-gui``, ``python -m app``): arguments, logging, the UI."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="airmf-gui", description="AI RMF Assessor")
    parser.add_argument("--db", help="database path or SQLAlchemy URL (default: $AIRMF_DB)")
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from app.ui.application import run  # Qt is imported only once arguments are understood

    return run(db=args.db, qt_args=qt_args)


if __name__ == "__main__":
    sys.exit(main())
