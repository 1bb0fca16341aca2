"""Referral follow-up reminders through the task worker (`manage.py db_worker`).

`send_referral_reminders()` asks the member and the referrer of each open referral whose
follow-up date has come how it went (once per referral and stage: see
`referrals.referral_reminders_send`) and schedules itself again for REMINDER_HOUR tomorrow,
whether it succeeded or failed. The chain starts with `manage.py referrals schedule`, which
is idempotent (while a sweep waits in the queue, nothing else is enqueued), so `make run` may
call it at every start. A backend that cannot defer (the tests' immediate backend) does not
chain. Cron can do without the chain: `manage.py referrals remind` runs one sweep now.
"""

from typing import Any

from django.tasks import TaskResult, task

from sameboat.directory import referrals
from sameboat.notifications.tasks import schedule_daily

# Local hour of the daily sweep: after the notifications' own reminders (9).
REMINDER_HOUR = 10


@task()
def send_referral_reminders() -> dict[str, int]:
    try:
        written = referrals.referral_reminders_send()
    finally:
        schedule_sweep()
    return {"reminders": written}


def schedule_sweep() -> TaskResult[Any, Any] | None:
    """Enqueue tomorrow's (or today's, if still ahead) sweep unless one is waiting already or
    the backend cannot defer a task."""
    return schedule_daily(send_referral_reminders, hour=REMINDER_HOUR)
