"""Background tasks that mail members about their matches (run by the task worker,
`manage.py db_worker`).

- `send_notification(id)` sends one email; enqueued when news for someone who chose
  "immediately" commits.
- `send_daily_digests()` sends each "daily" person one email with their pending news, enqueues
  again the immediate emails that failed, and schedules itself for DIGEST_HOUR tomorrow.
- `send_stale_reminders()` writes reminders for proposals left waiting more than
  settings.MATCH_REMINDER_AFTER_DAYS days (sent like any other news, by each person's choice)
  and schedules itself for REMINDER_HOUR tomorrow.

How the daily chains start: `manage.py notifications schedule` (`sameboat manage
notifications schedule`) enqueues the first run of each daily task for its next hour; each
run then enqueues the next, with `run_after`, whether it succeeded or failed. Scheduling is
idempotent: while a run is waiting in the queue, neither the command nor a run enqueues
another, so `make run` may call the command every time it starts. A backend that cannot defer
tasks (the immediate backend of the tests) does not chain: it would run the next day's task
at once, forever. Cron can do without the chain: `sameboat manage notifications digest` and
`... remind` do one run each, in the foreground.
"""

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.tasks import Task, TaskResult, task
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from sameboat.notifications import services

logger = logging.getLogger(__name__)

# Local hours (settings.TIME_ZONE) of the daily runs: digests read with the morning's coffee.
DIGEST_HOUR = 8
REMINDER_HOUR = 9


@task()
def send_notification(notification_id: int) -> str:
    return services.notification_send(notification_id=notification_id)


@task()
def send_daily_digests() -> dict[str, int]:
    try:
        run = services.digests_send()
        retried = services.notifications_retry()
    finally:
        schedule_daily(send_daily_digests, hour=DIGEST_HOUR)
    return {
        "emails": run.emails,
        "sent": run.sent,
        "skipped": run.skipped,
        "failed": run.failed,
        "retried": retried,
    }


@task()
def send_stale_reminders() -> dict[str, int]:
    try:
        reminders = services.reminders_create()
    finally:
        schedule_daily(send_stale_reminders, hour=REMINDER_HOUR)
    return {"reminders": len(reminders)}


DAILY_TASKS: dict[str, tuple[Task[Any, Any], int]] = {
    "digest": (send_daily_digests, DIGEST_HOUR),
    "remind": (send_stale_reminders, REMINDER_HOUR),
}


def next_run_at(hour: int, *, now: datetime | None = None) -> datetime:
    """The next time the local clock shows `hour` o'clock, after now."""
    local_now = timezone.localtime(now or timezone.now())
    zone = timezone.get_current_timezone()
    day = local_now.date()
    run_at = datetime.combine(day, time(hour), tzinfo=zone)
    if run_at <= local_now:
        run_at = datetime.combine(day + timedelta(days=1), time(hour), tzinfo=zone)
    return run_at


def is_scheduled(daily_task: Task[Any, Any]) -> bool:
    """Whether a run of this task is waiting in the queue. Only the database backend can
    tell; with any other, every call schedules."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(daily_task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=daily_task.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule_daily(
    daily_task: Task[Any, Any], *, hour: int, now: datetime | None = None
) -> TaskResult[Any, Any] | None:
    """Enqueue the next run of a daily task for `hour` o'clock, unless one is waiting already
    or the backend cannot defer a task."""
    if not daily_task.get_backend().supports_defer:
        logger.info("%s not scheduled: the task backend cannot defer.", daily_task.name)
        return None
    if is_scheduled(daily_task):
        return None
    return daily_task.using(run_after=next_run_at(hour, now=now)).enqueue()
