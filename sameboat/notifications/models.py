"""The outbox of emails to members: news about their matches, their groups' proposals and
meetings.

A notification is written in the same breath as the news it carries and sent afterwards, by
the task worker: if the mail server is down, the row stays pending and is sent on a retry or
in the next digest, so nothing is lost. Rows are kept after sending, as a record of what each
person was told and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import NotificationFrequency
from sameboat.aid.models import Match
from sameboat.networks.models import Network


class NotificationKind(models.TextChoices):
    MATCH_PROPOSED = "match_proposed", _("A match is proposed")
    MATCH_ACCEPTED = "match_accepted", _("A match is on")
    MATCH_REMINDER = "match_reminder", _("A match is waiting for an answer")
    PROPOSAL_OPENED = "proposal_opened", _("A proposal is open")
    PROPOSAL_CLOSING = "proposal_closing", _("A proposal closes soon")
    PROPOSAL_DECIDED = "proposal_decided", _("A proposal is decided")
    MEETING_REMINDER = "meeting_reminder", _("A meeting is coming up")
    REFERRAL_FOLLOW_UP = "referral_follow_up", _("A referral is waiting for news")


# News about a match names the match; any other news names its subject by a topic, a short
# key such as "proposal:12" or "meeting:40", and carries the site path its email links to.
MATCH_KINDS = (
    NotificationKind.MATCH_PROPOSED,
    NotificationKind.MATCH_ACCEPTED,
    NotificationKind.MATCH_REMINDER,
)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    # The person chose never to be emailed, or the news went stale before it was sent.
    SKIPPED = "skipped", _("Not sent")


class Notification(models.Model):
    """One piece of news for one person about one match (or one other subject, by topic),
    and whether it has gone out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=64, blank=True)
    path = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    # The person's choice when the row was written: immediately rows have a task of their
    # own, daily rows wait for the digest, never rows are written already skipped.
    delivery = models.CharField(_("delivery"), max_length=12, choices=NotificationFrequency.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # A sender claims rows before mailing them (claim is its batch marker), so two workers
    # never send the same row; a claim left by a crashed worker expires (see services).
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The class of the last sending error only: a mail server's message may quote addresses.
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Each person hears each kind of news about a match once: a proposal once, an
            # acceptance once, a reminder once, however often the callers ask.
            models.UniqueConstraint(
                fields=["match", "user", "kind"],
                condition=Q(match__isnull=False),
                name="notification_once_per_match_person",
            ),
            # Likewise for other news: one "opened", one "closing soon" per proposal and
            # person; one reminder per meeting and person.
            models.UniqueConstraint(
                fields=["topic", "user", "kind"],
                condition=~Q(topic=""),
                name="notification_once_per_topic_person",
            ),
            models.CheckConstraint(
                condition=Q(match__isnull=False, topic="") | Q(match__isnull=True) & ~Q(topic=""),
                name="notification_names_one_subject",
            ),
        ]
        indexes = [
            models.Index(
                fields=["delivery", "created_at"],
                condition=Q(status="pending"),
                name="notification_outbox",
            ),
            models.Index(fields=["claim"], condition=~Q(claim=""), name="notification_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user} ({self.get_status_display()})"
