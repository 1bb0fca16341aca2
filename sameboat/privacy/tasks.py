"""The daily retention purge through the task worker (`manage.py db_worker`).

`purge_expired()` removes what has outlived its retention period (see
`services.retention_purge`) and schedules itself again for PURGE_HOUR tomorrow, whether it
succeeded or failed. `manage.py privacy schedule` starts the chain (idempotent: `make run`
calls it at every start); `manage.py privacy purge` runs one purge now, for cron.
"""

from typing import Any

from django.tasks import TaskResult, task
from django.utils import timezone

from sameboat.notifications.tasks import schedule_daily
from sameboat.privacy.services import retention_purge

# Local hour of the daily purge: at night, before the morning's reminders.
PURGE_HOUR = 3


@task()
def purge_expired() -> dict[str, int]:
    try:
        return retention_purge(now=timezone.now())
    finally:
        schedule_purge()


def schedule_purge() -> TaskResult[Any, Any] | None:
    """Enqueue the next purge unless one waits already or the backend cannot defer."""
    return schedule_daily(purge_expired, hour=PURGE_HOUR)
