"""``airmf backup`` commands: list, create and restore backups of the SQLite database, and undo
the last restore. ``list`` and ``restore`` work without opening the database, so that a database
that cannot be opened can still be recovered."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import table
from app.config.paths import DataLocation
from app.persistence.backups import Backup
from app.services import backups as backup_service
from app.services.backups import BackupService
from app.services.context import ServiceContext


def _rows(found: list[Backup]) -> list[list[str]]:
    return [
        [b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.kind, f"{b.size / 1024:.0f} KB", str(b.path)]
        for b in found
    ]


def cmd_backup_list(location: DataLocation, args: argparse.Namespace) -> int:
    found = backup_service.list_backups(location)
    if not found:
        print(f"No backups yet in {location.backup_dir}. Make one with: airmf backup create")
        return 0
    print(table(_rows(found), ["TAKEN", "KIND", "SIZE", "FILE"]))
    return 0


def cmd_backup_create(ctx: ServiceContext, args: argparse.Namespace) -> int:
    print(BackupService(ctx).create().path)
    return 0


def cmd_backup_restore(location: DataLocation, args: argparse.Namespace) -> int:
    if args.undo:
        restored, safety = backup_service.undo_last_restore(location)
        print(f"undid the last restore: put back {restored.path} into {location.display}")
    else:
        safety = backup_service.restore_backup(location, Path(args.file))
        print(f"restored {args.file} into {location.display}")
    if safety is not None:
        print(
            f"the previous content was kept as {safety.path}; "
            "`airmf backup restore --undo` puts it back"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup list|create|restore``. Handlers run with an open database (``handler``)
    or with only the resolved location (``without_database``)."""
    bk = sub.add_parser("backup", help="list, create or restore database backups")
    bk_sub = bk.add_subparsers(dest="action", required=True, metavar="ACTION")
    bk_sub.add_parser("list", help="backups of the database, newest first").set_defaults(
        handler=None, without_database=cmd_backup_list
    )
    bk_sub.add_parser("create", help="back up the database now").set_defaults(
        handler=cmd_backup_create
    )
    rs = bk_sub.add_parser(
        "restore",
        help="restore a backup (the current state is kept first), or undo the last restore",
        usage="airmf backup restore FILE | airmf backup restore --undo",
    )
    which = rs.add_mutually_exclusive_group(required=True)  # else a usage error (exit 2)
    which.add_argument("file", nargs="?", metavar="FILE", help="a backup listed by `backup list`")
    which.add_argument(
        "--undo",
        action="store_true",
        help="put back the state the last restore replaced (its before-restore copy)",
    )
    rs.set_defaults(handler=None, without_database=cmd_backup_restore)
