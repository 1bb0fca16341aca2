"""When the mail server fails, the news stays in the outbox, unsent, and goes out on a
retry; a send that already happened is never repeated."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import TaskResultStatus
from django.utils import timezone

from sameboat.accounts.models import NotificationFrequency
from sameboat.aid.services import match_offer_help
from sameboat.notifications.models import Notification, NotificationStatus
from sameboat.notifications.services import digests_send, notifications_retry
from sameboat.notifications.tasks import send_notification

pytestmark = pytest.mark.usefixtures("immediate_tasks")

REFUSING = "sameboat.notifications.tests.test_mail_failure.RefusingMailBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


class RefusingMailBackend(BaseEmailBackend):
    """An SMTP server that hangs up. The mail server is outside our control, so this fake
    stands in for it (Django's locmem backend cannot fail); nothing of ours is faked."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def _mail_server(settings, backend: str) -> None:
    settings.MAILERS = {"default": {"BACKEND": backend}}


def test_failed_send_leaves_the_notification_unsent_and_a_retry_sends_it(
    settings, ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    _mail_server(settings, REFUSING)
    with django_capture_on_commit_callbacks(execute=True):
        match_offer_help(ask=ask, helper=helper)
    notification = Notification.objects.get(user=member.user)
    assert notification.status == NotificationStatus.PENDING and notification.sent_at is None
    assert (notification.attempts, notification.last_error) == (1, "SMTPServerDisconnected")
    assert notification.claim == "" and notification.claimed_at is None

    _mail_server(settings, WORKING)
    assert notifications_retry() == 0  # too soon: the first try may still be on its way
    assert notifications_retry(now=timezone.now() + timedelta(minutes=20)) == 1
    [email] = mailoutbox
    assert email.to == [member.user.email]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.sent_at is not None
    assert (notification.attempts, notification.last_error) == (2, "")


def test_sending_twice_sends_once(
    ask, member, helper, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match_offer_help(ask=ask, helper=helper)
    notification = Notification.objects.get(user=member.user)
    again = send_notification.enqueue(notification.pk)
    assert again.status == TaskResultStatus.SUCCESSFUL and again.return_value == "not pending"
    assert len(mailoutbox) == 1


def test_a_refused_digest_stays_pending_for_the_next_day(
    settings, ask, member, helper, choose, mailoutbox, django_capture_on_commit_callbacks
):
    choose(member, NotificationFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        match_offer_help(ask=ask, helper=helper)
    _mail_server(settings, REFUSING)
    run = digests_send()
    assert (run.emails, run.failed) == (0, 1)
    notification = Notification.objects.get(user=member.user)
    assert notification.status == NotificationStatus.PENDING and notification.claim == ""

    _mail_server(settings, WORKING)
    assert digests_send().emails == 1
    assert [email.to for email in mailoutbox] == [[member.user.email]]
