"""Groups of a network: who belongs, the pre-group plan, the group's stage over time, and its
meetings (agenda, attendance, rotating roles)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from sameboat.core.crypto import EncryptedCharField, EncryptedTextField
from sameboat.networks.models import Member, Network


class GroupType(models.TextChoices):
    SUPPORT = "support", _("Support")
    RECOVERY = "recovery", _("Recovery")
    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing")
    IMMIGRANT_REFUGEE = "immigrant_refugee", _("Immigrant and refugee")
    HEALTH = "health", _("Health")
    TENANTS_ADVOCACY = "tenants_advocacy", _("Tenants and advocacy")
    OTHER = "other", _("Other")


class Joining(models.TextChoices):
    REQUEST = "request", _("By request: members ask, a facilitator approves")
    INVITATION = "invitation", _("By invitation: facilitators add members")


class StageModel(models.TextChoices):
    BOSTON = "boston", _("Garland, Jones and Kolodny (the Boston model)")
    TUCKMAN = "tuckman", _("Tuckman")


class ProcessList(models.TextChoices):
    SHULMAN = "shulman", _("Shulman's ten mutual aid processes")
    STEINBERG = "steinberg", _("Steinberg's nine mutual aid processes")


class Stage(models.TextChoices):
    PREAFFILIATION = "preaffiliation", _("Preaffiliation")
    POWER_AND_CONTROL = "power_and_control", _("Power and control")
    INTIMACY = "intimacy", _("Intimacy")
    DIFFERENTIATION = "differentiation", _("Differentiation")
    SEPARATION = "separation", _("Separation")
    FORMING = "forming", _("Forming")
    STORMING = "storming", _("Storming")
    NORMING = "norming", _("Norming")
    PERFORMING = "performing", _("Performing")
    ADJOURNING = "adjourning", _("Adjourning")


# The stages of each model, in order: a group records stages of its own model only.
STAGES: dict[str, tuple[Stage, ...]] = {
    StageModel.BOSTON: (
        Stage.PREAFFILIATION,
        Stage.POWER_AND_CONTROL,
        Stage.INTIMACY,
        Stage.DIFFERENTIATION,
        Stage.SEPARATION,
    ),
    StageModel.TUCKMAN: (
        Stage.FORMING,
        Stage.STORMING,
        Stage.NORMING,
        Stage.PERFORMING,
        Stage.ADJOURNING,
    ),
}


class Group(models.Model):
    """A mutual aid group inside a network, open to the network or confidential."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    type = models.CharField(_("type"), max_length=30, choices=GroupType.choices)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Only the group's members see who belongs and what it does; coordinators see "
            "only that it exists and how many belong."
        ),
    )
    joining = models.CharField(
        _("joining"), max_length=20, choices=Joining.choices, default=Joining.REQUEST
    )
    stage_model = models.CharField(
        _("model of group development"),
        max_length=20,
        choices=StageModel.choices,
        default=StageModel.BOSTON,
    )
    process_list = models.CharField(
        _("mutual aid processes"),
        max_length=20,
        choices=ProcessList.choices,
        default=ProcessList.SHULMAN,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")


class GroupMemberStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class MeetingRole(models.TextChoices):
    """The rotating roles of a meeting, in the order the rotation fills them."""

    CHAIR = "chair", _("Chair")
    NOTE_TAKER = "note_taker", _("Note-taker")
    TIMEKEEPER = "timekeeper", _("Timekeeper")
    CHECK_IN_HOST = "check_in_host", _("Check-in host")


def all_meeting_roles() -> list[str]:
    """Default willingness: every role, until the member says otherwise."""
    return [role.value for role in MeetingRole]


class GroupMember(models.Model):
    """A network member's place in a group. One row per person and group, whatever its
    history: asking again after leaving reuses it."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(
        _("role"), max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GroupMemberStatus.choices,
        default=GroupMemberStatus.REQUESTED,
    )
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    willing_roles = models.JSONField(
        _("roles willing to hold"), default=all_meeting_roles, blank=True
    )
    available = models.BooleanField(
        _("available for meeting roles"),
        default=True,
        help_text=_("Whether the rotation may give them a role at the coming meetings."),
    )

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="group_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.member}"

    @property
    def is_active(self) -> bool:
        return self.status == GroupMemberStatus.ACTIVE

    @property
    def facilitates(self) -> bool:
        return self.is_active and self.role == GroupRole.FACILITATOR


class PreGroupPlan(models.Model):
    """Kurland's pre-group planning components, inside the agency context."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="plan")
    need = models.TextField(_("need"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    composition = models.TextField(_("composition"), blank=True)
    structure = models.TextField(_("structure"), blank=True)
    content = models.TextField(_("content"), blank=True)
    pre_group_contact = models.TextField(_("pre-group contact"), blank=True)
    agency_context = models.TextField(_("agency context"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pre-group plan")
        verbose_name_plural = _("pre-group plans")

    def __str__(self) -> str:
        return str(self.group)


PLAN_FIELDS = (
    "need",
    "purpose",
    "composition",
    "structure",
    "content",
    "pre_group_contact",
    "agency_context",
)


class StageRecord(models.Model):
    """The stage a group was in at a moment, under the model it uses."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="stages")
    model = models.CharField(_("model"), max_length=20, choices=StageModel.choices)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("stage record")
        verbose_name_plural = _("stage records")

    def __str__(self) -> str:
        return f"{self.group}: {self.stage}"


class Recurrence(models.TextChoices):
    NONE = "none", _("One-off")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Fortnightly")
    MONTHLY = "monthly", _("Monthly")


class Meeting(models.Model):
    """One meeting of a group. A recurring meeting is a series of rows sharing `series`."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    series = models.UUIDField(_("series"), default=uuid.uuid4, editable=False, db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.NONE
    )
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.group}: {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    """Something a member of the group wants to talk about at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("title"), max_length=200)
    proposed_by = models.ForeignKey(
        GroupMember, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Whether a member of the group was at a meeting, as a facilitator recorded it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.member_id} {self.present}"


class RoleAssignment(models.Model):
    """Who holds one of the rotating roles at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=MeetingRole.choices)
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="meeting_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.role}"


class Unavailability(models.Model):
    """A stretch of days when a member of the group cannot hold a meeting role (away, busy,
    unwell): the rotation passes over them for meetings on those days. No reason is kept."""

    member = models.ForeignKey(
        GroupMember, on_delete=models.CASCADE, related_name="unavailable_periods"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("time away")
        verbose_name_plural = _("times away")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="unavailability_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.starts_on}–{self.ends_on}"


# --- session records and participation ------------------------------------------------------


class MutualAidProcess(models.TextChoices):
    """The mutual aid processes (Shulman; Gitterman), in the order they are usually listed."""

    SHARING_DATA = "sharing_data", _("Sharing data")
    DIALECTICAL_PROCESS = "dialectical_process", _("The dialectical process")
    TABOO_AREA = "taboo_area", _("Discussing a taboo area")
    SAME_BOAT = "same_boat", _("The all-in-the-same-boat phenomenon")
    UNIVERSAL_PERSPECTIVE = "universal_perspective", _("Developing a universal perspective")
    MUTUAL_SUPPORT = "mutual_support", _("Mutual support")
    MUTUAL_DEMAND = "mutual_demand", _("Mutual demand")
    INDIVIDUAL_PROBLEM_SOLVING = "individual_problem_solving", _("Individual problem solving")
    REHEARSAL = "rehearsal", _("Rehearsal")
    STRENGTH_IN_NUMBERS = "strength_in_numbers", _("Strength in numbers")


# The processes a group tags under the list it chose. Steinberg counts nine: she folds
# "developing a universal perspective" into the others, so a Steinberg group cannot tag it.
PROCESSES: dict[str, tuple[MutualAidProcess, ...]] = {
    ProcessList.SHULMAN: tuple(MutualAidProcess),
    ProcessList.STEINBERG: tuple(
        process for process in MutualAidProcess if process != MutualAidProcess.UNIVERSAL_PERSPECTIVE
    ),
}

# Participation is counted coarsely on purpose: enough to see who is left out, never a record
# of what anyone said. The top value means "this many or more".
MAX_CONTRIBUTIONS = 3


class SessionRecord(models.Model):
    """What the note-taker or a facilitator noted about one meeting: notes, the mutual aid
    processes observed (a practice tool, not a validated measure) and the group's stage.

    The stage is not stored here but in a `StageRecord` this record links to, so that the
    group's stage history stays one history whether a stage was recorded on its own or in a
    session record; editing the session record's stage edits that one row."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="session_record")
    # What was said and by whom, often about recovery or health: encrypted at rest.
    notes = EncryptedTextField(_("notes"), blank=True)
    processes = models.JSONField(_("mutual aid processes observed"), default=list, blank=True)
    stage_record = models.OneToOneField(
        StageRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_record",
    )
    recorded_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("session record")
        verbose_name_plural = _("session records")

    def __str__(self) -> str:
        return str(self.meeting)

    def get_processes_display(self) -> list[str]:
        labels = dict(MutualAidProcess.choices)
        return [str(labels.get(value, value)) for value in self.processes]


class Participation(models.Model):
    """How much one member present at a meeting took part, coarsely: how many times they
    contributed (0 to `MAX_CONTRIBUTIONS`, the top meaning "or more") and whether they led an
    agenda item or part of the meeting. Holding a meeting role counts as leading on its own,
    from `RoleAssignment`, so it is not stored here. Never what anyone said."""

    record = models.ForeignKey(
        SessionRecord, on_delete=models.CASCADE, related_name="participation"
    )
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="+")
    contributions = models.PositiveSmallIntegerField(_("times they took part"), default=0)
    led = models.BooleanField(_("led an agenda item or part of the meeting"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(fields=["record", "member"], name="participation_unique"),
            models.CheckConstraint(
                condition=models.Q(contributions__lte=MAX_CONTRIBUTIONS),
                name="participation_contributions_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.member_id} {self.contributions}"

    @property
    def contributions_display(self) -> str:
        if self.contributions >= MAX_CONTRIBUTIONS:
            return str(_("%(n)d or more") % {"n": MAX_CONTRIBUTIONS})
        return str(self.contributions)


# A member's own short check-in: how they are doing, on a plain five-point scale. It is a way to
# say so, not an instrument: nothing is scored or compared across people.
class Wellbeing(models.IntegerChoices):
    STRUGGLING = 1, _("1 – struggling")
    LOW = 2, _("2 – low")
    OKAY = 3, _("3 – okay")
    GOOD = 4, _("4 – good")
    VERY_GOOD = 5, _("5 – doing well")


CHECK_IN_WORDS_MAX = 280


class MeetingCheckIn(models.Model):
    """A member's own check-in for a meeting. Seen only by that member and the group's
    facilitators (see `policy.can_see_check_ins`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="check_ins")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="+")
    wellbeing = models.PositiveSmallIntegerField(_("how I'm doing"), choices=Wellbeing.choices)
    # In the member's own words, how they are: encrypted at rest.
    words = EncryptedCharField(
        _("a few words (optional)"), max_length=CHECK_IN_WORDS_MAX, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_check_in_unique"),
            models.CheckConstraint(
                condition=models.Q(wellbeing__gte=1, wellbeing__lte=5),
                name="meeting_check_in_wellbeing_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member_id}"
