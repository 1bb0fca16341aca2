"""Helpers for the session-record tests: meetings that have started, roles and attendance set
directly, so each test says only what it is about."""

from datetime import timedelta

from django.utils import timezone

from sameboat.groups.models import Group, GroupMember, Meeting, MeetingRole, RoleAssignment
from sameboat.groups.services import attendance_record, meeting_create
from sameboat.networks.models import Member


def started_meeting(group: Group, by: Member, *, days_ago: int = 0) -> Meeting:
    """A meeting of the group that started an hour (and `days_ago` days) ago. Planned in the
    future, as the service insists, then moved back: as if time had passed."""
    meeting = meeting_create(
        group=group,
        by=by,
        starts_at=timezone.now() + timedelta(hours=1),
        duration_minutes=60,
        place="Back room",
    )[0]
    starts = timezone.now() - timedelta(days=days_ago, hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts)
    meeting.refresh_from_db()
    return meeting


def row_of(group: Group, member: Member) -> GroupMember:
    return GroupMember.objects.get(group=group, member=member)


def give_role(meeting: Meeting, role: str, row: GroupMember) -> None:
    RoleAssignment.objects.update_or_create(meeting=meeting, role=role, defaults={"member": row})


def make_note_taker(meeting: Meeting, row: GroupMember) -> None:
    give_role(meeting, MeetingRole.NOTE_TAKER, row)


def mark_present(meeting: Meeting, *rows: GroupMember) -> None:
    attendance_record(meeting=meeting, present={row.pk for row in rows})
