"""Meeting reminders through the task worker (`manage.py db_worker`, which `make run` starts).

`send_meeting_reminders()` writes a reminder for each member of each group with a meeting in
the next 24 hours (once per meeting and person: see `services.meeting_reminders_send`) and
schedules itself again for the top of the next hour, whether it succeeded or failed. Hourly,
so each meeting's members hear of it between 24 and 23 hours ahead (or at the next sweep, for
a meeting planned at shorter notice).

The chain starts with `manage.py calendars schedule`, which is idempotent: while a sweep is
waiting in the queue, neither the command nor a sweep enqueues another, so `make run` may call
it every time it starts. A backend that cannot defer tasks (the immediate backend of the
tests) does not chain: it would run the next sweep at once, forever. Cron can do without the
chain: `manage.py calendars remind` runs one sweep in the foreground.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.tasks import TaskResult, task
from django.utils import timezone

from sameboat.calendars import services
from sameboat.notifications.tasks import is_scheduled

logger = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=1)


@task()
def send_meeting_reminders() -> dict[str, int]:
    try:
        written = services.meeting_reminders_send()
    finally:
        schedule_sweep()
    return {"reminders": written}


def next_sweep_at(*, now: datetime | None = None) -> datetime:
    """The next top of the hour after now."""
    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + SWEEP_EVERY


def schedule_sweep(*, now: datetime | None = None) -> TaskResult[Any, Any] | None:
    """Enqueue the next sweep for the top of the next hour, unless one is waiting already or
    the backend cannot defer a task."""
    if not send_meeting_reminders.get_backend().supports_defer:
        logger.info("%s not scheduled: the task backend cannot defer.", send_meeting_reminders.name)
        return None
    if is_scheduled(send_meeting_reminders):
        return None
    return send_meeting_reminders.using(run_after=next_sweep_at(now=now)).enqueue()
