"""The referral list, the report, a referral's page and the partnership list make as many
queries with many rows as with few, on the pages and in the API."""

from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.directory.referrals import (
    PartnershipFields,
    partnership_create,
    referral_create,
    referral_status_set,
)
from sameboat.directory.tests.referral_scenario import make_organization, make_service


def _grow(network, coordinator, make_member, count: int):
    for n in range(count):
        person = make_member()
        service = make_service(network, f"Service {n}")
        referral = referral_create(network=network, by=coordinator, member=person, service=service)
        referral_status_set(
            referral=referral, by=person, status="did_not_get_help", reason="distance"
        )
        partnership_create(
            network=network,
            by=coordinator,
            fields=PartnershipFields(
                organization=make_organization(network, f"Org {n}"),
                starts_on=date(2025, 1, 1),
                ends_on=date(2025, 6, 1) if n % 2 else None,
            ),
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_do_not_grow_with_referrals_and_partnerships(network, coordinator, make_member):
    _grow(network, coordinator, make_member, 2)
    page, api = Client(), APIClient()
    page.force_login(coordinator.user)
    api.force_authenticate(coordinator.user)
    urls = [
        (page, reverse("directory:referral_list", kwargs={"network": "riverside"})),
        (page, reverse("directory:referral_report", kwargs={"network": "riverside"})),
        (page, reverse("directory:partnership_list", kwargs={"network": "riverside"})),
        (api, "/api/v1/networks/riverside/referrals/"),
        (api, "/api/v1/networks/riverside/referrals/report/"),
        (api, "/api/v1/networks/riverside/partnerships/"),
    ]
    few = [_count(client, url) for client, url in urls]
    _grow(network, coordinator, make_member, 10)
    assert [_count(client, url) for client, url in urls] == few


def test_a_referral_page_does_not_grow_with_its_history(network, coordinator, member):
    referral = referral_create(
        network=network, by=coordinator, member=member, service=make_service(network)
    )
    client = Client()
    client.force_login(member.user)
    url = reverse("directory:referral", kwargs={"network": "riverside", "referral_id": referral.pk})
    few = _count(client, url)
    referral_status_set(referral=referral, by=member, status="contacted")
    referral_status_set(referral=referral, by=coordinator, status="got_help")
    referral_status_set(referral=referral, by=member, status="did_not_get_help", reason="other")
    assert _count(client, url) == few
