"""Each active member says which roles they are willing to hold, whether they are available,
and when they are away; bad input is refused with a message and writes nothing. The policy:
a member sets their own; the group's facilitators see everyone's; nobody else either."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sameboat import policy
from sameboat.groups.models import GroupMember, Unavailability
from sameboat.groups.selectors import membership_of
from sameboat.groups.services import (
    MAX_TIMES_AWAY,
    availability_update,
    group_leave,
    group_member_add,
    time_away_add,
)
from sameboat.networks.models import Role


def _row(group, member) -> GroupMember:
    return GroupMember.objects.get(group=group, member=member)


def test_willing_roles_are_kept_in_meeting_order(confidential, insider):
    row = availability_update(
        membership=_row(confidential, insider),
        willing_roles=["check_in_host", "chair", "chair"],
        available=False,
    )
    row.refresh_from_db()
    assert row.willing_roles == ["chair", "check_in_host"] and row.available is False
    availability_update(membership=row, willing_roles=[], available=True)
    row.refresh_from_db()
    assert row.willing_roles == [] and row.available is True


def test_unknown_roles_are_refused(confidential, insider):
    row = _row(confidential, insider)
    with pytest.raises(ValidationError) as raised:
        availability_update(membership=row, willing_roles=["chair", "dictator"], available=True)
    assert "willing_roles" in raised.value.message_dict
    row.refresh_from_db()
    assert len(row.willing_roles) == 4


def test_someone_who_left_cannot_change_anything(confidential, insider):
    row = group_leave(membership=_row(confidential, insider))
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        availability_update(membership=row, willing_roles=[], available=False)
    with pytest.raises(ValidationError):
        time_away_add(membership=row, starts_on=today, ends_on=today)
    assert not Unavailability.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(5, 4, "ends_on"), (-5, -1, "ends_on"), (0, 366, "ends_on")],
    ids=["ends-before-it-starts", "already-past", "longer-than-a-year"],
)
def test_times_away_that_make_no_sense_are_refused(confidential, insider, start, end, field):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as raised:
        time_away_add(
            membership=_row(confidential, insider),
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
        )
    assert field in raised.value.message_dict
    assert not Unavailability.objects.exists()


def test_overlapping_times_away_are_refused_and_count_is_bounded(confidential, insider):
    row = _row(confidential, insider)
    today = timezone.localdate()
    time_away_add(membership=row, starts_on=today, ends_on=today + timedelta(days=3))
    with pytest.raises(ValidationError, match="already away"):
        time_away_add(
            membership=row, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=5)
        )
    for n in range(1, MAX_TIMES_AWAY):
        day = today + timedelta(days=10 * n)
        time_away_add(membership=row, starts_on=day, ends_on=day)
    with pytest.raises(ValidationError, match="remove one first"):
        day = today + timedelta(days=10 * MAX_TIMES_AWAY)
        time_away_add(membership=row, starts_on=day, ends_on=day)
    assert Unavailability.objects.count() == MAX_TIMES_AWAY


def test_the_policy_each_their_own_and_facilitators_see_all(
    confidential, open_group, counsellor, insider, coordinator, make_member
):
    stranger = make_member(Role.FACILITATOR)
    group_member_add(group=open_group, member=insider)
    for group in (confidential, open_group):
        mine = membership_of(group=group, member=insider)
        assert policy.can_set_own_availability(insider, group, mine)
        assert not policy.can_see_everyones_availability(insider, group, mine)
        theirs = membership_of(group=group, member=counsellor)
        assert policy.can_set_own_availability(counsellor, group, theirs)
        assert policy.can_see_everyones_availability(counsellor, group, theirs)
        for outside in (stranger, coordinator):
            assert not policy.can_set_own_availability(outside, group, None)
            assert not policy.can_see_everyones_availability(outside, group, None)
        # Someone else's row never counts as one's own.
        assert not policy.can_set_own_availability(stranger, group, mine)
