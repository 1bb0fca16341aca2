"""Members are told when a proposal opens (all who may take part but its author), when it
closes soon (those who have not taken part) and when it is decided (all who may take part).
Stale news waiting for a digest is withdrawn when the proposal is decided or withdrawn. The
emails link to the proposal and never name it or its group."""

import pytest
from django.urls import reverse

from sameboat.accounts.models import NotificationFrequency
from sameboat.decisions.services import proposal_close, proposal_withdraw, stance_take
from sameboat.decisions.tasks import notify_closing_soon
from sameboat.notifications.models import Notification, NotificationKind, NotificationStatus
from sameboat.notifications.services import notification_frequency_set

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def _to(mailoutbox) -> set[str]:
    return {address for email in mailoutbox for address in email.to}


def test_opening_closing_soon_and_decided(
    circle, counsellor, confidential, propose, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(circle["ines"], group=confidential, title="Secret plans")
    everyone = {m.user.email for m in (*circle.values(), counsellor)}
    assert _to(mailoutbox) == everyone - {circle["ines"].user.email}
    link = reverse("decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk})
    assert all(link in email.body for email in mailoutbox)
    assert all("Secret plans" not in email.body + email.subject for email in mailoutbox)
    assert all("Recovery circle" not in email.body for email in mailoutbox)

    mailoutbox.clear()
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_closing_soon.call(proposal.pk) == 4
    assert _to(mailoutbox) == everyone - {circle["ana"].user.email}
    assert all(email.subject == "Sameboat: a proposal closes soon" for email in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_closing_soon.call(proposal.pk) == 0  # once

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_close(proposal=proposal, by=counsellor)
    assert _to(mailoutbox) == everyone
    assert all(email.subject == "Sameboat: a proposal has been decided" for email in mailoutbox)


def test_news_waiting_for_the_digest_is_withdrawn_when_decided(
    circle, counsellor, confidential, propose, django_capture_on_commit_callbacks
):
    notification_frequency_set(user=circle["bo"].user, frequency=NotificationFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(circle["ines"], group=confidential)
        notify_closing_soon.call(proposal.pk)
        proposal_close(proposal=proposal, by=counsellor)
    bo = {row.kind: row.status for row in Notification.objects.filter(user=circle["bo"].user)}
    assert bo == {
        NotificationKind.PROPOSAL_OPENED: NotificationStatus.SKIPPED,
        NotificationKind.PROPOSAL_CLOSING: NotificationStatus.SKIPPED,
        NotificationKind.PROPOSAL_DECIDED: NotificationStatus.PENDING,
    }


def test_a_withdrawn_proposal_sends_no_closing_notice(
    circle, confidential, propose, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(circle["ines"], group=confidential)
        proposal_withdraw(proposal=proposal, by=circle["ines"])
    mailoutbox.clear()
    assert notify_closing_soon.call(proposal.pk) == 0
    assert not Notification.objects.filter(kind=NotificationKind.PROPOSAL_CLOSING).exists()
    assert not Notification.objects.filter(kind=NotificationKind.PROPOSAL_DECIDED).exists()
