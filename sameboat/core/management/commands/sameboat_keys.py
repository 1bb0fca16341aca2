"""`manage.py sameboat_keys ACTION` (and `sameboat keys ACTION`): the field encryption keys.

- `generate`: print a new Fernet key, to put in front of SAMEBOAT_FIELD_KEYS;
- `rotate`: re-encrypt every encrypted value with the newest key (the first of
  SAMEBOAT_FIELD_KEYS), in batches, each in its own transaction. Safe to run again, and while
  the server runs. After it, the older keys may be dropped from the variable.

A rotation, step by step: `sameboat keys generate`; set SAMEBOAT_FIELD_KEYS=NEW,OLD and restart
the web processes and task workers (new writes use NEW, old values still read); `sameboat
keys rotate`; set SAMEBOAT_FIELD_KEYS=NEW and restart.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

HELP = "Field encryption keys: generate a new key, or re-encrypt everything with the newest."


def add_arguments(parser: ArgumentParser) -> None:
    """Shared with the `sameboat` command line, which parses before Django is set up: nothing
    here may touch models."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "generate",
        help="print a new key",
        description="Print a new Fernet key; put it first in SAMEBOAT_FIELD_KEYS.",
    )
    actions.add_parser(
        "rotate",
        help="re-encrypt every encrypted value with the newest key",
        description=(
            "Re-encrypt every encrypted column, and the two-factor secrets, with the first "
            "key of SAMEBOAT_FIELD_KEYS, in batches, each in a transaction. Exits 1, naming "
            "the column, if a value cannot be decrypted with any of the keys (a key was "
            "dropped too soon)."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from sameboat.audit.services import audit_record
        from sameboat.core import crypto

        if options["action"] == "generate":
            self.stdout.write(crypto.generate_key())
            return
        try:
            counts = crypto.rotate_all(
                progress=lambda label, count: self.stdout.write(f"{label}: {count} re-encrypted")
            )
        except crypto.DecryptionError as error:
            raise CommandError(str(error)) from error
        audit_record(
            action="keys.rotate", detail={"values": sum(counts.values()), "columns": len(counts)}
        )
        self.stdout.write(f"keys rotated: {sum(counts.values())} values in {len(counts)} columns")
