"""The security watch through the task worker (`manage.py db_worker`), every WATCH_EVERY.

`watch()` runs `watch.security_watch` once and schedules itself again WATCH_EVERY later,
whether it succeeded or failed. `manage.py audit schedule` starts the chain (idempotent: while
a run waits in the queue it adds none; `make run` calls it at every start); `manage.py audit
watch` runs one watch now, in the foreground (for cron, or by hand). A backend that cannot
defer tasks (the immediate backend of the tests) gets no chain: it would run at once, forever.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.tasks import TaskResult, task
from django.utils import timezone

from sameboat.audit.watch import security_watch
from sameboat.notifications.tasks import is_scheduled

logger = logging.getLogger(__name__)

# Shorter than the watch's window (15 minutes), so no burst falls between two runs.
WATCH_EVERY = timedelta(minutes=5)


@task()
def watch() -> dict[str, int]:
    try:
        alerts = security_watch(now=timezone.now())
    finally:
        schedule_watch()
    return {"alerts": len(alerts)}


def schedule_watch(*, now: datetime | None = None) -> TaskResult[Any, Any] | None:
    """Enqueue the next watch WATCH_EVERY from now, unless one is waiting already or the
    backend cannot defer a task."""
    if not watch.get_backend().supports_defer:
        logger.info("%s not scheduled: the task backend cannot defer.", watch.name)
        return None
    if is_scheduled(watch):
        return None
    return watch.using(run_after=(now or timezone.now()) + WATCH_EVERY).enqueue()
