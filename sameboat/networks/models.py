import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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


class ServiceArea(models.Model):
    """A place a network serves, in a tree: city, neighbourhood, block."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "parent", "name"], name="area_name_unique_in_parent"
            )
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

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="member_unique_per_network")
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
