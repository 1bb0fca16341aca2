"""Someone who chose "immediately" gets one email per piece of news, and the email says
nothing that would hurt them if someone else read it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sameboat.aid.models import Match
from sameboat.aid.services import match_accept, match_offer_help
from sameboat.notifications.models import Notification, NotificationStatus
from sameboat.notifications.tasks import send_stale_reminders

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def test_asker_gets_one_email_for_a_proposal_and_one_when_the_match_is_on(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = match_offer_help(ask=ask, helper=helper, message="I'm free Friday")
    assert [email.to for email in mailoutbox] == [[member.user.email]]
    assert "could be matched with you" in mailoutbox[0].body
    assert f"http://127.0.0.1:8000/n/riverside/matches/{match.pk}/" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        match_accept(match=match, by=member)
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [member.user.email, helper.user.email]
    )
    assert all("is on" in email.body for email in mailoutbox)
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()


def test_emails_never_carry_contact_details_names_or_what_the_help_is_about(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    for person, phone in ((member, "+44 7700 900123"), (helper, "+44 7700 900456")):
        person.user.phone = phone
        person.user.save(update_fields=["phone"])
    ask.details = "I am in recovery and need a lift to my meeting"
    ask.save(update_fields=["details"])
    with django_capture_on_commit_callbacks(execute=True):
        match = match_offer_help(ask=ask, helper=helper, message="Call me on +44 7700 900456")
    with django_capture_on_commit_callbacks(execute=True):
        match_accept(match=match, by=member)
    assert len(mailoutbox) == 3  # the proposal to the asker, "it's on" to both

    for email in mailoutbox:
        text = f"{email.subject}\n{email.body}"
        assert "@" not in text  # no address at all, not even the recipient's own
        other = helper if email.to == [member.user.email] else member
        for secret in ("7700", ask.title, ask.details, "Call me", other.user.display_name):
            assert secret not in text, (secret, text)
        assert "Riverside Mutual Aid" in email.body
        # A subject shows on a lock screen: not even the network's name.
        assert "Riverside" not in email.subject
        assert email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_reminder_email_is_as_discreet_as_the_others(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = match_offer_help(ask=ask, helper=helper, message="See you at the clinic")
    Match.objects.filter(pk=match.pk).update(created_at=timezone.now() - timedelta(days=10))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_stale_reminders.enqueue()
    [email] = mailoutbox
    assert email.to == [member.user.email]
    assert "waiting for your answer" in email.body
    assert "@" not in email.body and ask.title not in email.body
    assert "clinic" not in email.body and helper.user.display_name not in email.body


def test_links_use_the_site_address_and_names_are_not_html_escaped(
    settings, ask, member, helper, network, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://aid.example.org/"
    network.name = "Food & Friends"
    network.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        match = match_offer_help(ask=ask, helper=helper)
    [email] = mailoutbox
    assert f"https://aid.example.org/n/riverside/matches/{match.pk}/" in email.body
    assert "https://aid.example.org/profile/" in email.body
    assert "Food & Friends" in email.body and "&amp;" not in email.body
