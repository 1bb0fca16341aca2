"""The emails themselves: plain text, short, and safe to be read over someone's shoulder.

Members include people in recovery and people whose immigration status is insecure, and an
inbox is not always private. So an email names the network and links to the match (or the
proposal, or the meeting), and says nothing else: not the other person's name or contact
details, not what the ask or offer is about, not which group a proposal or meeting is in.
The subject does not even name the network (it shows on lock screens). The site shows the
rest to whoever signs in.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import NotificationFrequency, User
from sameboat.notifications.models import Notification, NotificationKind

SUBJECTS = {
    NotificationKind.MATCH_PROPOSED: _("Sameboat: someone could be matched with you"),
    NotificationKind.MATCH_ACCEPTED: _("Sameboat: your match is on"),
    NotificationKind.MATCH_REMINDER: _("Sameboat: a match is waiting for your answer"),
    NotificationKind.PROPOSAL_OPENED: _("Sameboat: a proposal is open for your stance"),
    NotificationKind.PROPOSAL_CLOSING: _("Sameboat: a proposal closes soon"),
    NotificationKind.PROPOSAL_DECIDED: _("Sameboat: a proposal has been decided"),
    NotificationKind.MEETING_REMINDER: _("Sameboat: a meeting is coming up"),
    NotificationKind.REFERRAL_FOLLOW_UP: _("Sameboat: how did it go?"),
}
DIGEST_SUBJECT = _("Sameboat: your news of the day")

# Tells mail servers and autoresponders that no person wrote this (RFC 3834): no out-of-office
# replies to our no-reply address.
HEADERS = {"Auto-Submitted": "auto-generated"}


@dataclass(frozen=True, slots=True)
class Item:
    """What an email may say about one notification."""

    kind: str
    network: str
    link: str


def site_link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def item_of(notification: Notification) -> Item:
    """Reads notification.network, which the caller selects with the row."""
    if notification.match_id is None:
        path = notification.path
    else:
        path = reverse(
            "aid:match_detail",
            kwargs={"network": notification.network.slug, "pk": notification.match_id},
        )
    return Item(kind=notification.kind, network=notification.network.name, link=site_link(path))


def _language(user: User) -> str:
    # People have no language preference yet; when they do, it goes here.
    return settings.LANGUAGE_CODE


def notification_email(notification: Notification) -> EmailMessage:
    """One email for one notification (to someone who chose to hear right away)."""
    user = notification.user
    with translation.override(_language(user)):
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "name": user.display_name,
                "item": item_of(notification),
                "delivery": NotificationFrequency.IMMEDIATELY,
                "profile_link": site_link(reverse("accounts:profile")),
            },
        )
        subject = str(SUBJECTS[NotificationKind(notification.kind)])
    return EmailMessage(subject=subject, body=body, to=[user.email], headers=HEADERS)


def digest_email(user: User, notifications: Sequence[Notification]) -> EmailMessage:
    """One email with a person's pending news (for those who chose a daily digest)."""
    with translation.override(_language(user)):
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "name": user.display_name,
                "items": [item_of(notification) for notification in notifications],
                "delivery": NotificationFrequency.DAILY,
                "profile_link": site_link(reverse("accounts:profile")),
            },
        )
        subject = str(DIGEST_SUBJECT)
    return EmailMessage(subject=subject, body=body, to=[user.email], headers=HEADERS)
