"""A side that lets a proposal wait more than MATCH_REMINDER_AFTER_DAYS days is reminded,
once per match."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sameboat.aid.models import Match
from sameboat.aid.services import match_accept, match_offer_help, match_pair
from sameboat.notifications.models import Notification, NotificationKind
from sameboat.notifications.tasks import send_stale_reminders

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def _age(match: Match, days: float) -> None:
    # Match is not trigger-protected: moving its creation back is how time passes here.
    Match.objects.filter(pk=match.pk).update(created_at=timezone.now() - timedelta(days=days))


def _remind(capture) -> int:
    with capture(execute=True):
        result = send_stale_reminders.enqueue()
    return result.return_value["reminders"]


def test_waiting_side_is_reminded_once_after_the_set_number_of_days(
    settings, ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MATCH_REMINDER_AFTER_DAYS = 3
    capture = django_capture_on_commit_callbacks
    match = match_offer_help(ask=ask, helper=helper)

    _age(match, 2.9)
    assert _remind(capture) == 0 and mailoutbox == []

    _age(match, 3.1)
    assert _remind(capture) == 1
    [email] = mailoutbox
    assert email.to == [member.user.email]  # the helper accepted by offering
    assert "waiting for your answer" in email.body

    assert _remind(capture) == 0  # not twice
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(kind=NotificationKind.MATCH_REMINDER).count() == 1


def test_each_side_of_a_pairing_is_reminded_until_it_answers(
    ask, offer, coordinator, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    match = match_pair(by=coordinator, ask=ask, offer=offer)
    match_accept(match=match, by=helper)
    _age(match, 10)
    assert _remind(capture) == 1
    assert [email.to for email in mailoutbox] == [[member.user.email]]


def test_answered_or_ended_matches_are_not_reminded(
    ask, member, helper, django_capture_on_commit_callbacks
):
    match = match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)
    _age(match, 10)
    assert _remind(django_capture_on_commit_callbacks) == 0
