"""The meeting API answers with the same policy as the pages."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.groups.models import AgendaItem, GroupMember, Meeting, RoleAssignment
from sameboat.networks.models import Role


def _api(member):
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def _base(group):
    return f"/api/v1/networks/riverside/groups/{group.pk}/meetings/"


def _payload(**changes):
    return {
        "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "duration_minutes": 60,
        "place": "Hall",
        "recurrence": "weekly",
        "occurrences": 3,
    } | changes


def test_meeting_api_statuses(confidential, counsellor, insider, make_member, coordinator):
    base = _base(confidential)
    assert _api(insider).post(base, _payload(), format="json").status_code == 403
    response = _api(counsellor).post(base, _payload(), format="json")
    assert response.status_code == 201 and len(response.json()) == 3
    bad = _api(counsellor).post(base, _payload(occurrences=0), format="json")
    assert bad.status_code == 400 and "occurrences" in bad.json()
    assert Meeting.objects.count() == 3
    mid = response.json()[0]["id"]
    assert _api(insider).get(base).json()["count"] == 3
    assert _api(insider).get(f"{base}{mid}/").status_code == 200
    assert _api(insider).get(f"{base}999999/").status_code == 404
    assert _api(make_member(Role.MEMBER)).get(f"{base}{mid}/").status_code == 404
    assert _api(coordinator).get(f"{base}{mid}/").status_code == 404

    agenda = _api(insider).post(f"{base}{mid}/agenda/", {"title": "Rent"}, format="json")
    assert agenda.status_code == 201
    assert AgendaItem.objects.get().title == "Rent"
    assert _api(insider).post(f"{base}{mid}/agenda/", {}, format="json").status_code == 400

    assert _api(insider).post(f"{base}{mid}/roles/assign/").status_code == 403
    assigned = _api(counsellor).post(f"{base}{mid}/roles/assign/")
    assert assigned.status_code == 200 and len(assigned.json()["roles"]) == 4
    detail = _api(insider).get(f"{base}{mid}/").json()
    assert [item["title"] for item in detail["agenda"]] == ["Rent"]

    GroupMember.objects.filter(group=confidential).update(willing_roles=["chair"])
    refused = _api(counsellor).post(f"{base}{mid}/roles/assign/")
    assert refused.status_code == 400 and "Note-taker" in str(refused.json())
    assert RoleAssignment.objects.count() == 4  # the earlier assignment stands
