"""`manage.py notifications ACTION` (and `sameboat manage notifications ACTION`): the emails
about matches, run by hand or by cron instead of the task worker's daily chains.

- `digest`: send the daily digests now (and enqueue again failed immediate emails);
- `remind`: write reminders for proposals waiting too long (sent by each person's choice);
- `retry`: enqueue again immediate emails that failed;
- `schedule`: start the task worker's daily chains of `digest` and `remind` (idempotent).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sameboat.core.periodic import report_scheduled

HELP = "Emails about matches: send digests, write reminders, retry, or schedule them daily."


def add_arguments(parser: ArgumentParser) -> None:
    """The actions, kept apart from the command so a command line parsed before Django is
    set up can share them (nothing here may touch models)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "digest",
        help="send the daily digests now",
        description=(
            "Send each person who chose a daily digest one email with their pending news, "
            "then enqueue again the immediate emails that failed."
        ),
    )
    actions.add_parser(
        "remind",
        help="remind people of proposals waiting for their answer",
        description=(
            "Write a reminder for each side of a proposed match that has waited more than "
            "MATCH_REMINDER_AFTER_DAYS days, once per match and side; each is sent as the "
            "person chose (right away through the task worker, in the digest, or never)."
        ),
    )
    actions.add_parser(
        "retry",
        help="enqueue again immediate emails that failed",
        description="Enqueue again the immediate emails still unsent after a while.",
    )
    actions.add_parser(
        "schedule",
        help="start the daily digest and reminder runs in the task worker",
        description=(
            "Enqueue the next daily digest and reminder runs; each run schedules the next. "
            "Does nothing for a run already waiting in the queue."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: a command line may import this module before setup.
        from sameboat.notifications import services, tasks

        action = options["action"]
        if action == "digest":
            run = services.digests_send()
            retried = services.notifications_retry()
            self.stdout.write(
                f"digests: {run.emails} emails carrying {run.sent} notifications, "
                f"{run.skipped} stale skipped, {run.failed} failed; {retried} retries enqueued"
            )
            if run.failed:
                raise CommandError(f"{run.failed} digests were refused by the mail server.")
        elif action == "remind":
            reminders = services.reminders_create()
            self.stdout.write(f"reminders: {len(reminders)} written")
        elif action == "retry":
            self.stdout.write(f"retries: {services.notifications_retry()} enqueued")
        elif action == "schedule":
            for name, (daily_task, hour) in tasks.DAILY_TASKS.items():
                report_scheduled(
                    self.stdout,
                    label=name,
                    task=daily_task,
                    result=tasks.schedule_daily(daily_task, hour=hour),
                )
