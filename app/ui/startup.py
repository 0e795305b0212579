"""Open the services at start-up, and recover from an unusable database with the user's choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.services.bootstrap import open_services
from app.services.errors import ServiceError

if TYPE_CHECKING:
    from app.services.context import ServiceContext
    from app.ui.dialogs.startup_problem import Choice


def open_or_recover(
    db: str | None,
    ask: Callable[[str], Choice] | None = None,
    ask_path: Callable[[], str | None] | None = None,
    choose_backup: Callable[[list, str], object | None] | None = None,
) -> ServiceContext | None:
    """Open the database; on a problem, let the user open another, restore a backup or quit.

    Returns None when the user quits. The unusable file is never modified, except by an
    explicit restore (which keeps the previous bytes beside it). By default ``ask`` is the
    start-up problem box, ``ask_path`` a file dialog and ``choose_backup`` the restore dialog.
    """
    while True:
        try:
            return open_services(db)
        except ServiceError as exc:
            message = str(exc)
        # Only now: a normal start does not load the recovery dialogs and backup modules.
        from app.config.paths import resolve
        from app.persistence.backups import list_backups
        from app.services.backups import restore_backup
        from app.ui.dialogs.messages import show_error
        from app.ui.dialogs.startup_problem import Choice, ask_other_database, ask_startup_problem

        choice = (ask or ask_startup_problem)(message)
        if choice is Choice.QUIT:
            return None
        if choice is Choice.OPEN_OTHER:
            db = (ask_path or ask_other_database)() or db
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
    from app.ui.dialogs.restore_backup import RestoreBackupDialog

    dialog = RestoreBackupDialog(found, database)
    return dialog.chosen() if dialog.exec() else None
