"""Someone who chose a daily digest hears nothing at once, then one email a day with all
their news; the digest's queries do not grow with the number of people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sameboat.accounts.models import NotificationFrequency
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_offer_help,
    match_request_offer,
)
from sameboat.notifications.models import Notification, NotificationStatus
from sameboat.notifications.services import digests_send
from sameboat.notifications.tasks import send_daily_digests

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def test_daily_person_gets_nothing_at_once_then_one_digest_with_both_items(
    ask, offer, member, helper, choose, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, NotificationFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        proposed = match_offer_help(ask=ask, helper=helper)  # waits on the member
    with django_capture_on_commit_callbacks(execute=True):
        on = match_request_offer(offer=offer, receiver=member)
    with django_capture_on_commit_callbacks(execute=True):
        match_accept(match=on, by=helper)  # now on: both are told
    assert member.user.email not in [address for email in mailoutbox for address in email.to]

    mailoutbox.clear()
    result = send_daily_digests.enqueue()
    assert result.return_value["emails"] == 1 and result.return_value["sent"] == 2
    [digest] = mailoutbox
    assert digest.to == [member.user.email]
    assert "2 pieces of news" in digest.body
    assert "could be matched with you" in digest.body and "is on" in digest.body
    assert f"/n/riverside/matches/{proposed.pk}/" in digest.body
    assert f"/n/riverside/matches/{on.pk}/" in digest.body
    assert (
        "@" not in digest.body and ask.title not in digest.body and offer.title not in digest.body
    )
    assert set(Notification.objects.filter(user=member.user).values_list("status", flat=True)) == {
        NotificationStatus.SENT
    }

    mailoutbox.clear()
    assert digests_send().emails == 0  # nothing new, no email
    assert mailoutbox == []


def test_a_proposal_answered_on_the_site_is_left_out_of_the_digest(
    ask, member, helper, choose, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, NotificationFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        match = match_offer_help(ask=ask, helper=helper)
    with django_capture_on_commit_callbacks(execute=True):
        match_accept(match=match, by=member)
    mailoutbox.clear()
    run = digests_send()
    assert (run.emails, run.sent, run.skipped) == (1, 1, 1)
    [digest] = mailoutbox
    assert "is on" in digest.body and "could be matched" not in digest.body


def _daily_people_with_news(count, *, make_member, food, helper, capture) -> None:
    for _ in range(count):
        person = make_member()
        person.user.notification_frequency = NotificationFrequency.DAILY
        person.user.save(update_fields=["notification_frequency"])
        ask = ask_create(member=person, fields=PostFields(category=food, title="Soup, please"))
        with capture(execute=True):
            match_offer_help(ask=ask, helper=helper)


def test_digest_queries_do_not_grow_with_the_number_of_people(
    make_member, food, helper, mailoutbox, django_capture_on_commit_callbacks
):
    def digest_queries(people: int) -> int:
        _daily_people_with_news(
            people,
            make_member=make_member,
            food=food,
            helper=helper,
            capture=django_capture_on_commit_callbacks,
        )
        mailoutbox.clear()
        with CaptureQueriesContext(connection) as queries:
            run = digests_send()
        assert run.emails == len(mailoutbox) == people
        return len(queries)

    few, many = digest_queries(2), digest_queries(8)
    assert few == many
    assert many <= 5  # claim, read, mark sent, release (and mark stale, when there is some)
