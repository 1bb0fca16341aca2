"""Closing proposals on time, through the task worker (`manage.py db_worker`).

- `close_proposal(id)` is enqueued when a proposal is put, to run at its closing time. It
  closes the proposal and records its outcome, once: if it runs late, twice, or after the
  proposal was closed early or withdrawn, it does what is left to do, which may be nothing.
- `notify_closing_soon(id)` is enqueued for the same proposal's "closes soon" notice
  (`Proposal.closing_notice_at`: a day before closing, or halfway through a shorter one).
- `sweep_proposals()` closes any open proposal past its time and sends any "closes soon"
  notice that is due, in case a task was lost (a queue emptied, a backup restored), and
  schedules itself again SWEEP_EVERY later. `manage.py decisions schedule` starts the chain
  (idempotent: while a run waits in the queue it adds none), `make run` calls it at start.
  `manage.py decisions close-due` does one sweep in the foreground (for cron).

A backend that cannot defer tasks (the immediate backend of the tests) gets no deferred
tasks and no chain: they would run at once. There, closing happens by hand or by the sweep.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.tasks import TaskResult, task
from django.utils import timezone

from sameboat.decisions import services
from sameboat.decisions.models import Proposal
from sameboat.notifications.tasks import is_scheduled

logger = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(minutes=15)


@task()
def close_proposal(proposal_id: int) -> str:
    return services.proposal_close_due(proposal_id=proposal_id)


@task()
def notify_closing_soon(proposal_id: int) -> int:
    return services.proposal_notify_closing(proposal_id=proposal_id)


@task()
def sweep_proposals() -> dict[str, int]:
    try:
        closed = services.proposals_close_due()
        told = services.proposals_notify_closing_due()
    finally:
        schedule_sweep()
    return {"closed": closed, "told_closing_soon": told}


def can_defer() -> bool:
    return bool(close_proposal.get_backend().supports_defer)


def schedule_proposal(proposal_id: int) -> list[TaskResult[Any, Any]]:
    """Enqueue a new proposal's closing and its "closes soon" notice for their times."""
    if not can_defer():
        logger.info("Proposal %s: closing not queued, the task backend cannot defer.", proposal_id)
        return []
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return []
    return [
        notify_closing_soon.using(run_after=proposal.closing_notice_at).enqueue(proposal.pk),
        close_proposal.using(run_after=proposal.closes_at).enqueue(proposal.pk),
    ]


def schedule_sweep(*, now: datetime | None = None) -> TaskResult[Any, Any] | None:
    """Enqueue the next sweep SWEEP_EVERY from now, unless one is waiting already or the
    backend cannot defer a task."""
    if not can_defer():
        logger.info("%s not scheduled: the task backend cannot defer.", sweep_proposals.name)
        return None
    if is_scheduled(sweep_proposals):
        return None
    return sweep_proposals.using(run_after=(now or timezone.now()) + SWEEP_EVERY).enqueue()
