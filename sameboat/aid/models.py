from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sameboat.core.erasable import PostTitleField
from sameboat.networks.models import Category, Member, Network, ServiceArea


class Urgency(models.IntegerChoices):
    LOW = 1, _("Whenever possible")
    NORMAL = 2, _("This week")
    HIGH = 3, _("In the next day or two")
    URGENT = 4, _("Today")


class Visibility(models.TextChoices):
    NETWORK = "network", _("Everyone in the network")
    COORDINATORS = "coordinators", _("Coordinators only")


class PostStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("an ask or offer's status", "Open")
    PAUSED = "paused", _("Paused")
    MATCHED = "matched", _("Matched")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")


class AidPost(models.Model):
    """What asks and offers share. Both belong to one member of one network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    title = PostTitleField(_("title"), max_length=120)
    details = models.TextField(_("details"), blank=True)
    area = models.ForeignKey(
        ServiceArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("area"),
    )
    # Both empty means ongoing.
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    languages = models.ManyToManyField(
        "core.Language", blank=True, related_name="+", verbose_name=_("languages")
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.NETWORK,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.OPEN
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.title)  # an erased author's kept post has a lazy label

    @property
    def is_ongoing(self) -> bool:
        return self.starts_on is None and self.ends_on is None


class Ask(AidPost):
    urgency = models.IntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    # Values of networks.AccessibilityTag; matching proposes only helpers who meet them all.
    accessibility_needs = models.JSONField(_("accessibility needs"), default=list, blank=True)

    class Meta(AidPost.Meta):
        verbose_name = _("ask")
        verbose_name_plural = _("asks")
        indexes = [
            models.Index(fields=["network", "status", "created_at"]),
            # The order of the ask list: a page reads 25 rows instead of sorting them all.
            models.Index(
                fields=["network", "-urgency", "-created_at", "-id"], name="ask_list_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="ask_window_ordered",
            )
        ]


class Offer(AidPost):
    class Meta(AidPost.Meta):
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["network", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="offer_window_ordered",
            )
        ]


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("a match's status", "Proposed")
    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_MATCH_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


class MatchSource(models.TextChoices):
    MANUAL = "manual", _("A person")
    ENGINE = "engine", _("Matching")


class ReviewState(models.TextChoices):
    """Whether the two members may see a match. Only matching's proposals in a network that
    reviews them start as pending; everything else is released from the start."""

    PENDING = "pending", _("Waiting for a coordinator")
    RELEASED = "released", _("Released to both members")
    REJECTED = "rejected", _("Rejected by a coordinator")


class Match(models.Model):
    """A helper and a receiver paired over an ask, an offer, or both. Both sides accept before
    either sees the other's contact details."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    ask = models.ForeignKey(
        Ask, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    helper = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    proposed_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    message = models.TextField(_("message"), blank=True)
    helper_accepted_at = models.DateTimeField(null=True, blank=True)
    receiver_accepted_at = models.DateTimeField(null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, null=True, blank=True)
    helper_feedback = models.TextField(_("helper's feedback"), blank=True)
    receiver_feedback = models.TextField(_("receiver's feedback"), blank=True)
    ended_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        _("proposed by"), max_length=10, choices=MatchSource.choices, default=MatchSource.MANUAL
    )
    run = models.ForeignKey(
        "matching.MatchingRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # Why matching proposed it, in words a person reads ("1.2 km away", "both speak Somali").
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.RELEASED
    )
    reviewed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        indexes = [
            models.Index(fields=["network", "status"]),
            # The review queue and each run's replacement read only matching's open proposals.
            models.Index(
                fields=["network", "review_state", "created_at"],
                condition=Q(source="engine", status="proposed"),
                name="match_engine_proposals",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ask__isnull=False) | Q(offer__isnull=False), name="match_has_subject"
            ),
            models.CheckConstraint(
                condition=~Q(helper=models.F("receiver")), name="match_not_with_self"
            ),
            models.UniqueConstraint(
                fields=["ask", "helper"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="match_one_active_per_ask_helper",
            ),
            models.UniqueConstraint(
                fields=["offer", "receiver"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="match_one_active_per_offer_receiver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper} → {self.receiver}"

    @property
    def is_pending_review(self) -> bool:
        """Proposed by matching and not yet released by a coordinator: the two members do
        not see it."""
        return self.review_state == ReviewState.PENDING

    @property
    def subject(self) -> Ask | Offer:
        subject = self.ask or self.offer
        assert subject is not None
        return subject

    def side_of(self, member: Member) -> str | None:
        if member.pk == self.helper_id:
            return "helper"
        if member.pk == self.receiver_id:
            return "receiver"
        return None

    def other_side(self, member: Member) -> Member:
        return self.receiver if member.pk == self.helper_id else self.helper

    def has_accepted(self, member: Member) -> bool:
        side = self.side_of(member)
        if side == "helper":
            return self.helper_accepted_at is not None
        if side == "receiver":
            return self.receiver_accepted_at is not None
        return False
