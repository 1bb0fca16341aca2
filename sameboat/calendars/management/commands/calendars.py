"""`manage.py calendars ACTION` (and `sameboat manage calendars ACTION`): meeting reminders.

- `remind`: remind the members of each group with a meeting in the next 24 hours, now, in the
  foreground (for cron, or by hand);
- `schedule`: start the task worker's hourly chain of reminder sweeps (idempotent: `make run`
  calls it at every start).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sameboat.core.periodic import report_scheduled

HELP = "Meeting reminders: sweep now, or start the task worker's hourly sweeps."


def add_arguments(parser: ArgumentParser) -> None:
    """The actions, kept apart from the command so a command line parsed before Django is
    set up can share them (nothing here may touch models)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "remind",
        help="remind members of meetings in the next 24 hours, now",
        description=(
            "Write a reminder for each active member of each group with a meeting starting "
            "in the next 24 hours, once per meeting and person; each is sent as the person "
            "chose (right away through the task worker, in the digest, or never)."
        ),
    )
    actions.add_parser(
        "schedule",
        help="start the hourly reminder sweeps in the task worker",
        description=(
            "Enqueue the next reminder sweep for the top of the hour; each sweep schedules "
            "the next. Does nothing when a sweep is already waiting in the queue."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: a command line may import this module before setup.
        from sameboat.calendars import services, tasks

        action = options["action"]
        if action == "remind":
            written = services.meeting_reminders_send()
            self.stdout.write(f"meeting reminders: {written} written")
        elif action == "schedule":
            report_scheduled(
                self.stdout,
                label="meeting reminders",
                task=tasks.send_meeting_reminders,
                result=tasks.schedule_sweep(),
            )
