"""Goals scaled by Goal Attainment Scaling (Kiresuk and Sherman 1968): a group's goals and its
members' personal goals, each with five described levels, a baseline and a weight, and the
check-ins that record the level reached over time. The T-scores are computed, never stored
(see `gas` and `history`)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sameboat.core.crypto import EncryptedCharField, EncryptedTextField
from sameboat.goals import gas
from sameboat.groups.models import Group
from sameboat.networks.models import Member


class GoalKind(models.TextChoices):
    GROUP = "group", _("Group goal")
    PERSONAL = "personal", _("Personal goal")


class GoalVisibility(models.TextChoices):
    """Who may see a personal goal, as its member chose. Nobody else, ever: not the network's
    coordinators, not anyone outside the group."""

    ONLY_ME = "only_me", _("Only me")
    FACILITATORS = "facilitators", _("Me and the group's facilitators")
    GROUP = "group", _("The whole group")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("a goal's status", "Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Level(models.IntegerChoices):
    """The five levels of Goal Attainment Scaling, worst to best; 0 is the expected outcome."""

    MUCH_LESS = -2, _("−2: much less than expected")
    LESS = -1, _("−1: somewhat less than expected")
    EXPECTED = 0, _("0: the expected outcome")
    MORE = 1, _("+1: somewhat more than expected")
    MUCH_MORE = 2, _("+2: much more than expected")


# The five description fields, by level, in the order of `gas.LEVELS`.
LEVEL_FIELDS: dict[int, str] = {
    -2: "level_minus_2",
    -1: "level_minus_1",
    0: "level_0",
    1: "level_plus_1",
    2: "level_plus_2",
}
assert tuple(LEVEL_FIELDS) == gas.LEVELS

DESCRIPTION_MAX = 500


class Goal(models.Model):
    """A goal of a group (set and checked in by its facilitators) or a member's personal goal
    in a group (set and checked in by that member, seen by whom they chose)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("kind"), max_length=10, choices=GoalKind.choices)
    owner = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("whose goal"),
        help_text=_("The member whose personal goal this is; empty for a group goal."),
    )
    # A goal in a person's own words ("stay sober through the holidays") and its levels are
    # encrypted at rest, group goals alike: the columns are one.
    title = EncryptedCharField(_("goal"), max_length=200)
    level_minus_2 = EncryptedTextField(_("−2: much less than expected"), max_length=DESCRIPTION_MAX)
    level_minus_1 = EncryptedTextField(
        _("−1: somewhat less than expected"), max_length=DESCRIPTION_MAX
    )
    level_0 = EncryptedTextField(_("0: the expected outcome"), max_length=DESCRIPTION_MAX)
    level_plus_1 = EncryptedTextField(
        _("+1: somewhat more than expected"), max_length=DESCRIPTION_MAX
    )
    level_plus_2 = EncryptedTextField(_("+2: much more than expected"), max_length=DESCRIPTION_MAX)
    baseline = models.SmallIntegerField(
        _("where things stand now (baseline)"), choices=Level.choices, default=Level.LESS
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("How much this goal counts beside the others; 1 unless some matter more."),
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=20,
        choices=GoalVisibility.choices,
        default=GoalVisibility.ONLY_ME,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    set_on = models.DateField(_("set on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["set_on", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [models.Index(fields=["group", "kind"])]
        constraints = [
            # A personal goal has its member; a group goal has none and is the group's to see.
            models.CheckConstraint(
                condition=(
                    Q(kind=GoalKind.PERSONAL, owner__isnull=False)
                    | Q(kind=GoalKind.GROUP, owner__isnull=True, visibility=GoalVisibility.GROUP)
                ),
                name="goal_kind_matches_owner",
            ),
            models.CheckConstraint(
                condition=Q(baseline__gte=-2, baseline__lte=2), name="goal_baseline_is_a_level"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="goal_weight_above_zero"),
            models.CheckConstraint(
                condition=~Q(level_minus_2="")
                & ~Q(level_minus_1="")
                & ~Q(level_0="")
                & ~Q(level_plus_1="")
                & ~Q(level_plus_2=""),
                name="goal_every_level_described",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=GoalVisibility.values), name="goal_visibility_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values), name="goal_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_personal(self) -> bool:
        return self.kind == GoalKind.PERSONAL

    @property
    def counts(self) -> bool:
        """Whether the goal counts in T-scores: a dropped goal no longer does."""
        return self.status != GoalStatus.DROPPED

    def description_of(self, level: int) -> str:
        return str(getattr(self, LEVEL_FIELDS[gas.check_level(level)]))

    def levels(self) -> list[tuple[int, str, str]]:
        """(level, its name, this goal's description of it), worst to best."""
        names = dict(Level.choices)
        return [(level, str(names[level]), self.description_of(level)) for level in gas.LEVELS]


class GoalCheckIn(models.Model):
    """The level a goal had reached on a date, as its member (personal goal) or one of the
    group's facilitators (group goal) recorded it. Never edited: a new check-in supersedes."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    level = models.SmallIntegerField(_("level reached"), choices=Level.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    note = EncryptedTextField(_("note"), blank=True, max_length=1000)
    by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at", "id"]
        verbose_name = _("goal check-in")
        verbose_name_plural = _("goal check-ins")
        indexes = [models.Index(fields=["goal", "on", "created_at", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="goal_check_in_level_is_a_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.level} on {self.on}"
