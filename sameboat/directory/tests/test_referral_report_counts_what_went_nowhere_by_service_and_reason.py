"""Coordinators see the referrals that went nowhere (did not get help, or no news for three
weeks) counted by service and by reason; nobody is named. Others get a 404."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.directory.models import Referral
from sameboat.directory.referral_selectors import referral_report
from sameboat.directory.referrals import referral_create, referral_status_set
from sameboat.directory.tests.referral_scenario import make_service


def _story(network, facilitator, make_member):
    clinic = make_service(network, "Housing advice clinic")
    pantry = make_service(network, "Food pantry")
    people = [make_member(display_name=f"Person {n}") for n in range(5)]

    def refer(person, service):
        return referral_create(network=network, by=facilitator, member=person, service=service)

    for person, reason in ((people[0], "no_capacity"), (people[1], "no_capacity")):
        referral_status_set(
            referral=refer(person, clinic), by=person, status="did_not_get_help", reason=reason
        )
    referral_status_set(
        referral=refer(people[2], pantry), by=people[2], status="did_not_get_help", reason="cost"
    )
    referral_status_set(referral=refer(people[3], pantry), by=people[3], status="got_help")
    stale = refer(people[4], pantry)
    Referral.objects.filter(pk=stale.pk).update(
        status_changed_at=timezone.now() - timedelta(days=30)
    )
    refer(people[4], clinic)  # made today: not yet nowhere


def test_the_report_counts_by_service_and_reason(network, facilitator, make_member):
    _story(network, facilitator, make_member)
    report = referral_report(network=network)
    assert report.total == 6
    assert report.went_nowhere == 4
    assert [(row.name, row.count) for row in report.by_service] == [
        ("Food pantry", 2),
        ("Housing advice clinic", 2),
    ]
    assert [(row.name, row.count) for row in report.by_reason] == [
        ("No capacity, or a waiting list", 2),
        ("Cost", 1),
        ("No news", 1),
    ]


def test_the_report_page_is_for_coordinators(network, facilitator, make_member, coordinator):
    _story(network, facilitator, make_member)
    url = reverse("directory:referral_report", kwargs={"network": "riverside"})
    client = Client()
    client.force_login(coordinator.user)
    page = client.get(url).content.decode()
    assert "Food pantry" in page and "No capacity, or a waiting list" in page
    assert "Person 0" not in page
    for viewer in (facilitator,):
        other = Client()
        other.force_login(viewer.user)
        assert other.get(url).status_code == 404
        api = APIClient()
        api.force_authenticate(viewer.user)
        assert api.get("/api/v1/networks/riverside/referrals/report/").status_code == 404
    api = APIClient()
    api.force_authenticate(coordinator.user)
    data = api.get("/api/v1/networks/riverside/referrals/report/").json()
    assert data["went_nowhere"] == 4 and data["by_reason"][0] == {
        "name": "No capacity, or a waiting list",
        "count": 2,
    }


def test_the_report_never_counts_another_networks_referrals(
    network, other_network, facilitator, make_member
):
    _story(network, facilitator, make_member)
    assert referral_report(network=other_network).total == 0
