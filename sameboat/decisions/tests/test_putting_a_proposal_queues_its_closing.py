"""Putting a proposal enqueues, once it commits, its "closes soon" notice and its closing,
deferred to their times: a day before closing, or halfway through a shorter proposal."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sameboat.decisions.models import closing_notice_time
from sameboat.decisions.tasks import close_proposal, notify_closing_soon


def test_closing_and_its_notice_are_queued_for_their_times(
    circle, confidential, propose, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(
            circle["ines"], group=confidential, closes_at=timezone.now() + timedelta(days=5)
        )
    closing = DBTaskResult.objects.get(task_path=close_proposal.module_path)
    notice = DBTaskResult.objects.get(task_path=notify_closing_soon.module_path)
    assert closing.run_after == proposal.closes_at
    assert closing.args_kwargs["args"] == [proposal.pk]
    assert notice.run_after == proposal.closes_at - timedelta(hours=24)


def test_nothing_is_queued_for_a_proposal_that_was_never_written(
    circle, confidential, propose, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="how the proposal is decided"),
    ):
        propose(circle["ines"], group=confidential, process="no such process")
    assert not DBTaskResult.objects.exists()


def test_the_notice_goes_a_day_before_or_halfway_through_a_short_proposal() -> None:
    opens = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.UTC)
    assert closing_notice_time(opens, opens + timedelta(days=7)) == opens + timedelta(days=6)
    assert closing_notice_time(opens, opens + timedelta(hours=48)) == opens + timedelta(hours=24)
    assert closing_notice_time(opens, opens + timedelta(hours=6)) == opens + timedelta(hours=3)
