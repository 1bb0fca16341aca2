"""News that is not about a match (a group's proposal, a meeting) goes through the same
outbox: once per topic, kind and person, by each person's choice, withdrawn when stale."""

import pytest
from django.db import IntegrityError

from sameboat.accounts.models import NotificationFrequency
from sameboat.notifications.models import Notification, NotificationKind, NotificationStatus
from sameboat.notifications.services import (
    digests_send,
    notifications_withdraw,
    notify_members,
)

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def test_each_member_hears_once_by_their_own_choice(
    network, member, helper, choose, mailoutbox, django_capture_on_commit_callbacks
):
    choose(helper, NotificationFrequency.NEVER)
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify_members(
                network_id=network.pk,
                members=[member, helper],
                kind=NotificationKind.PROPOSAL_OPENED,
                topic="proposal:7",
                path="/n/riverside/decisions/7/",
            )
    assert Notification.objects.count() == 2
    assert [email.to for email in mailoutbox] == [[member.user.email]]
    body = mailoutbox[0].body
    assert "A proposal in Riverside Mutual Aid is open for your stance" in body
    assert "http://127.0.0.1:8000/n/riverside/decisions/7/" in body
    assert "Riverside" not in mailoutbox[0].subject
    skipped = Notification.objects.get(user=helper.user)
    assert skipped.status == NotificationStatus.SKIPPED


def test_stale_news_is_withdrawn_before_the_digest(network, member, choose, mailoutbox):
    choose(member, NotificationFrequency.DAILY)
    notify_members(
        network_id=network.pk,
        members=[member],
        kind=NotificationKind.PROPOSAL_CLOSING,
        topic="proposal:8",
        path="/n/riverside/decisions/8/",
    )
    notify_members(
        network_id=network.pk,
        members=[member],
        kind=NotificationKind.MEETING_REMINDER,
        topic="meeting:3",
        path="/n/riverside/groups/1/meetings/3/",
    )
    assert (
        notifications_withdraw(topic="proposal:8", kinds=[NotificationKind.PROPOSAL_CLOSING]) == 1
    )
    run = digests_send()
    assert (run.emails, run.sent) == (1, 1)
    assert "group meeting coming up" in mailoutbox[0].body
    assert "proposal" not in mailoutbox[0].body


def test_news_names_exactly_one_subject(network, member):
    with pytest.raises(ValueError):
        notify_members(
            network_id=network.pk,
            members=[member],
            kind=NotificationKind.MATCH_PROPOSED,
            topic="proposal:1",
            path="/x/",
        )
    with pytest.raises(IntegrityError):
        Notification.objects.create(
            user=member.user,
            network=network,
            kind=NotificationKind.PROPOSAL_OPENED,
            delivery=NotificationFrequency.IMMEDIATELY,
        )
