"""Calendar feeds: each member's secret address for their groups' meetings (RFC 5545
iCalendar), which calendar clients fetch without logging in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sameboat.networks.models import Member


class GroupNames(models.TextChoices):
    """What a feed's events are called. Calendars sync to phones, lock screens and shared
    family calendars, so a confidential group is not named unless the person chooses so."""

    OPEN = "open", _("Name open groups; call confidential groups' meetings “Group meeting”")
    NONE = "none", _("Discreet: call every meeting “Group meeting”")
    ALL = "all", _("Name every group, confidential ones too")


class CalendarFeed(models.Model):
    """A person's calendar feed in one network (a `Member` is a person in one network).

    Its address carries a secret, `selector` + `verifier`, both from `secrets`. The row is
    found by the selector; the verifier, 256 random bits, is then compared in constant time
    (`secrets.compare_digest`), so how long a wrong guess takes says nothing about how much
    of it was right. The verifier is kept as it is, not hashed, because the person needs to
    see the address again each time they add a calendar on another device; anyone who could
    read it from the database could read the meetings there too. Resetting replaces both
    parts, and the old address stops working at once."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    selector = models.CharField(max_length=16, unique=True)
    verifier = models.CharField(max_length=64)
    group_names = models.CharField(
        _("names of groups"),
        max_length=10,
        choices=GroupNames.choices,
        default=GroupNames.OPEN,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    reset_at = models.DateTimeField(_("address last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of member {self.member_id}"

    @property
    def token(self) -> str:
        """The secret part of the feed's addresses."""
        return f"{self.selector}{self.verifier}"
