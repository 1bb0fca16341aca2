"""`manage.py audit ACTION` (and `sameboat manage audit ACTION`): the security watch.

- `watch`: look at the audit log's last minutes for abnormal activity now, alert on what is
  found (an audit event and an email) and print it (for cron, or by hand);
- `schedule`: start the task worker's chain of watches, every five minutes (idempotent:
  `make run` calls it at every start).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from sameboat.core.periodic import report_scheduled

HELP = "Security watch: look for abnormal activity now, or every 5 minutes in the task worker."


def add_arguments(parser: ArgumentParser) -> None:
    """The actions, kept apart from the command so a command line parsed before Django is
    set up can share them (nothing here may touch models)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "watch",
        help="look for abnormal activity in the audit log now",
        description=(
            "Count refused accesses, failed logins, lockouts and reused two-step codes over "
            "the last SECURITY_WATCH_WINDOW_MINUTES; alert on each finding above its "
            "threshold not alerted yet in that window, and print the alerts."
        ),
    )
    actions.add_parser(
        "schedule",
        help="start the security watch every 5 minutes in the task worker",
        description=(
            "Enqueue the next watch; each watch schedules the next. Does nothing when a watch "
            "is already waiting in the queue."
        ),
    )


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not above: a command line may import this module before setup.
        from django.utils import timezone

        from sameboat.audit import tasks
        from sameboat.audit.watch import security_watch

        action = options["action"]
        if action == "watch":
            alerts = security_watch(now=timezone.now())
            for alert in alerts:
                where = f"network {alert.network_slug}" if alert.network_slug else "site"
                who = (
                    f" by actor #{alert.actor_ref}"
                    if alert.actor_ref is not None
                    else (
                        f" from {alert.ip or 'unknown address'}"
                        if alert.kind == "failed_logins"
                        else ""
                    )
                )
                self.stdout.write(
                    f"security alert: {alert.kind} {alert.count}{who} ({where}, "
                    f"{alert.emails} email{'s' if alert.emails != 1 else ''})"
                )
            self.stdout.write(f"security watch: {len(alerts)} new alert(s)")
        elif action == "schedule":
            report_scheduled(
                self.stdout, label="security watch", task=tasks.watch, result=tasks.schedule_watch()
            )
