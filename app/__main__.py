"""Entry point of the window (``airmf-gui``, ``python -m app``): arguments, logging, the UI."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


def _load_non_qt_layers() -> None:
    """Import the services (Pydantic, the catalog, the domain) before Qt.

    Once PySide6 is imported, its ``__feature__`` import hook reads the source of every module
    imported after it (to see whether it mentions PySide6): loading these first takes tens of
    milliseconds off start-up. SQLAlchemy is not among them: reopening the last assessment
    reads it on the sqlite3 driver, and SQLAlchemy is loaded on first use, after the first
    screen (app.persistence.database).
    """
    import app.services.answers
    import app.services.bootstrap
    import app.services.scoring  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="airmf-gui", description="AI RMF Assessor")
    parser.add_argument("--db", help="database path or SQLAlchemy URL (default: $AIRMF_DB)")
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin chatter is not news
    from app.config.redact import RedactingFilter

    for handler in logging.getLogger().handlers:  # no password in any log line
        handler.addFilter(RedactingFilter())
    _load_non_qt_layers()
    from app.ui.application import run  # Qt is imported only once arguments are understood

    return run(db=args.db, qt_args=qt_args)


if __name__ == "__main__":
    sys.exit(main())
