"""The referral API: the caller's referrals, making one, following it up; the same rules as
the pages. Bad input is a 400 that writes nothing."""

from rest_framework.test import APIClient

from sameboat.directory.models import Referral
from sameboat.directory.tests.referral_scenario import make_service

API = "/api/v1/networks/riverside/referrals/"


def _api(member):
    api = APIClient()
    api.force_authenticate(member.user)
    return api


def test_a_member_refers_themselves_by_leaving_out_the_member(network, member):
    service = make_service(network)
    response = _api(member).post(
        API, {"service_id": str(service.id), "note": "Need advice"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["member"]["id"] == member.pk and data["referred_by"]["id"] == member.pk
    assert data["service_id"] == str(service.id) and data["status"] == "made"


def test_a_member_cannot_refer_someone_else(network, member, helper):
    service = make_service(network)
    response = _api(member).post(
        API, {"member": helper.pk, "service_id": str(service.id)}, format="json"
    )
    assert response.status_code == 400 and "member" in response.json()
    assert not Referral.objects.exists()


def test_a_facilitator_refers_a_member_who_follows_it_up(network, facilitator, member):
    service = make_service(network)
    made = _api(facilitator).post(
        API, {"member": member.pk, "service_id": str(service.id)}, format="json"
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert [row["id"] for row in _api(member).get(API).json()["results"]] == [pk]
    answer = _api(member).post(f"{API}{pk}/status/", {"status": "contacted"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "contacted"


def test_bad_input_is_a_400(network, other_network, facilitator, outsider, member):
    elsewhere = make_service(other_network)
    api = _api(facilitator)
    assert (
        api.post(
            API, {"member": member.pk, "service_id": str(elsewhere.id)}, format="json"
        ).status_code
        == 400
    )
    assert api.post(API, {"member": member.pk, "service_id": "x"}, format="json").status_code == 400
    service = make_service(network)
    outside = api.post(API, {"member": outsider.pk, "service_id": str(service.id)}, format="json")
    assert outside.status_code == 400 and "member" in outside.json()
    past = api.post(
        API,
        {"member": member.pk, "service_id": str(service.id), "follow_up_on": "2000-01-01"},
        format="json",
    )
    assert past.status_code == 400 and "follow_up_on" in past.json()
    assert not Referral.objects.exists()
