"""Writes for groups: creating and editing them, joining and leaving, the plan, stages.
Each checks the rule it enforces and raises ValidationError with a message a person can act
on; nothing is written when it does."""

import calendar
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.audit.services import audit_record
from sameboat.groups import rotation, selectors
from sameboat.groups.models import (
    CHECK_IN_WORDS_MAX,
    MAX_CONTRIBUTIONS,
    PLAN_FIELDS,
    PROCESSES,
    STAGES,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupRole,
    Joining,
    Meeting,
    MeetingCheckIn,
    MeetingRole,
    MutualAidProcess,
    Participation,
    PreGroupPlan,
    Recurrence,
    RoleAssignment,
    SessionRecord,
    StageRecord,
    Unavailability,
    Wellbeing,
)
from sameboat.groups.rotation import MemberAvailability, RotationError
from sameboat.networks.models import Member, Network, Role

GROUP_FIELDS = (
    "name",
    "purpose",
    "type",
    "confidential",
    "joining",
    "stage_model",
    "process_list",
)


def _check_name(*, network: Network, name: str, exclude: int | None = None) -> None:
    taken = Group.objects.filter(network=network, name__iexact=name.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("This network already has a group with this name.")})


@transaction.atomic
def group_create(*, network: Network, by: Member, fields: dict[str, Any]) -> Group:
    """Start a group; its creator is its first facilitator, and it has an empty plan."""
    if by.network_id != network.pk or by.role == Role.MEMBER:
        raise ValidationError(_("Only facilitators and coordinators may start a group."))
    values = {key: fields[key] for key in GROUP_FIELDS if key in fields}
    values["name"] = str(values.get("name", "")).strip()
    _check_name(network=network, name=values["name"])
    group = Group.objects.create(network=network, **values)
    GroupMember.objects.create(
        group=group,
        member=by,
        role=GroupRole.FACILITATOR,
        status=GroupMemberStatus.ACTIVE,
        joined_at=timezone.now(),
    )
    PreGroupPlan.objects.create(group=group)
    return group


@transaction.atomic
def group_update(*, group: Group, fields: dict[str, Any]) -> Group:
    changed = [key for key in GROUP_FIELDS if key in fields]
    if "name" in fields:
        fields = {**fields, "name": str(fields["name"]).strip()}
        _check_name(network=group.network, name=fields["name"], exclude=group.pk)
    # A change of stage model leaves earlier records as they were: each keeps its model.
    for key in changed:
        setattr(group, key, fields[key])
    group.save(update_fields=changed)
    return group


@transaction.atomic
def group_request_to_join(*, group: Group, member: Member) -> GroupMember:
    """Ask to join a group that takes requests; a facilitator approves."""
    if member.network_id != group.network_id:
        raise ValidationError(_("You are not a member of this network."))
    if group.joining != Joining.REQUEST:
        raise ValidationError(_("This group takes members by invitation only."))
    row, created = GroupMember.objects.select_for_update().get_or_create(group=group, member=member)
    if not created:
        if row.status == GroupMemberStatus.ACTIVE:
            raise ValidationError(_("You already belong to this group."))
        if row.status == GroupMemberStatus.REQUESTED:
            raise ValidationError(_("You have already asked to join this group."))
        row.status = GroupMemberStatus.REQUESTED
        row.role = GroupRole.MEMBER
        row.save(update_fields=["status", "role"])
    return row


@transaction.atomic
def group_member_approve(*, membership: GroupMember) -> GroupMember:
    if membership.status != GroupMemberStatus.REQUESTED:
        raise ValidationError(_("There is no request to approve."))
    membership.status = GroupMemberStatus.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    return membership


@transaction.atomic
def group_member_add(*, group: Group, member: Member, role: str = GroupRole.MEMBER) -> GroupMember:
    """A facilitator adds a network member (an invitation-only group's way in)."""
    if member.network_id != group.network_id or not member.is_active:
        raise ValidationError({"member": _("Choose a member of this network.")})
    row, _created = GroupMember.objects.select_for_update().get_or_create(
        group=group, member=member
    )
    if row.status == GroupMemberStatus.ACTIVE:
        raise ValidationError({"member": _("They already belong to this group.")})
    row.status = GroupMemberStatus.ACTIVE
    row.role = role
    row.joined_at = timezone.now()
    row.save(update_fields=["status", "role", "joined_at"])
    return row


