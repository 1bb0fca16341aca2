"""The daily runs schedule themselves in the task worker's queue, one run waiting at a time."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sameboat.notifications.tasks import (
    DIGEST_HOUR,
    next_run_at,
    schedule_daily,
    send_daily_digests,
    send_stale_reminders,
)


def _waiting(daily_task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=daily_task.module_path, status="READY"))


def test_next_run_is_today_if_the_hour_is_still_ahead_else_tomorrow(settings):
    settings.TIME_ZONE = "UTC"
    morning = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
    assert next_run_at(8, now=morning) == datetime(2026, 3, 10, 8, tzinfo=UTC)
    assert next_run_at(8, now=morning.replace(hour=8)) == datetime(2026, 3, 11, 8, tzinfo=UTC)


def test_a_digest_run_schedules_the_next_one_once(db):
    send_daily_digests.call()
    [waiting] = _waiting(send_daily_digests)
    assert waiting.run_after == next_run_at(DIGEST_HOUR)
    send_daily_digests.call()
    assert len(_waiting(send_daily_digests)) == 1


def test_schedule_command_starts_both_chains_and_is_idempotent(db):
    out = StringIO()
    call_command("notifications", "schedule", stdout=out)
    call_command("notifications", "schedule", stdout=out)
    assert len(_waiting(send_daily_digests)) == 1
    assert len(_waiting(send_stale_reminders)) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("digest: scheduled for") and lines[2] == "digest: already scheduled"


def test_a_backend_that_cannot_defer_does_not_chain(immediate_tasks):
    assert schedule_daily(send_daily_digests, hour=DIGEST_HOUR) is None


@pytest.mark.usefixtures("immediate_tasks")
def test_digest_and_remind_commands_run_once_in_the_foreground(db):
    out = StringIO()
    call_command("notifications", "digest", stdout=out)
    call_command("notifications", "remind", stdout=out)
    call_command("notifications", "retry", stdout=out)
    assert out.getvalue().splitlines() == [
        "digests: 0 emails carrying 0 notifications, 0 stale skipped, 0 failed; 0 retries enqueued",
        "reminders: 0 written",
        "retries: 0 enqueued",
    ]
