"""Matching runs through the task worker (`manage.py db_worker`, which `make run` starts).

Two tasks: one carries out a run a coordinator asked for; the other is a network's schedule,
which runs matching and then enqueues itself again `matching_every_minutes` later.
"""

from typing import Any

from django.tasks import default_task_backend, task

from sameboat.matching import services
from sameboat.matching.models import MatchingRun


def can_schedule() -> bool:
    """Whether the configured backend can run a task later (the database backend can; the
    immediate one, used in tests and for running by hand, cannot)."""
    return bool(default_task_backend.supports_defer)


def _summary(run: MatchingRun | None) -> dict[str, Any]:
    if run is None:
        return {"run": None, "status": "superseded"}
    return {"run": run.pk, "status": run.status}


@task()
def run_matching(run_id: int) -> dict[str, Any]:
    """Carry out a run asked for by a coordinator (or the API)."""
    run = MatchingRun.objects.filter(pk=run_id).first()
    if run is None:
        return _summary(None)
    return _summary(services.matching_run_execute(run=run))


@task()
def scheduled_matching(network_id: int, token: str) -> dict[str, Any]:
    """A network's scheduled run; does nothing if a later schedule has replaced it."""
    return _summary(services.matching_scheduled_run(network_id=network_id, token=token))


@task()
def match_new(
    network_id: int, ask_ids: list[int] | None = None, helper_ids: list[int] | None = None
) -> dict[str, Any]:
    """Match asks just posted, or a member who just offered help, between full runs."""
    created = services.matching_match_new(
        network_id=network_id, ask_ids=ask_ids or [], helper_ids=helper_ids or []
    )
    return {"proposed": [match.pk for match in created]}