@transaction.atomic
def group_leave(*, membership: GroupMember) -> GroupMember:
    """Leave a group, or withdraw a request. The last facilitator cannot leave: someone
    must be able to approve and plan."""
    if membership.status == GroupMemberStatus.LEFT:
        raise ValidationError(_("You have already left this group."))
    if membership.facilitates:
        others = (
            GroupMember.objects.select_for_update()
            .filter(
                group_id=membership.group_id,
                role=GroupRole.FACILITATOR,
                status=GroupMemberStatus.ACTIVE,
            )
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise ValidationError(
                _("You are the group's only facilitator: add another before you leave.")
            )
    membership.status = GroupMemberStatus.LEFT
    membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def plan_update(*, group: Group, fields: dict[str, Any]) -> PreGroupPlan:
    plan, _created = PreGroupPlan.objects.get_or_create(group=group)
    changed = [key for key in PLAN_FIELDS if key in fields]
    for key in changed:
        setattr(plan, key, fields[key])
    plan.save(update_fields=[*changed, "updated_at"])
    return plan


@transaction.atomic
def stage_record(*, group: Group, by: Member, stage: str, note: str = "") -> StageRecord:
    """Record the group's stage, which must be one of its own model's stages."""
    if stage not in STAGES[group.stage_model]:
        raise ValidationError(
            {
                "stage": _("That is not a stage of the model this group uses (%(model)s).")
                % {"model": group.get_stage_model_display()}
            }
        )
    return StageRecord.objects.create(
        group=group, model=group.stage_model, stage=stage, recorded_by=by, note=note
    )


# --- meetings -------------------------------------------------------------------------------

MAX_OCCURRENCES = 52
MAX_DURATION_MINUTES = 12 * 60
STEP_DAYS: dict[str, int] = {Recurrence.WEEKLY: 7, Recurrence.FORTNIGHTLY: 14}


def _add_months(moment: datetime, months: int) -> datetime:
    """The same day and wall-clock time `months` later; the last day of a shorter month."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def meeting_dates(starts_at: datetime, recurrence: str, occurrences: int) -> list[datetime]:
    """The start of each meeting of a series, kept at the same local wall-clock time."""
    local = timezone.localtime(starts_at).replace(tzinfo=None)
    dates = []
    for n in range(occurrences):
        if recurrence == Recurrence.MONTHLY:
            moment = _add_months(local, n)
        else:
            moment = local + timedelta(days=STEP_DAYS.get(recurrence, 0) * n)
        dates.append(timezone.make_aware(moment))
    return dates


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    by: Member,
    starts_at: datetime,
    duration_minutes: int,
    place: str = "",
    link: str = "",
    recurrence: str = Recurrence.NONE,
    occurrences: int = 1,
) -> list[Meeting]:
    """Plan a meeting, or a series of `occurrences` meetings sharing one series id."""
    errors: dict[str, str] = {}
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Choose one-off, weekly, fortnightly or monthly.")
    elif recurrence == Recurrence.NONE and occurrences != 1:
        errors["occurrences"] = _("A one-off meeting happens once.")
    elif not 1 <= occurrences <= MAX_OCCURRENCES:
        errors["occurrences"] = _("A series has from 1 to %(max)d meetings.") % {
            "max": MAX_OCCURRENCES
        }
    if starts_at < timezone.now() - timedelta(days=1):
        errors["starts_at"] = _("The meeting cannot start in the past.")
    if not 0 < duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("A meeting lasts from 1 minute to 12 hours.")
    place, link = place.strip(), link.strip()
    if not place and not link:
        errors["place"] = _("Give a place or a link.")
    if errors:
        raise ValidationError(errors)
    series = uuid.uuid4()
    rows = [
        Meeting(
            group=group,
            series=series,
            starts_at=moment,
            duration_minutes=duration_minutes,
            place=place,
            link=link,
            recurrence=recurrence,
            created_by=by,
        )
        for moment in meeting_dates(starts_at, recurrence, occurrences)
    ]
    Meeting.objects.bulk_create(rows)
    return rows


@transaction.atomic
def agenda_item_propose(*, meeting: Meeting, by: GroupMember, title: str) -> AgendaItem:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Say what you would like to talk about.")})
    if by.group_id != meeting.group_id or not by.is_active:
        raise ValidationError(_("Only the group's members may propose agenda items."))
    return AgendaItem.objects.create(meeting=meeting, title=title, proposed_by=by)


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: set[int]) -> list[Attendance]:
    """Record who was there: each active member of the group, present if their
    group-membership id is in `present`, absent otherwise."""
    members = list(
        GroupMember.objects.filter(group_id=meeting.group_id, status=GroupMemberStatus.ACTIVE)
    )
    unknown = present - {row.pk for row in members}
    if unknown:
        raise ValidationError({"present": _("Choose members of this group.")})
    rows = [Attendance(meeting=meeting, member=row, present=row.pk in present) for row in members]
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["meeting", "member"],
        update_fields=["present"],
    )
    return rows


def _availability(meeting: Meeting) -> list[MemberAvailability[int]]:
    """The group's active members as the rotation sees them for this meeting: someone who
    said they are unavailable, or who is away on the meeting's (local) date, can hold no
    role at it."""
    day = timezone.localdate(meeting.starts_at)
    away = Unavailability.objects.filter(
        member=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day
    )
    members = GroupMember.objects.filter(
        group_id=meeting.group_id, status=GroupMemberStatus.ACTIVE
    ).annotate(away=Exists(away))
    return [
        MemberAvailability(
            member_id=row.pk,
            willing=frozenset(row.willing_roles or ()),
            available=row.available and not row.away,
        )
        for row in members
    ]


def _rotation_message(error: RotationError) -> str:
    """The rotation's message, with each role's value replaced by its name."""
    message = str(error)
    for role in MeetingRole:
        message = message.replace(f'"{role.value}"', f'"{role.label}"')
    return message


@transaction.atomic
def meeting_roles_assign(*, meeting: Meeting, by: Member) -> list[RoleAssignment]:
    """Fill the meeting's rotating roles from who is willing and available, spreading them by
    the group's other meetings' assignments. Replaces any earlier assignment."""
    history = [
        (row.role, row.member_id)
        for row in RoleAssignment.objects.filter(meeting__group_id=meeting.group_id)
        .exclude(meeting=meeting)
        .order_by("meeting__starts_at", "meeting_id", "id")
    ]
    try:
        chosen = rotation.assign_roles(
            [role.value for role in MeetingRole], _availability(meeting), history
        )
    except RotationError as error:
        raise ValidationError(_rotation_message(error)) from error
    RoleAssignment.objects.filter(meeting=meeting).delete()
    rows = RoleAssignment.objects.bulk_create(
        RoleAssignment(meeting=meeting, role=role, member_id=member_id)
        for role, member_id in chosen.items()
    )
    # A meeting role is access too (the note-taker writes the session record).
    audit_record(
        action="roles.change",
        network=by.network,
        actor=by.user,
        target=f"meeting:{meeting.pk}",
        detail={"scope": "meeting", "assigned": {role: pk for role, pk in chosen.items()}},
    )
    return rows


@transaction.atomic
def meeting_roles_swap(
    *, meeting: Meeting, by: Member, role_a: str, role_b: str
) -> list[RoleAssignment]:
    """Swap who holds two roles; each must be willing and available for the role they take.
    The policy says who may (`can_swap_roles`)."""
    rows = {
        row.role: row for row in RoleAssignment.objects.select_for_update().filter(meeting=meeting)
    }
    try:
        swapped = rotation.swap(
            {role: row.member_id for role, row in rows.items()},
            role_a,
            role_b,
            members=_availability(meeting),
        )
    except RotationError as error:
        raise ValidationError(_rotation_message(error)) from error
    changed = []
    for role in (role_a, role_b):
        rows[role].member_id = swapped[role]
        changed.append(rows[role])
    RoleAssignment.objects.bulk_update(changed, ["member"])
    audit_record(
        action="roles.change",
        network=by.network,
        actor=by.user,
        target=f"meeting:{meeting.pk}",
        detail={"scope": "meeting", "swapped": [role_a, role_b]},
    )
    return list(rows.values())


# --- session records and check-ins ----------------------------------------------------------

NOTES_MAX = 10_000


class Counts(NamedTuple):
    """One present member's participation at a meeting, as the record's writer counted it."""

    contributions: int
    """How many times they took part, 0 to `MAX_CONTRIBUTIONS` (the top meaning "or more")."""
    led: bool = False
    """Whether they led an agenda item or part of the meeting (a role counts on its own)."""


def _check_started(meeting: Meeting) -> None:
    # A record or a check-in is about a session that has happened (or is happening): counts
    # for a meeting still to come would be guesses.
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not started yet."))


def note_takers_of(meeting: Meeting) -> tuple[int, ...]:
    """The group-membership ids holding the note-taker's role at the meeting."""
    return tuple(
        RoleAssignment.objects.filter(meeting=meeting, role=MeetingRole.NOTE_TAKER).values_list(
            "member_id", flat=True
        )
    )


def _process_errors(group: Group, processes: set[str]) -> list[str]:
    allowed = {process.value for process in PROCESSES[group.process_list]}
    labels = dict(MutualAidProcess.choices)
    errors = []
    for value in sorted(processes - allowed):
        if value in labels:
            errors.append(
                _("“%(process)s” is not one of the processes this group records (%(list)s).")
                % {"process": labels[value], "list": group.get_process_list_display()}
            )
        else:
            errors.append(_("“%(value)s” is not a mutual aid process.") % {"value": value})
    return errors


def _participation_errors(
    meeting: Meeting, participation: Mapping[int, Counts]
) -> dict[str, list[str]]:
    # Whoever was there then, even if they have left the group since.
    present = set(
        Attendance.objects.filter(meeting=meeting, present=True).values_list("member_id", flat=True)
    )
    errors: list[str] = []
    if set(participation) - present:
        errors.append(
            _(
                "Only members recorded as present at this meeting can be counted: record "
                "attendance first."
            )
        )
    for counts in participation.values():
        value = counts.contributions
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_CONTRIBUTIONS
        ):
            errors.append(
                _("Count taking part from 0 to %(max)d (%(max)d meaning %(max)d or more).")
                % {"max": MAX_CONTRIBUTIONS}
            )
            break
        if not isinstance(counts.led, bool):
            errors.append(_("Say whether each member led something: yes or no."))
            break
    return {"participation": errors} if errors else {}


