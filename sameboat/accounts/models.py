from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.core.crypto import EncryptedTextField
from sameboat.core.erasable import PseudonymField

# An erased person keeps their row (the ledger points at it) under an address nobody can own.
ERASED_EMAIL_DOMAIN = "erased.invalid"


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")


class NotificationFrequency(models.TextChoices):
    """How often a person hears from Sameboat by email about their matches."""

    IMMEDIATELY = "immediately", _("Right away, one email each time")
    DAILY = "daily", _("Once a day, in one email")
    NEVER = "never", _("Never: I will look on the site")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. They log in by email and show themselves by a display name, which may be a
    pseudonym: nobody has to give a legal name to get or give help."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = PseudonymField(_("display name"), max_length=80)
    languages = models.ManyToManyField(
        "core.Language", blank=True, related_name="+", verbose_name=_("languages spoken")
    )
    strengths = models.TextField(
        _("strengths"), blank=True, help_text=_("Skills and experience you can share.")
    )
    # Often health: encrypted at rest (sameboat.core.crypto).
    accessibility_needs = EncryptedTextField(_("accessibility needs"), blank=True)
    contact_preference = models.CharField(
        _("contact preference"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Whether the person agrees that the other side of an accepted match sees their email
    # and phone. The consent records (sameboat.privacy) hold its history; this is its state.
    shares_contact = models.BooleanField(_("share contact details after a match"), default=True)
    notification_frequency = models.CharField(
        _("emails with your news"),
        max_length=12,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATELY,
        help_text=_(
            "We tell you when someone is matched with you, when a match is on or waiting for "
            "your answer, when a proposal in your group opens, closes soon or is decided, and "
            "when your group meets. The email never says who or what it is about: only a link "
            "to Sameboat."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # An empty name means "erased" (see sameboat.core.erasable): nobody else has one.
            models.CheckConstraint(
                condition=~models.Q(display_name="")
                | models.Q(email__endswith="@" + ERASED_EMAIL_DOMAIN),
                name="user_named_unless_erased",
            ),
        ]

    def __str__(self) -> str:
        # Never the email address: a name shown to others is the one the person chose.
        # str(): an erased person's name is a lazy translation (sameboat.core.erasable).
        return str(self.display_name) or f"#{self.pk}"

    def get_short_name(self) -> str:
        return str(self.display_name)

    def get_full_name(self) -> str:
        return str(self.display_name)
