"""A member away on a meeting's date (a time away covering its local date, both ends
included) holds no role at it; at meetings outside their time away they take their turn."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sameboat.groups.models import GroupMember, RoleAssignment
from sameboat.groups.services import (
    group_member_add,
    meeting_create,
    meeting_roles_assign,
    meeting_roles_swap,
    time_away_add,
)


@pytest.fixture
def weekly(confidential, counsellor, make_member):
    """Four members (as many as roles) and three weekly meetings."""
    for _ in range(2):
        group_member_add(group=confidential, member=make_member())
    return meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
        recurrence="weekly",
        occurrences=3,
    )


def _holders(meeting) -> set[int]:
    return set(RoleAssignment.objects.filter(meeting=meeting).values_list("member_id", flat=True))


def test_a_member_away_on_the_day_is_passed_over(weekly, confidential, counsellor, insider):
    mine = GroupMember.objects.get(group=confidential, member=insider)
    day = timezone.localdate(weekly[1].starts_at)
    # The time away ends on the meeting's day: both ends count.
    time_away_add(membership=mine, starts_on=day - timedelta(days=2), ends_on=day)
    for meeting in weekly:
        meeting_roles_assign(meeting=meeting, by=counsellor)
    assert mine.pk in _holders(weekly[0])
    assert mine.pk not in _holders(weekly[1])
    assert len(RoleAssignment.objects.filter(meeting=weekly[1])) == 4  # someone doubles up
    assert mine.pk in _holders(weekly[2])


def test_a_swap_cannot_hand_a_role_to_someone_away(weekly, confidential, counsellor, insider):
    meeting = weekly[0]
    meeting_roles_assign(meeting=meeting, by=counsellor)
    mine = GroupMember.objects.get(group=confidential, member=insider)
    day = timezone.localdate(meeting.starts_at)
    time_away_add(membership=mine, starts_on=day, ends_on=day + timedelta(days=1))
    held = {row.role: row.member_id for row in RoleAssignment.objects.filter(meeting=meeting)}
    my_role = next(role for role, holder in held.items() if holder == mine.pk)
    other = next(role for role in held if role != my_role)
    # Swapping would keep the away member in a role (another one): refused, nothing changed.
    with pytest.raises(ValidationError):
        meeting_roles_swap(meeting=meeting, by=counsellor, role_a=my_role, role_b=other)
    assert {
        row.role: row.member_id for row in RoleAssignment.objects.filter(meeting=meeting)
    } == held


def test_when_everyone_willing_is_away_the_message_names_the_role(
    weekly, confidential, counsellor, insider
):
    meeting = weekly[0]
    meeting_roles_assign(meeting=meeting, by=counsellor)
    before = list(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member_id"))
    mine = GroupMember.objects.get(group=confidential, member=insider)
    GroupMember.objects.filter(group=confidential).exclude(pk=mine.pk).update(
        willing_roles=["chair", "timekeeper", "check_in_host"]
    )
    day = timezone.localdate(meeting.starts_at)
    time_away_add(membership=mine, starts_on=day, ends_on=day)
    with pytest.raises(ValidationError) as raised:
        meeting_roles_assign(meeting=meeting, by=counsellor)
    assert raised.value.messages == [
        'Nobody who is willing to be "Note-taker" is available for this meeting.'
    ]
    assert (
        list(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member_id"))
        == before
    )
