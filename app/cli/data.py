"""``airmf backup`` commands: list, create and restore backups of the SQLite database."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import table
from app.services.backups import BackupService
from app.services.context import ServiceContext


def cmd_backup_list(ctx: ServiceContext, args: argparse.Namespace) -> int:
    found = BackupService(ctx).list()
    if not found:
        print(f"No backups yet in {ctx.location.backup_dir}. Make one with: airmf backup create")
        return 0
    rows = [
        [b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), b.kind, f"{b.size / 1024:.0f} KB", str(b.path)]
        for b in found
    ]
    print(table(rows, ["TAKEN", "KIND", "SIZE", "FILE"]))
    return 0


def cmd_backup_create(ctx: ServiceContext, args: argparse.Namespace) -> int:
    print(BackupService(ctx).create().path)
    return 0


def cmd_backup_restore(ctx: ServiceContext, args: argparse.Namespace) -> int:
    safety = BackupService(ctx).restore(Path(args.file))
    print(f"restored {args.file} into {ctx.location.display}")
    if safety is not None:
        print(f"the previous content was kept as {safety.path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bk = sub.add_parser("backup", help="list, create or restore database backups")
    bk_sub = bk.add_subparsers(dest="action", required=True, metavar="ACTION")
    bk_sub.add_parser("list", help="backups of the database, newest first").set_defaults(
        handler=cmd_backup_list
    )
    bk_sub.add_parser("create", help="back up the database now").set_defaults(
        handler=cmd_backup_create
    )
    rs = bk_sub.add_parser("restore", help="restore a backup (the current state is kept first)")
    rs.add_argument("file")
    rs.set_defaults(handler=cmd_backup_restore)