def _session_stage(
    *, record: SessionRecord, meeting: Meeting, by: Member, stage: str
) -> StageRecord | None:
    """The stage of the group at this meeting, kept as a row of the group's own stage history
    so there is one history, not two. The row is dated at the meeting, where it belongs in
    that history, however much later the record is written; changing the record's stage
    corrects the row, and clearing it withdraws the row."""
    group = meeting.group
    row = record.stage_record if record.stage_record_id else None
    if not stage:
        if row is not None:
            row.delete()
        return None
    if row is None:
        row = stage_record(group=group, by=by, stage=stage)
        StageRecord.objects.filter(pk=row.pk).update(recorded_at=meeting.starts_at)
        row.recorded_at = meeting.starts_at
        return row
    if row.stage != stage or row.model != group.stage_model:
        row.stage, row.model, row.recorded_by = stage, group.stage_model, by
        row.save(update_fields=["stage", "model", "recorded_by"])
    return row


@transaction.atomic
def session_record_save(
    *,
    meeting: Meeting,
    by: Member,
    notes: str = "",
    processes: Iterable[str] = (),
    stage: str = "",
    participation: Mapping[int, Counts] | None = None,
) -> SessionRecord:
    """Write or edit the record of a meeting that has started: notes, the mutual aid
    processes observed (from the group's own list), the group's stage (from its own model)
    and, if `participation` is given, the counts for the members present (by group-membership
    id; it replaces the earlier counts, and members left out are not counted).

    Only the meeting's note-taker and the group's facilitators may write it
    (`policy.can_write_session_record`); anyone else gets PermissionDenied."""
    group = meeting.group
    membership = selectors.membership_of(group=group, member=by)
    if not policy.can_write_session_record(by, group, membership, note_takers_of(meeting)):
        raise PermissionDenied(
            _("Only the meeting's note-taker or the group's facilitators may write its record.")
        )
    _check_started(meeting)
    notes = notes.strip()
    chosen = set(processes)
    errors: dict[str, list[str]] = {}
    if len(notes) > NOTES_MAX:
        errors["notes"] = [
            _("Keep the notes under %(max)d characters: themes, not a transcript.")
            % {"max": NOTES_MAX}
        ]
    if process_errors := _process_errors(group, chosen):
        errors["processes"] = process_errors
    if stage and stage not in STAGES[group.stage_model]:
        errors["stage"] = [
            _("That is not a stage of the model this group uses (%(model)s).")
            % {"model": group.get_stage_model_display()}
        ]
    if participation is not None:
        errors |= _participation_errors(meeting, participation)
    if errors:
        raise ValidationError(errors)

    record = (
        # Lock the record alone: PostgreSQL cannot lock the nullable side of the outer join.
        SessionRecord.objects.select_for_update(of=("self",))
        .select_related("stage_record")
        .filter(meeting=meeting)
        .first()
    )
    if record is None:
        record = SessionRecord(meeting=meeting, recorded_by=by)
    record.notes = notes
    record.processes = [p.value for p in PROCESSES[group.process_list] if p.value in chosen]
    record.updated_by = by
    record.stage_record = _session_stage(record=record, meeting=meeting, by=by, stage=stage)
    record.save()
    if participation is not None:
        Participation.objects.filter(record=record).delete()
        Participation.objects.bulk_create(
            Participation(
                record=record, member_id=pk, contributions=counts.contributions, led=counts.led
            )
            for pk, counts in sorted(participation.items())
        )
    return record


