"""The match services tell the right people, and only once the change is committed."""

import pytest
from django.db import transaction

from sameboat.aid.services import (
    match_accept,
    match_decline,
    match_offer_help,
    match_pair,
    match_request_offer,
)
from sameboat.notifications.models import Notification, NotificationKind
from sameboat.notifications.services import notifications_muted

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings) -> None:
    settings.TASKS = IMMEDIATE_TASKS


def recipients(mailoutbox) -> list[str]:
    return sorted(address for email in mailoutbox for address in email.to)


def test_offering_help_tells_the_asker(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match_offer_help(ask=ask, helper=helper)
    assert recipients(mailoutbox) == [member.user.email]


def test_requesting_an_offer_tells_the_offerer(
    offer, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match_request_offer(offer=offer, receiver=member)
    assert recipients(mailoutbox) == [helper.user.email]


def test_a_coordinators_pairing_tells_both_and_not_the_coordinator(
    ask, offer, coordinator, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match_pair(by=coordinator, ask=ask, offer=offer)
    assert recipients(mailoutbox) == sorted([member.user.email, helper.user.email])


def test_only_the_acceptance_that_makes_the_match_tells_both(
    ask, offer, coordinator, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    match = match_pair(by=coordinator, ask=ask, offer=offer)
    with django_capture_on_commit_callbacks(execute=True):
        match = match_accept(match=match, by=helper)  # half accepted: nobody is told
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        match_accept(match=match, by=member)
    assert recipients(mailoutbox) == sorted([member.user.email, helper.user.email])
    # The pairing wrote its proposal news in its own transaction (the outbox); the
    # acceptances add exactly one "match is on" for each side.
    accepted = Notification.objects.filter(kind=NotificationKind.MATCH_ACCEPTED)
    assert sorted(accepted.values_list("user__email", flat=True)) == sorted(
        [member.user.email, helper.user.email]
    )


def test_a_declined_proposal_tells_nobody(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    match = match_offer_help(ask=ask, helper=helper)
    with django_capture_on_commit_callbacks(execute=True):
        match_decline(match=match, by=member)
    assert mailoutbox == []


def test_nothing_is_told_of_a_match_that_was_rolled_back(
    ask, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        match_offer_help(ask=ask, helper=helper)
        raise RuntimeError("the request failed after the match was written")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_nothing_is_told_while_notifications_are_muted(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with notifications_muted(), django_capture_on_commit_callbacks(execute=True):
        match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)
    assert not Notification.objects.exists()
    assert mailoutbox == []
