"""Partnerships: the organisations of the directory a network works with. Coordinators add
and edit them; every member sees the list (current and ended) and what each side brings, but
only coordinators see the contact person and the notes. An end before the start, or another
network's organisation, is refused with a 400 and nothing is written."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.directory.models import Partnership
from sameboat.directory.referrals import PartnershipFields, partnership_create, partnership_update
from sameboat.directory.tests.referral_scenario import make_organization

LIST = "/n/riverside/partnerships/"
API = "/api/v1/networks/riverside/partnerships/"


@pytest.fixture
def partnership(network, coordinator):
    return partnership_create(
        network=network,
        by=coordinator,
        fields=PartnershipFields(
            organization=make_organization(network, "Riverside Legal Aid"),
            starts_on=date(2025, 1, 1),
            contact_name="Dana Okafor",
            contact_email="dana@legal.example",
            contact_phone="+44 20 7946 0000",
            network_brings="Volunteers for the Saturday clinic",
            partner_brings="Free housing advice",
            notes="Renew in December",
        ),
    )


def _client(member):
    client = Client()
    client.force_login(member.user)
    return client


def test_members_see_the_partners_but_not_the_contacts(partnership, member):
    page = _client(member).get(LIST).content.decode()
    assert "Riverside Legal Aid" in page and "Free housing advice" in page
    assert "Dana Okafor" not in page and "dana@legal.example" not in page
    assert "Renew in December" not in page
    api = APIClient()
    api.force_authenticate(member.user)
    row = api.get(API).json()["results"][0]
    assert row["organization_name"] == "Riverside Legal Aid"
    assert row["contact_name"] is None and row["contact_email"] is None and row["notes"] is None


def test_coordinators_see_the_contacts(partnership, coordinator):
    page = _client(coordinator).get(LIST).content.decode()
    assert "Dana Okafor" in page and "dana@legal.example" in page and "Renew in December" in page
    api = APIClient()
    api.force_authenticate(coordinator.user)
    assert api.get(f"{API}{partnership.pk}/").json()["contact_email"] == "dana@legal.example"


def test_ended_partnerships_are_listed_apart(network, coordinator, partnership, member):
    partnership_create(
        network=network,
        by=coordinator,
        fields=PartnershipFields(
            organization=make_organization(network, "Old Food Bank"),
            starts_on=date(2020, 1, 1),
            ends_on=date(2021, 1, 1),
        ),
    )
    page = _client(member).get(LIST).content.decode()
    assert page.index("Riverside Legal Aid") < page.index("Ended") < page.index("Old Food Bank")


def test_only_coordinators_keep_partnerships(network, facilitator, partnership):
    fields = PartnershipFields(organization=make_organization(network), starts_on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        partnership_create(network=network, by=facilitator, fields=fields)
    with pytest.raises(PermissionDenied):
        partnership_update(partnership=partnership, by=facilitator, fields=fields)
    edit = reverse(
        "directory:partnership_edit",
        kwargs={"network": "riverside", "partnership_id": partnership.pk},
    )
    assert _client(facilitator).post(edit, {"starts_on": "2025-01-01"}).status_code == 403
    api = APIClient()
    api.force_authenticate(facilitator.user)
    assert api.post(API, {"starts_on": "2025-01-01"}).status_code == 403


def test_an_end_before_the_start_is_refused(network, coordinator, partnership):
    organization = make_organization(network, "Clinic")
    with pytest.raises(ValidationError) as error:
        partnership_create(
            network=network,
            by=coordinator,
            fields=PartnershipFields(
                organization=organization, starts_on=date(2025, 5, 1), ends_on=date(2025, 4, 1)
            ),
        )
    assert error.value.message_dict == {"ends_on": ["The agreement cannot end before it starts."]}
    response = _client(coordinator).post(
        reverse("directory:partnership_create", kwargs={"network": "riverside"}),
        {"organization": organization.pk, "starts_on": "2025-05-01", "ends_on": "2025-04-01"},
    )
    assert response.status_code == 400
    assert "The agreement cannot end before it starts." in response.content.decode()
    api = APIClient()
    api.force_authenticate(coordinator.user)
    answer = api.put(
        f"{API}{partnership.pk}/",
        {
            "organization_id": str(organization.id),
            "starts_on": "2025-05-01",
            "ends_on": "2025-04-01",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"ends_on": ["The agreement cannot end before it starts."]}
    assert Partnership.objects.count() == 1
    partnership.refresh_from_db()
    assert partnership.ends_on is None and partnership.organization_name == "Riverside Legal Aid"


def test_another_networks_organisation_is_refused(network, other_network, coordinator):
    elsewhere = make_organization(other_network, "Hilltop Pantry")
    with pytest.raises(ValidationError):
        partnership_create(
            network=network,
            by=coordinator,
            fields=PartnershipFields(organization=elsewhere, starts_on=date(2025, 1, 1)),
        )
    api = APIClient()
    api.force_authenticate(coordinator.user)
    answer = api.post(
        API, {"organization_id": str(elsewhere.id), "starts_on": "2025-01-01"}, format="json"
    )
    assert answer.status_code == 400 and "organization_id" in answer.json()
    assert (
        api.post(
            API, {"organization_id": "nope", "starts_on": "2025-01-01"}, format="json"
        ).status_code
        == 400
    )
    assert not Partnership.objects.exists()


def test_coordinators_add_and_edit_in_the_pages_and_the_api(network, coordinator):
    organization = make_organization(network, "Riverside Clinic")
    client = _client(coordinator)
    response = client.post(
        reverse("directory:partnership_create", kwargs={"network": "riverside"}),
        {
            "organization": organization.pk,
            "starts_on": "2025-02-01",
            "contact_name": "Sam",
            "partner_brings": "A nurse on Thursdays",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.organization == organization and partnership.contact_name == "Sam"
    edit = reverse(
        "directory:partnership_edit",
        kwargs={"network": "riverside", "partnership_id": partnership.pk},
    )
    assert "Riverside Clinic" in client.get(edit).content.decode()
    client.post(
        edit, {"organization": organization.pk, "starts_on": "2025-02-01", "ends_on": "2026-02-01"}
    )
    partnership.refresh_from_db()
    assert partnership.ends_on == date(2026, 2, 1)
    api = APIClient()
    api.force_authenticate(coordinator.user)
    created = api.post(
        API,
        {"organization_id": str(organization.id), "starts_on": "2025-03-01", "notes": "Second"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["notes"] == "Second"
