"""`manage.py backup FILE` (and `sameboat backup FILE`): a consistent copy of the whole
database, taken while Sameboat runs. See sameboat/core/backup.py for how and why."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = (
    "Write a consistent copy of the whole database to FILE while Sameboat runs (SQLite's "
    "online backup, or pg_dump), encrypted as a whole with the first key of "
    "SAMEBOAT_BACKUP_KEYS and readable by its owner only. Sessions, API tokens and the cache "
    "are left out: after a restore everyone logs in again. Restore it with "
    "`sameboat restore FILE`."
)


def add_arguments(parser: ArgumentParser) -> None:
    """Shared with the `sameboat` command line (parsed before Django is set up)."""
    parser.add_argument("file", metavar="FILE", help="where to write the backup (replaced)")


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: the `sameboat` CLI imports this module before Django is set up.
        from sameboat.audit.services import audit_record
        from sameboat.core.backup import LEFT_OUT, BackupError, backup_create

        try:
            result = backup_create(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        audit_record(
            action="backup.create",
            detail={
                "vendor": result.vendor,
                "bytes": result.size,
                "taken_at": result.taken_at.isoformat(),
            },
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"backup written: {result.path} ({result.size:,} bytes, {result.vendor}, "
                f"snapshot at {result.taken_at.isoformat(timespec='seconds')}), encrypted "
                "with the first key of SAMEBOAT_BACKUP_KEYS"
            )
            self.stdout.write(LEFT_OUT)