def _check_in_member(meeting: Meeting, by: GroupMember) -> None:
    if by.group_id != meeting.group_id or not by.is_active:
        raise PermissionDenied(_("Only the group's members may check in."))


@transaction.atomic
def check_in_save(
    *, meeting: Meeting, by: GroupMember, wellbeing: int, words: str = ""
) -> MeetingCheckIn:
    """Add or change one's own check-in for a meeting that has started."""
    _check_in_member(meeting, by)
    _check_started(meeting)
    words = words.strip()
    errors: dict[str, str] = {}
    if isinstance(wellbeing, bool) or wellbeing not in Wellbeing.values:
        errors["wellbeing"] = _("Choose how you are doing, from 1 to 5.")
    if len(words) > CHECK_IN_WORDS_MAX:
        errors["words"] = _("Keep it to %(max)d characters.") % {"max": CHECK_IN_WORDS_MAX}
    if errors:
        raise ValidationError(errors)
    row, _created = MeetingCheckIn.objects.update_or_create(
        meeting=meeting, member=by, defaults={"wellbeing": wellbeing, "words": words}
    )
    return row


@transaction.atomic
def check_in_withdraw(*, meeting: Meeting, by: GroupMember) -> bool:
    """Take back one's own check-in; True if there was one."""
    _check_in_member(meeting, by)
    deleted, _rows = MeetingCheckIn.objects.filter(meeting=meeting, member=by).delete()
    return deleted > 0


