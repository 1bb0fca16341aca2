"""When a referral has had no news by its follow-up date, the task worker asks the member and
the referrer how it went: once per referral and stage, however often the sweep runs. A
status change withdraws a reminder that has not gone out yet, and starts a new stage."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sameboat.accounts.models import NotificationFrequency
from sameboat.directory import tasks_referrals
from sameboat.directory.referrals import (
    referral_create,
    referral_reminders_send,
    referral_status_set,
)
from sameboat.directory.tests.referral_scenario import make_service
from sameboat.notifications.models import Notification, NotificationKind, NotificationStatus
from sameboat.notifications.services import notification_frequency_set

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def referral(network, facilitator, member):
    return referral_create(
        network=network, by=facilitator, member=member, service=make_service(network)
    )


def _reminders():
    return Notification.objects.filter(kind=NotificationKind.REFERRAL_FOLLOW_UP)


def test_nothing_before_the_follow_up_date(immediate_tasks, referral, mailoutbox):
    tasks_referrals.send_referral_reminders.enqueue()
    assert not _reminders().exists() and mailoutbox == []


def test_the_member_and_referrer_are_asked_once(
    immediate_tasks, referral, member, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    later = timezone.now() + timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_reminders_send(now=later) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert referral_reminders_send(now=later) == 0
    assert {row.user_id for row in _reminders()} == {member.user_id, facilitator.user_id}
    assert {row.topic for row in _reminders()} == {f"referral:{referral.pk}:0"}
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [member.user.email, facilitator.user.email]
    )
    body = mailoutbox[0].body
    # The email names neither the service nor the need.
    assert "Housing" not in body and mailoutbox[0].subject == "Sameboat: how did it go?"
    assert f"/n/riverside/referrals/{referral.pk}/" in body


def test_the_sweep_through_the_task_worker(
    immediate_tasks, referral, mailoutbox, django_capture_on_commit_callbacks
):
    referral.follow_up_on = timezone.localdate()
    referral.save(update_fields=["follow_up_on"])
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks_referrals.send_referral_reminders.enqueue()
    assert result.return_value == {"reminders": 2}
    with django_capture_on_commit_callbacks(execute=True):
        tasks_referrals.send_referral_reminders.enqueue()
    assert _reminders().count() == 2 and len(mailoutbox) == 2


def test_a_self_referral_reminds_the_member_once(
    immediate_tasks, network, member, mailoutbox, django_capture_on_commit_callbacks
):
    mine = referral_create(network=network, by=member, member=member, service=make_service(network))
    mine.follow_up_on = timezone.localdate()
    mine.save(update_fields=["follow_up_on"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("referrals", "remind")
    assert _reminders().count() == 1 and len(mailoutbox) == 1


def test_a_change_withdraws_the_pending_reminder_and_opens_a_new_stage(
    referral, member, facilitator
):
    # Daily digests: the reminders wait, pending, until the digest goes out.
    for person in (member, facilitator):
        notification_frequency_set(user=person.user, frequency=NotificationFrequency.DAILY)
    referral.follow_up_on = timezone.localdate()
    referral.save(update_fields=["follow_up_on"])
    call_command("referrals", "remind")
    assert set(_reminders().values_list("status", flat=True)) == {NotificationStatus.PENDING}

    referral_status_set(referral=referral, by=member, status="contacted")
    assert set(_reminders().values_list("status", flat=True)) == {NotificationStatus.SKIPPED}

    # The next stage, when its follow-up date comes, is asked about again, once.
    referral.follow_up_on = timezone.localdate()
    referral.save(update_fields=["follow_up_on"])
    call_command("referrals", "remind")
    call_command("referrals", "remind")
    fresh = _reminders().filter(topic=f"referral:{referral.pk}:1")
    assert fresh.count() == 2
    assert set(fresh.values_list("status", flat=True)) == {NotificationStatus.PENDING}


def test_a_closed_referral_is_not_reminded(referral, member):
    referral_status_set(referral=referral, by=member, status="got_help")
    call_command("referrals", "remind")
    assert not _reminders().exists()


def test_schedule_enqueues_one_sweep(db, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("referrals", "schedule")
    call_command("referrals", "schedule")
    assert (
        DBTaskResult.objects.filter(
            task_path=tasks_referrals.send_referral_reminders.module_path
        ).count()
        == 1
    )
    out = capsys.readouterr().out
    assert "scheduled for" in out and "already scheduled" in out
