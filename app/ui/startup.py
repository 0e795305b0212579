"""Open the services at start-up, and recover from an unusable database with the user's choice."""

from __future__ import annotations

from collections.abc import Callable

from app.config.paths import resolve
from app.persistence.backups import list_backups
from app.services.backups import restore_backup
from app.services.bootstrap import open_services
from app.services.context import ServiceContext
from app.services.errors import ServiceError
from app.ui.dialogs.messages import show_error
from app.ui.dialogs.restore_backup import RestoreBackupDialog
from app.ui.dialogs.startup_problem import Choice, ask_other_database, ask_startup_problem


def open_or_recover(
    db: str | None,
    ask: Callable[[str], Choice] = ask_startup_problem,
    ask_path: Callable[[], str | None] = ask_other_database,
    choose_backup: Callable[[list, str], object | None] | None = None,
) -> ServiceContext | None:
    """Open the database; on a problem, let the user open another, restore a backup or quit.

    Returns None when the user quits. The unusable file is never modified, except by an
    explicit restore (which keeps the previous bytes beside it).
    """
    while True:
        try:
            return open_services(db)
        except ServiceError as exc:
            message = str(exc)
        choice = ask(message)
        if choice is Choice.QUIT:
            return None
        if choice is Choice.OPEN_OTHER:
            db = ask_path() or db
            continue
        location = resolve(db)
        if location.sqlite_path is None:
            continue
        found = list_backups(location.sqlite_path, location.backup_dir)
        picked = (choose_backup or _choose_backup)(found, location.display)
        if picked is None:
            continue
        try:
            restore_backup(location, picked)  # type: ignore[arg-type]
        except ServiceError as exc:
            show_error(None, "Restore failed", str(exc))  # type: ignore[arg-type]


def _choose_backup(found: list, database: str) -> object | None:  # type: ignore[type-arg]
    dialog = RestoreBackupDialog(found, database)
    return dialog.chosen() if dialog.exec() else None
