import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MatchingMode(models.TextChoices):
    REVIEW = "review", _("A coordinator reviews each proposal first")
    DIRECT = "direct", _("Proposals go straight to both members")


class Network(models.Model):
    """A mutual aid network: the tenant. Everything a network holds is reached through it."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    open_signup = models.BooleanField(
        _("anyone may join"),
        default=False,
        help_text=_("If off, people join only by an invitation link."),
    )
    unit_name = models.CharField(_("unit of exchange"), max_length=30, default=_("hours"))
    # In hundredths of the unit, like every ledger amount. Soft: it flags, it never blocks help.
    balance_lower_limit = models.BigIntegerField(_("balance lower limit"), default=-2000)
    matching_mode = models.CharField(
        _("matching proposals"),
        max_length=10,
        choices=MatchingMode.choices,
        default=MatchingMode.REVIEW,
    )
    matching_every_minutes = models.PositiveIntegerField(
        _("find matches every (minutes)"),
        default=0,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("0 means only when a coordinator asks."),
    )
    mfa_required_for_leaders = models.BooleanField(
        _("coordinators and admins must use two-factor authentication"),
        default=False,
        help_text=_(
            "If on, a coordinator or admin of this network reaches its pages and its API only "
            "once they have set up an authenticator app."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    @property
    def unit_label(self) -> str:
        """The unit in the reader's language when it is one we translate ("hours" is)."""
        return gettext(self.unit_name)


class AreaKind(models.TextChoices):
    CITY = "city", _("City")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    BLOCK = "block", _("Block")


def _point_constraints(prefix: str) -> list[models.BaseConstraint]:
    """A point is both coordinates or neither, each within its range."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_point_whole",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
    ]


class ServiceArea(models.Model):
    """A place a network serves, in a tree: city, neighbourhood, block."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    # The area's centre: matching places members and asks there when it knows no better.
    latitude = models.DecimalField(
        _("latitude of the centre"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude of the centre"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "parent", "name"], name="area_name_unique_in_parent"
            ),
            *_point_constraints("area"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """What help is about (food, housing, ...), in a tree each network may extend."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="category_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AccessibilityTag(models.TextChoices):
    """Needs an ask may have and a helper may meet; matching pairs them only when all of an
    ask's needs are met."""

    STEP_FREE = "step_free", _("Step-free access")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    LARGE_PRINT = "large_print", _("Large print or read aloud")
    QUIET_SPACE = "quiet_space", _("A quiet space")
    FEMALE_HELPER = "female_helper", _("A woman helper")
    INTERPRETER = "interpreter", _("An interpreter")


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Admin")


class Member(models.Model):
    """A person's membership of one network, with their role there. A person may belong to
    several networks and is a separate member in each."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    service_area = models.ForeignKey(
        ServiceArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("service area"),
    )
    helps_with = models.ManyToManyField(
        Category, blank=True, related_name="+", verbose_name=_("can help with")
    )
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # Where a member is, coarsely: two decimals (about a kilometre) are all the schema holds,
    # so nobody's doorstep is ever stored. Empty: their service area's centre stands in.
    latitude = models.DecimalField(
        _("latitude (coarse)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude (coarse)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    travel_km = models.DecimalField(
        _("how far you will go (km)"),
        max_digits=5,
        decimal_places=1,
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    weekly_capacity = models.PositiveSmallIntegerField(
        _("matches a week"),
        default=2,
        validators=[MaxValueValidator(50)],
        help_text=_("How many matches you will take on in a week; 0 pauses new proposals."),
    )
    accessibility_offered = models.JSONField(
        _("accessibility you can offer"), default=list, blank=True
    )

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="member_unique_per_network"),
            *_point_constraints("member"),
            models.CheckConstraint(condition=Q(travel_km__gte=0), name="member_travel_km_positive"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def display_name(self) -> str:
        return self.user.display_name

    @property
    def coordinates(self) -> bool:
        """Coordinators and admins keep the network's asks moving."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


def default_invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=30)


class Invitation(models.Model):
    """A link that lets someone sign up (or join, if they have an account) into a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    email = models.EmailField(
        _("for email"), blank=True, help_text=_("Leave empty for a link anyone may use once.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=default_invitation_expiry)
    accepted_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.network}: {self.email or self.token[:6]}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
