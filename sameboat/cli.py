"""`sameboat`: admin jobs from a terminal.

The jobs are Django management commands (`manage.py demo`, `manage.py ledger verify`), so both
entry points share their code: this one parses the same options, sets Django up with
`sameboat.settings` (unless DJANGO_SETTINGS_MODULE says otherwise) and runs them.
"""

import argparse
import os
import sys
from collections.abc import Sequence

from sameboat.core.management.commands import backup as backup_command
from sameboat.core.management.commands import demo as demo_command
from sameboat.core.management.commands import ledger as ledger_command
from sameboat.core.management.commands import restore as restore_command
from sameboat.core.management.commands import sameboat_keys as keys_command
from sameboat.directory.management.commands import hsds as hsds_command

# Handed to Django as they are, options and all (so `sameboat migrate --help` is Django's).
PASSTHROUGH = {"migrate", "manage"}

EPILOG = """examples:
  sameboat migrate                       create or update the database
  sameboat demo                          load the demo network (password: sameboat-demo)
  sameboat demo --size large --scale 0.1 a benchmark network at a tenth of its size
  sameboat ledger verify --network riverside
  sameboat hsds import services.json --network riverside
  sameboat hsds export directory.zip --network riverside   the tabular form (HSDS 3.0)
  sameboat keys rotate                   re-encrypt sensitive fields with the newest key
  sameboat backup sameboat.backup        a consistent copy of the database, while it runs
  sameboat restore sameboat.backup       load one into an empty database
  sameboat manage createsuperuser        any Django management command

The database is the one sameboat.settings reads: DATABASE_URL, or SQLite in SAMEBOAT_DATA_DIR
(./data by default)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sameboat",
        description="Admin jobs for Sameboat, software for mutual aid.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title="commands"
    )
    demo = commands.add_parser(
        "demo", help="load the demo network (idempotent)", description=demo_command.HELP
    )
    demo_command.add_arguments(demo)
    ledger = commands.add_parser(
        "ledger", help="ledger jobs: verify", description=ledger_command.HELP
    )
    ledger_command.add_arguments(ledger)
    hsds = commands.add_parser(
        "hsds",
        help="the directory in HSDS 3.0: import, export, publish",
        description=hsds_command.HELP,
    )
    hsds_command.add_arguments(hsds)
    backup = commands.add_parser(
        "backup", help="copy the whole database to a file", description=backup_command.HELP
    )
    backup_command.add_arguments(backup)
    restore = commands.add_parser(
        "restore", help="load a backup into an empty database", description=restore_command.HELP
    )
    restore_command.add_arguments(restore)
    keys = commands.add_parser(
        "keys",
        help="field encryption keys: generate, rotate",
        description=keys_command.HELP,
    )
    keys_command.add_arguments(keys)
    migrate = commands.add_parser(
        "migrate",
        help="apply database migrations (Django's migrate)",
        description="Django's migrate; every option after it goes to Django.",
    )
    migrate.add_argument("args", nargs="*", metavar="OPTION", help="passed to Django's migrate")
    manage = commands.add_parser(
        "manage",
        help="run any Django management command",
        description="Run a Django management command as manage.py would; "
        "`sameboat manage help` lists them.",
    )
    manage.add_argument("args", nargs="*", metavar="ARG", help="a command and its options")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sameboat.settings")
    if argv and argv[0] in PASSTHROUGH:
        from django.core.management import execute_from_command_line

        if argv[0] == "migrate":
            execute_from_command_line(["sameboat", *argv])
        else:
            execute_from_command_line(["sameboat manage", *argv[1:]])
        return 0

    args = build_parser().parse_args(argv)

    import django
    from django.core.management import call_command
    from django.core.management.base import CommandError

    django.setup()
    try:
        if args.command == "demo":
            call_command(
                "demo", size=args.size, scale=args.scale, seed=args.seed, progress=args.progress
            )
        elif args.command == "ledger":
            call_command("ledger", args.action, network=args.network)
        elif args.command == "hsds":
            # Parsed once above for --help and errors; Django parses the same words again.
            call_command("hsds", *argv[1:])
        elif args.command in ("backup", "restore"):
            call_command(args.command, args.file)
        elif args.command == "keys":
            call_command("sameboat_keys", args.action)
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
