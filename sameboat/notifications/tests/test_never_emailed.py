"""Someone who chose "never" gets no email at all; the news is kept, marked not sent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sameboat.accounts.models import NotificationFrequency
from sameboat.aid.models import Match
from sameboat.aid.services import match_accept, match_offer_help
from sameboat.notifications.models import Notification, NotificationStatus
from sameboat.notifications.services import digests_send, reminders_create

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def test_person_who_chose_never_gets_no_email(
    ask, member, helper, choose, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, NotificationFrequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        match = match_offer_help(ask=ask, helper=helper)
    with django_capture_on_commit_callbacks(execute=True):
        match_accept(match=match, by=member)
    digests_send()
    assert [email.to for email in mailoutbox] == [[helper.user.email]]  # only "it's on"
    assert set(Notification.objects.filter(user=member.user).values_list("status", flat=True)) == {
        NotificationStatus.SKIPPED
    }


def test_choosing_never_stops_news_already_waiting_for_the_digest(
    ask, member, helper, choose, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, NotificationFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        match_offer_help(ask=ask, helper=helper)
    choose(member, NotificationFrequency.NEVER)
    run = digests_send()
    assert (run.emails, run.skipped) == (0, 1)
    assert mailoutbox == []
    assert Notification.objects.get(user=member.user).status == NotificationStatus.SKIPPED


def test_never_is_remembered_so_the_reminder_sweep_passes_over_them(
    ask, member, helper, choose, django_capture_on_commit_callbacks
):
    choose(member, NotificationFrequency.NEVER)
    match = match_offer_help(ask=ask, helper=helper)
    Match.objects.filter(pk=match.pk).update(created_at=timezone.now() - timedelta(days=5))
    [reminder] = reminders_create()
    assert reminder.status == NotificationStatus.SKIPPED
    assert reminders_create() == []
