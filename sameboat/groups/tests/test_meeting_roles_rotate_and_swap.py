"""Meeting roles: the rotation gives them to willing members and spreads them; nobody
willing is a 400 naming the role; holders and facilitators swap."""

from collections import Counter
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sameboat.groups.models import GroupMember, RoleAssignment
from sameboat.groups.services import group_member_add, meeting_create, meeting_roles_assign


def _series(group, by, count):
    return meeting_create(
        group=group,
        by=by,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
        recurrence="weekly" if count > 1 else "none",
        occurrences=count,
    )


def _url(name, meeting):
    return reverse(
        name,
        kwargs={"network": "riverside", "group_id": meeting.group_id, "meeting_id": meeting.pk},
    )


def test_rotation_gives_roles_to_willing_members_and_spreads_them(
    confidential, counsellor, make_member
):
    for _ in range(2):
        group_member_add(group=confidential, member=make_member())
    rows = list(GroupMember.objects.filter(group=confidential))
    assert len(rows) == 4
    unwilling = rows[-1]
    unwilling.willing_roles = ["timekeeper"]
    unwilling.save()
    meetings = _series(confidential, counsellor, 4)
    for meeting in meetings:
        assigned = meeting_roles_assign(meeting=meeting, by=counsellor)
        assert len({row.member_id for row in assigned}) == 4  # nobody doubles up
    unwilling_roles = set(
        RoleAssignment.objects.filter(member=unwilling).values_list("role", flat=True)
    )
    assert unwilling_roles == {"timekeeper"}
    chairs = Counter(
        RoleAssignment.objects.filter(role="chair").values_list("member_id", flat=True)
    )
    # Three willing chairs over four meetings: each chairs before anyone chairs twice.
    assert len(chairs) == 3 and max(chairs.values()) == 2


def test_a_rotation_with_nobody_willing_is_a_400_naming_the_role(client, confidential, counsellor):
    GroupMember.objects.filter(group=confidential).update(
        willing_roles=["chair", "timekeeper", "check_in_host"]
    )
    meeting = _series(confidential, counsellor, 1)[0]
    client.force_login(counsellor.user)
    response = client.post(_url("groups:meeting_roles_assign", meeting))
    assert response.status_code == 400
    assert "Note-taker" in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_members_can_swap_their_roles_and_others_cannot(
    client, confidential, counsellor, insider, make_member
):
    group_member_add(group=confidential, member=make_member())
    group_member_add(group=confidential, member=make_member())
    meeting = _series(confidential, counsellor, 1)[0]
    meeting_roles_assign(meeting=meeting, by=counsellor)
    held = {row.role: row.member_id for row in RoleAssignment.objects.filter(meeting=meeting)}
    mine = GroupMember.objects.get(group=confidential, member=insider)
    my_role = next(role for role, holder in held.items() if holder == mine.pk)
    other_roles = [role for role in held if role != my_role]
    client.force_login(insider.user)
    url = _url("groups:meeting_roles_swap", meeting)
    response = client.post(url, {"role_a": my_role, "role_b": other_roles[0]})
    assert response.status_code == 302
    after = {row.role: row.member_id for row in RoleAssignment.objects.filter(meeting=meeting)}
    assert after[other_roles[0]] == mine.pk and after[my_role] == held[other_roles[0]]
    # Two roles the insider does not hold now: not theirs to swap.
    response = client.post(url, {"role_a": other_roles[1], "role_b": other_roles[2]})
    assert response.status_code == 403
    # A facilitator may swap any two.
    client.force_login(counsellor.user)
    response = client.post(url, {"role_a": other_roles[1], "role_b": other_roles[2]})
    assert response.status_code == 302
