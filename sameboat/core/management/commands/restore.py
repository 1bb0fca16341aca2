"""`manage.py restore FILE` (and `sameboat restore FILE`): load a backup into an empty
database, migrate it to this Sameboat, and erase again the accounts erased since the backup.
See sameboat/core/backup.py."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = (
    "Load a backup made by `sameboat backup` into the database Sameboat is set to use, which "
    "must be empty (a new SQLite file, or a new PostgreSQL database). It needs the backup's "
    "key among SAMEBOAT_BACKUP_KEYS (and its field keys in SAMEBOAT_FIELD_KEYS); a file that "
    "fails its authentication is refused. The data is migrated to this version, and every "
    "erasure the erasure journal records since the backup is applied again. Backups hold no "
    "sessions or API tokens: everyone logs in again. Exits 0 when restored, 1 when it cannot "
    "be (nothing is changed then)."
)


def add_arguments(parser: ArgumentParser) -> None:
    """Shared with the `sameboat` command line (parsed before Django is set up)."""
    parser.add_argument("file", metavar="FILE", help="a backup written by `sameboat backup`")


class Command(BaseCommand):
    help = HELP
    # The checks would look at a database that is about to be replaced.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: the `sameboat` CLI imports this module before Django is set up.
        from sameboat.audit.services import audit_record
        from sameboat.core.backup import LEFT_OUT, BackupError, backup_restore

        try:
            result = backup_restore(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        audit_record(
            action="backup.restore",
            detail={
                "vendor": result.vendor,
                "taken_at": result.taken_at.isoformat(),
                "erasures_applied": result.erasures_applied,
            },
        )
        if options["verbosity"] > 0:
            self.stdout.write(
                f"restored the backup taken at {result.taken_at.isoformat(timespec='seconds')} "
                f"({result.vendor}); erasures applied again since then: "
                f"{result.erasures_applied}"
            )
            self.stdout.write(LEFT_OUT)
