"""Writes for groups: creating and editing them, joining and leaving, the plan, stages.
Each checks the rule it enforces and raises ValidationError with a message a person can act
on; nothing is written when it does."""

import calendar
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.groups import rotation
from sameboat.groups.models import (
    PLAN_FIELDS,
    STAGES,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupRole,
    Joining,
    Meeting,
    MeetingRole,
    PreGroupPlan,
    Recurrence,
    RoleAssignment,
    StageRecord,
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


def _availability(group: Group) -> list[MemberAvailability[int]]:
    members = GroupMember.objects.filter(group=group, status=GroupMemberStatus.ACTIVE)
    return [
        MemberAvailability(
            member_id=row.pk,
            willing=frozenset(row.willing_roles or ()),
            available=row.available,
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
            [role.value for role in MeetingRole], _availability(meeting.group), history
        )
    except RotationError as error:
        raise ValidationError(_rotation_message(error)) from error
    RoleAssignment.objects.filter(meeting=meeting).delete()
    return RoleAssignment.objects.bulk_create(
        RoleAssignment(meeting=meeting, role=role, member_id=member_id)
        for role, member_id in chosen.items()
    )


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
            members=_availability(meeting.group),
        )
    except RotationError as error:
        raise ValidationError(_rotation_message(error)) from error
    changed = []
    for role in (role_a, role_b):
        rows[role].member_id = swapped[role]
        changed.append(rows[role])
    RoleAssignment.objects.bulk_update(changed, ["member"])
    return list(rows.values())
