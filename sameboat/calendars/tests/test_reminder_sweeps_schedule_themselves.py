"""The reminder sweep runs hourly in the task worker's queue, one sweep waiting at a time;
`manage.py calendars schedule` starts the chain (idempotently) and `calendars remind` runs a
sweep in the foreground."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sameboat.calendars.tasks import next_sweep_at, schedule_sweep, send_meeting_reminders
from sameboat.notifications.models import Notification


def _waiting() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=send_meeting_reminders.module_path, status="READY")
    )


def test_the_next_sweep_is_at_the_top_of_the_next_hour():
    assert next_sweep_at(now=datetime(2026, 3, 10, 7, 30, tzinfo=UTC)) == datetime(
        2026, 3, 10, 8, tzinfo=UTC
    )
    assert next_sweep_at(now=datetime(2026, 3, 10, 23, 0, tzinfo=UTC)) == datetime(
        2026, 3, 11, 0, tzinfo=UTC
    )


def test_a_sweep_reminds_and_schedules_the_next_one_once(confidential, make_meeting):
    make_meeting(confidential, in_hours=3)
    assert send_meeting_reminders.call() == {"reminders": 2}
    [waiting] = _waiting()
    assert waiting.run_after == next_sweep_at()
    assert send_meeting_reminders.call() == {"reminders": 0}
    assert len(_waiting()) == 1
    assert Notification.objects.count() == 2


def test_schedule_command_starts_the_chain_and_is_idempotent(db):
    out = StringIO()
    call_command("calendars", "schedule", stdout=out)
    call_command("calendars", "schedule", stdout=out)
    assert len(_waiting()) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("meeting reminders: scheduled for")
    assert lines[1] == "meeting reminders: already scheduled"


def test_a_backend_that_cannot_defer_does_not_chain(immediate_tasks, db):
    assert schedule_sweep() is None
    with pytest.raises(Exception, match="cannot run tasks later"):
        call_command("calendars", "schedule", stdout=StringIO())


@pytest.mark.usefixtures("immediate_tasks")
def test_remind_command_runs_one_sweep_in_the_foreground(confidential, make_meeting):
    make_meeting(confidential, in_hours=3)
    out = StringIO()
    call_command("calendars", "remind", stdout=out)
    call_command("calendars", "remind", stdout=out)
    assert out.getvalue().splitlines() == [
        "meeting reminders: 2 written",
        "meeting reminders: 0 written",
    ]
