"""Consent records: for each use of a person's data that needs their say, when they gave it,
when they withdrew it, and which wording they were shown.

A row is never edited except to record its withdrawal: giving consent again writes a new row,
so the history stays whole. The current state of each purpose is also kept where it is used
(the person's contact sharing, email choice, coarse location), so that checking it costs no
query; the services in `sameboat.privacy.services` change both in one transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    CONTACT_AFTER_MATCH = (
        "contact_after_match",
        _("Share my email and phone with the person I am matched with, once we both accept"),
    )
    EMAIL_NOTIFICATIONS = (
        "email_notifications",
        _("Email me news of my matches, my groups' proposals and meetings, and my referrals"),
    )
    LOCATION_MATCHING = (
        "location_matching",
        _("Use my approximate location (about a kilometre) to propose matches near me"),
    )
    SESSION_NOTES = (
        "session_notes",
        _(
            "Let the facilitators and note-takers of my groups write about what I share in "
            "the session notes"
        ),
    )


class ConsentSource(models.TextChoices):
    SIGNUP = "signup", _("When signing up")
    PRIVACY_PAGE = "privacy_page", _("On the privacy page")
    API = "api", _("Through the API")
    SETTINGS = "settings", _("By changing a setting")


# The version of the wording a person was shown; a new wording gets a new version, so each
# record says what was agreed to.
TEXT_VERSION = "2026-11"


class Consent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    # Empty: the consent covers every network the person belongs to.
    network = models.ForeignKey(
        "networks.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    # Empty on a withdrawal with no recorded grant before it (the setting was on by default
    # before consent was recorded).
    given_at = models.DateTimeField(_("given"), null=True, blank=True, default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    text_version = models.CharField(_("wording version"), max_length=20, default=TEXT_VERSION)
    source = models.CharField(_("how"), max_length=20, choices=ConsentSource.choices)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "purpose", "given_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, given_at__isnull=False)
                | Q(withdrawn_at__isnull=False, given_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=Purpose.values), name="consent_purpose_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
