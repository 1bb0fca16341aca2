"""`manage.py decisions ACTION` (and `sameboat manage decisions ACTION`): closing proposals on
time, by hand or by cron, besides the task worker's own tasks.

- `close-due`: close every open proposal past its closing time and send the "closes soon"
  notices that are due (one sweep, in the foreground);
- `schedule`: start the task worker's sweep, which runs every 15 minutes (idempotent).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sameboat.core.periodic import report_scheduled

HELP = "Proposals: close those past their time, or schedule the sweep that does."


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(
            dest="action", metavar="ACTION", required=True, title="actions"
        )
        actions.add_parser(
            "close-due",
            help="close proposals past their time and send due 'closes soon' notices",
            description=(
                "Close every open proposal whose closing time has passed, recording its "
                "outcome and telling its members, and send the 'closes soon' notices that "
                "are due and have not gone out."
            ),
        )
        actions.add_parser(
            "schedule",
            help="start the task worker's sweep of proposals (every 15 minutes)",
            description=(
                "Enqueue the next sweep; each sweep schedules the next. Does nothing when a "
                "sweep is already waiting in the queue."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: a command line may import this module before Django is set up.
        from sameboat.decisions import services, tasks

        if options["action"] == "close-due":
            closed = services.proposals_close_due()
            told = services.proposals_notify_closing_due()
            self.stdout.write(f"proposals: {closed} closed; {told} told one closes soon")
            return
        report_scheduled(
            self.stdout, label="sweep", task=tasks.sweep_proposals, result=tasks.schedule_sweep()
        )
