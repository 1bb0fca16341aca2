from rest_framework.test import APIClient

from sameboat.groups.models import GroupMember, StageRecord

BASE = "/api/v1/networks/riverside/groups/"


def _api(member=None) -> APIClient:
    client = APIClient()
    if member is not None:
        client.force_authenticate(member.user)
    return client


def _names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_list_shows_each_visitor_what_they_may_know(
    member, coordinator, insider, confidential, open_group
):
    assert _names(_api(member).get(BASE)) == {"Food circle"}
    assert _names(_api(insider).get(BASE)) == {"Food circle", "Recovery circle"}
    rows = {row["name"]: row for row in _api(coordinator).get(BASE).json()["results"]}
    secret = rows["Recovery circle"]
    assert secret["member_count"] == 2
    assert secret["purpose"] is None and secret["type"] is None
    assert rows["Food circle"]["purpose"] == "Cooking for each other"


def test_statuses_for_a_confidential_group(member, coordinator, insider, outsider, confidential):
    one = f"{BASE}{confidential.pk}/"
    assert _api().get(one).status_code == 401
    assert _api(outsider).get(one).status_code == 404
    assert _api(member).get(one).status_code == 404
    assert _api(coordinator).get(one).status_code == 200
    assert _api(coordinator).get(f"{one}members/").status_code == 404
    assert _api(coordinator).get(f"{one}stages/").status_code == 404
    assert _api(member).get(f"{one}members/").status_code == 404
    members = _api(insider).get(f"{one}members/").json()["results"]
    assert {row["member"]["display_name"] for row in members} == {"Insider Ines", "Counsellor Kim"}


def test_create_by_a_facilitator_and_not_by_a_member(facilitator, member):
    body = {"name": "Health walk", "type": "health"}
    assert _api(member).post(BASE, body, format="json").status_code == 403
    response = _api(facilitator).post(BASE, body, format="json")
    assert response.status_code == 201
    assert response.json()["stage_model"] == "boston"
    assert (
        _api(facilitator).post(BASE, {"name": "x", "type": "nope"}, format="json").status_code
        == 400
    )


def test_join_by_request_through_the_api(member, open_group, confidential):
    response = _api(member).post(f"{BASE}{open_group.pk}/join/")
    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    assert _api(member).post(f"{BASE}{open_group.pk}/join/").status_code == 403
    assert _api(member).post(f"{BASE}{confidential.pk}/join/").status_code == 404
    assert GroupMember.objects.filter(member=member).count() == 1


def test_stages_through_the_api(counsellor, insider, confidential):
    url = f"{BASE}{confidential.pk}/stages/"
    assert _api(insider).post(url, {"stage": "intimacy"}, format="json").status_code == 403
    assert _api(counsellor).post(url, {"stage": "norming"}, format="json").status_code == 400
    assert not StageRecord.objects.exists()
    response = _api(counsellor).post(url, {"stage": "intimacy", "note": "Closer"}, format="json")
    assert response.status_code == 201
    assert response.json()["model"] == "boston"
    assert _api(insider).get(url).json()["results"][0]["stage"] == "intimacy"
