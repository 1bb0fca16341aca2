"""`manage.py privacy ACTION` (and `sameboat manage privacy ACTION`): retention and erasure.

- `purge`: remove what has outlived its retention period, now (for cron, or by hand);
- `schedule`: start the task worker's daily chain of purges (idempotent: `make run` calls it
  at every start);
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sameboat.core.periodic import report_scheduled

HELP = "Privacy jobs: the retention purge (now, or daily in the task worker)."


def add_arguments(parser: ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "purge",
        help="remove what has outlived its retention period, now",
        description="Apply the retention periods of settings.RETENTION_DAYS once, now.",
    )
    actions.add_parser(
        "schedule",
        help="start the daily retention purges in the task worker",
        description=(
            "Enqueue the next purge; each purge schedules the next. Does nothing when a purge "
            "is already waiting in the queue."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        from sameboat.privacy import services, tasks

        action = options["action"]
        if action == "purge":
            counts = services.retention_purge(now=timezone.now())
            self.stdout.write(
                "retention purge: " + ", ".join(f"{kind} {n}" for kind, n in counts.items())
            )
        elif action == "schedule":
            report_scheduled(
                self.stdout,
                label="retention purge",
                task=tasks.purge_expired,
                result=tasks.schedule_purge(),
            )