# --- meeting-role availability and times away -----------------------------------------------

MAX_TIMES_AWAY = 30
MAX_DAYS_AWAY = 366


def _check_own(membership: GroupMember) -> None:
    if not membership.is_active:
        raise ValidationError(_("Only the group's active members hold meeting roles."))


@transaction.atomic
def availability_update(
    *, membership: GroupMember, willing_roles: Iterable[str], available: bool
) -> GroupMember:
    """Say which meeting roles one is willing to hold and whether one is available for them
    at the coming meetings. Each member says it for themselves (`can_set_own_availability`).
    An empty list is allowed: nobody has to hold a role."""
    _check_own(membership)
    chosen = set(willing_roles)
    if not chosen <= set(MeetingRole.values):
        raise ValidationError({"willing_roles": _("Choose among the meeting roles.")})
    # Kept in the meeting's order of roles, whatever order they came in.
    membership.willing_roles = [role.value for role in MeetingRole if role.value in chosen]
    membership.available = bool(available)
    membership.save(update_fields=["willing_roles", "available"])
    return membership


@transaction.atomic
def time_away_add(*, membership: GroupMember, starts_on: date, ends_on: date) -> Unavailability:
    """Add days on which one cannot hold a meeting role (both days included): the rotation
    passes over one for the meetings on those days. No reason is asked or kept."""
    _check_own(membership)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day away cannot come before the first.")
    elif ends_on < today:
        errors["ends_on"] = _("These days are already past.")
    elif (ends_on - starts_on).days >= MAX_DAYS_AWAY:
        errors["ends_on"] = _(
            "A time away lasts a year at most. To step back for longer, say that you are not "
            "available for meeting roles."
        )
    if errors:
        raise ValidationError(errors)
    # Lock the member's row so that two requests at once cannot both pass the checks below.
    GroupMember.objects.select_for_update().filter(pk=membership.pk).first()
    mine = Unavailability.objects.filter(member=membership)
    if mine.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError(
            _(
                "You are already away on some of these days. Remove that time away first, "
                "or choose other days."
            )
        )
    if mine.filter(ends_on__gte=today).count() >= MAX_TIMES_AWAY:
        raise ValidationError(
            _("You have %(max)d times away to come already: remove one first.")
            % {"max": MAX_TIMES_AWAY}
        )
    return Unavailability.objects.create(member=membership, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def time_away_remove(*, time_away: Unavailability) -> None:
    """Take back a time away; the caller found it among the member's own."""
    time_away.delete()
