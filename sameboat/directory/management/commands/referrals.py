"""`manage.py referrals ACTION` (and `sameboat manage referrals ACTION`): follow-up reminders.

- `remind`: ask how it went about each open referral whose follow-up date has come, now, in
  the foreground (for cron, or by hand);
- `schedule`: start the task worker's daily chain of reminder sweeps (idempotent: `make run`
  calls it at every start).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sameboat.core.periodic import report_scheduled

HELP = "Referral follow-up reminders: sweep now, or start the task worker's daily sweeps."


def add_arguments(parser: ArgumentParser) -> None:
    """The actions, kept apart from the command so a command line parsed before Django is
    set up can share them (nothing here may touch models)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "remind",
        help="ask how open referrals went, now",
        description=(
            "Write a follow-up reminder to the member and the referrer of each open referral "
            "whose follow-up date has come, once per referral and stage."
        ),
    )
    actions.add_parser(
        "schedule",
        help="start the daily referral reminder sweeps in the task worker",
        description=(
            "Enqueue the next sweep; each sweep schedules the next. Does nothing when a sweep "
            "is already waiting in the queue."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: a command line may import this module before setup.
        from sameboat.directory import referrals, tasks_referrals

        action = options["action"]
        if action == "remind":
            written = referrals.referral_reminders_send()
            self.stdout.write(f"referral reminders: {written} written")
        elif action == "schedule":
            report_scheduled(
                self.stdout,
                label="referral reminders",
                task=tasks_referrals.send_referral_reminders,
                result=tasks_referrals.schedule_sweep(),
            )
