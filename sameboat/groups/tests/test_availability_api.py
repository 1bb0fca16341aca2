"""The availability API answers with the same policy as the pages: each member reads and
changes their own; facilitators read everyone's; bad input is a 400 that writes nothing; a
rotation nobody is willing for is a 400 naming the role, and the roles stay as they were."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.groups.models import GroupMember, RoleAssignment, Unavailability
from sameboat.groups.services import group_member_add, meeting_create
from sameboat.networks.models import Role


def _api(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def _base(group) -> str:
    return f"/api/v1/networks/riverside/groups/{group.pk}/availability/"


def test_a_member_reads_and_changes_their_own(confidential, insider):
    api, base = _api(insider), _base(confidential)
    mine = api.get(f"{base}mine/").json()
    assert mine["member"]["display_name"] == "Insider Ines"
    assert mine["willing_roles"] == ["chair", "note_taker", "timekeeper", "check_in_host"]
    changed = api.patch(f"{base}mine/", {"willing_roles": ["timekeeper"]}, format="json")
    assert changed.status_code == 200
    assert changed.json()["willing_roles"] == ["timekeeper"] and changed.json()["available"]
    api.patch(f"{base}mine/", {"available": False}, format="json")
    row = GroupMember.objects.get(group=confidential, member=insider)
    assert row.willing_roles == ["timekeeper"] and not row.available
    bad = api.patch(f"{base}mine/", {"willing_roles": ["king"]}, format="json")
    assert bad.status_code == 400 and "willing_roles" in bad.json()
    assert api.patch(f"{base}mine/", {"available": "perhaps"}, format="json").status_code == 400
    row.refresh_from_db()
    assert row.willing_roles == ["timekeeper"] and not row.available


def test_times_away_through_the_api(confidential, insider, counsellor):
    api, base = _api(insider), _base(confidential)
    today = timezone.localdate()
    first = (today + timedelta(days=2)).isoformat()
    last = (today + timedelta(days=4)).isoformat()
    created = api.post(f"{base}mine/away/", {"starts_on": first, "ends_on": last}, format="json")
    assert created.status_code == 201
    assert created.json()["starts_on"] == first and created.json()["ends_on"] == last
    assert api.get(f"{base}mine/away/").json()["count"] == 1
    assert api.get(f"{base}mine/").json()["times_away"] == [created.json()]
    overlap = api.post(f"{base}mine/away/", {"starts_on": last, "ends_on": last}, format="json")
    assert overlap.status_code == 400
    backwards = api.post(f"{base}mine/away/", {"starts_on": last, "ends_on": first}, format="json")
    assert backwards.status_code == 400 and "ends_on" in backwards.json()
    assert api.post(f"{base}mine/away/", {"starts_on": "x"}, format="json").status_code == 400
    assert Unavailability.objects.count() == 1
    away_id = created.json()["id"]
    # Nobody else removes it, not even a facilitator: it is not among their own.
    assert _api(counsellor).delete(f"{base}mine/away/{away_id}/").status_code == 404
    assert api.delete(f"{base}mine/away/{away_id}/").status_code == 204
    assert api.delete(f"{base}mine/away/{away_id}/").status_code == 404
    assert not Unavailability.objects.exists()


def test_facilitators_read_everyone_members_only_themselves(confidential, insider, counsellor):
    base = _base(confidential)
    everyone = _api(counsellor).get(base).json()
    assert {row["member"]["display_name"] for row in everyone["results"]} == {
        "Insider Ines",
        "Counsellor Kim",
    }
    own = _api(insider).get(base).json()
    assert [row["member"]["display_name"] for row in own["results"]] == ["Insider Ines"]


def test_who_is_not_in_the_group_gets_nothing(confidential, open_group, make_member, coordinator):
    stranger = make_member(Role.MEMBER)
    assert _api(stranger).get(_base(confidential)).status_code == 404
    assert _api(coordinator).get(f"{_base(confidential)}mine/").status_code == 403
    assert _api(stranger).get(f"{_base(open_group)}mine/").status_code == 403
    response = _api(stranger).post(
        f"{_base(open_group)}mine/away/", {"starts_on": "2030-01-01", "ends_on": "2030-01-02"}
    )
    assert response.status_code == 403
    assert APIClient().get(_base(confidential)).status_code == 401


def test_a_rotation_nobody_is_willing_for_is_a_400_and_changes_nothing(
    confidential, insider, counsellor, make_member
):
    group_member_add(group=confidential, member=make_member())
    meeting = meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
    )[0]
    assign = (
        f"/api/v1/networks/riverside/groups/{confidential.pk}/meetings/{meeting.pk}/roles/assign/"
    )
    assert _api(counsellor).post(assign).status_code == 200
    before = list(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member_id"))
    for row in GroupMember.objects.filter(group=confidential).select_related("member__user"):
        response = _api(row.member).patch(
            f"{_base(confidential)}mine/", {"willing_roles": ["chair"]}, format="json"
        )
        assert response.status_code == 200
    refused = _api(counsellor).post(assign)
    assert refused.status_code == 400
    assert 'Nobody who is willing to be "Note-taker" is available' in str(refused.json())
    after = list(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member_id"))
    assert after == before
