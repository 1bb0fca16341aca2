"""Matching through the task worker: a run asked for is carried out by a task; a network
with a schedule runs by itself and enqueues its next run; and `matching run` on the command
line."""

import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import default_task_backend
from django.utils import timezone

from sameboat.matching import engine, tasks
from sameboat.matching.models import MatchingRun, MatchingSchedule, RunStatus, RunTrigger
from sameboat.matching.services import (
    matching_run,
    matching_run_request,
    matching_settings_update,
)
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    make_ask,
    make_asker,
    make_helper,
    run_tasks_at_once,
)
from sameboat.networks.models import MatchingMode


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


@pytest.fixture
def immediate_tasks(settings):
    run_tasks_at_once(settings)


@pytest.fixture
def later_tasks(settings):
    """A backend that keeps tasks, run_after and all, without running them (Django's own
    dummy backend): the test then runs what was enqueued, as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    yield default_task_backend
    default_task_backend.results.clear()


def test_a_queued_run_is_carried_out_by_its_task(
    network, coordinator, asker, food, make_member, later_tasks
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    run = matching_run_request(network=network, by=coordinator)
    assert run.status == RunStatus.QUEUED
    (queued,) = later_tasks.results
    assert queued.task.name == "run_matching" and queued.args == [run.pk]

    assert tasks.run_matching.call(run.pk) == {"run": run.pk, "status": RunStatus.SUCCEEDED}
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and len(engine_proposals(network)) == 1
    # Delivered twice, the task does not run the same run again.
    assert tasks.run_matching.call(run.pk)["status"] == RunStatus.SUCCEEDED
    assert MatchingRun.objects.count() == 1


def test_a_schedule_enqueues_the_next_run_and_each_run_the_one_after(
    network, admin_member, asker, food, make_member, later_tasks
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    before = timezone.now()

    matching_settings_update(
        network=network, by=admin_member, mode=MatchingMode.REVIEW, every_minutes=10
    )

    (first,) = later_tasks.results
    schedule = MatchingSchedule.objects.get(network=network)
    assert first.task.name == "scheduled_matching"
    assert first.task.run_after == schedule.next_run_at
    assert (
        before + timedelta(minutes=10)
        <= schedule.next_run_at
        <= timezone.now() + timedelta(minutes=10)
    )
    assert first.args == [network.pk, schedule.token]

    result = tasks.scheduled_matching.call(*first.args)

    run = MatchingRun.objects.get()
    assert result == {"run": run.pk, "status": RunStatus.SUCCEEDED}
    assert run.trigger == RunTrigger.SCHEDULE and run.started_by is None
    second = later_tasks.results[-1]
    assert second.task.name == "scheduled_matching" and second.args[1] != first.args[1]
    # The first task, delivered again, is superseded: nothing runs.
    assert tasks.scheduled_matching.call(*first.args) == {"run": None, "status": "superseded"}
    assert MatchingRun.objects.count() == 1


def test_a_run_by_hand_resets_the_schedule_and_turning_it_off_stops_it(
    network, admin_member, coordinator, later_tasks
):
    matching_settings_update(
        network=network, by=admin_member, mode=MatchingMode.REVIEW, every_minutes=10
    )
    (scheduled,) = later_tasks.results
    matching_run(network=network, by=coordinator)
    assert tasks.scheduled_matching.call(*scheduled.args)["status"] == "superseded"

    matching_settings_update(
        network=network, by=admin_member, mode=MatchingMode.REVIEW, every_minutes=0
    )
    latest = later_tasks.results[-1]
    assert tasks.scheduled_matching.call(*latest.args)["status"] == "superseded"
    assert MatchingSchedule.objects.get(network=network).next_run_at is None


def test_a_failed_scheduled_run_still_schedules_the_next(
    network, admin_member, later_tasks, monkeypatch
):
    matching_settings_update(
        network=network, by=admin_member, mode=MatchingMode.REVIEW, every_minutes=5
    )

    # The engine is made to fail (a stand-in for a failure valid data cannot provoke).
    def broken(*args: object, **kwargs: object) -> engine.Result:
        raise ValueError("no")

    monkeypatch.setattr(engine, "solve", broken)
    assert (
        tasks.scheduled_matching.call(*later_tasks.results[-1].args)["status"] == RunStatus.FAILED
    )
    assert len(later_tasks.results) == 2


def test_with_the_immediate_backend_nothing_is_scheduled(network, admin_member, immediate_tasks):
    matching_settings_update(
        network=network, by=admin_member, mode=MatchingMode.DIRECT, every_minutes=5
    )
    assert not MatchingSchedule.objects.filter(network=network, next_run_at__isnull=False).exists()


def test_matching_run_command_prints_the_figures(network, make_member, asker, food):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    out = StringIO()
    call_command("matching", "run", "--network", "riverside", stdout=out)
    run = MatchingRun.objects.get()
    assert run.trigger == RunTrigger.COMMAND
    assert out.getvalue().startswith(f"matching run {run.pk} succeeded: 1 proposed (1 new")


def test_matching_run_command_fails_for_an_unknown_network_or_a_failed_run(network, monkeypatch):
    with pytest.raises(CommandError) as unknown:
        call_command("matching", "run", "--network", "nowhere")
    assert unknown.value.returncode == 2

    def broken(*args: object, **kwargs: object) -> engine.Result:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "solve", broken)
    with pytest.raises(CommandError, match="failed: RuntimeError: boom"):
        call_command("matching", "run", "--network", "riverside")


def test_matching_schedule_command_starts_each_networks_schedule(
    network, other_network, later_tasks
):
    network.matching_every_minutes = 30
    network.save(update_fields=["matching_every_minutes"])
    out = StringIO()
    call_command("matching", "schedule", stdout=out)
    assert out.getvalue().startswith("riverside: next run at")
    (queued,) = later_tasks.results
    assert queued.args[0] == network.pk


SCRIPT = Path(sys.executable).parent / "sameboat"


def test_the_sameboat_script_runs_matching(tmp_path):
    """`sameboat manage matching run --network SLUG`, for real, on a database of its own."""
    import os

    env = {
        **os.environ,
        "SAMEBOAT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "sameboat.settings",
    }
    env.pop("DATABASE_URL", None)

    def sameboat(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300, check=False
        )

    assert sameboat("migrate").returncode == 0
    unknown = sameboat("manage", "matching", "run", "--network", "riverside")
    assert unknown.returncode == 2 and "no network" in unknown.stderr
    create = (
        "from sameboat.networks.services import network_create as c; c(slug='riverside', name='R')"
    )
    assert sameboat("manage", "shell", "-c", create).returncode == 0
    ran = sameboat("manage", "matching", "run", "--network", "riverside")
    assert ran.returncode == 0, ran.stderr
    assert "succeeded: 0 proposed" in ran.stdout
