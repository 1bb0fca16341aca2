"""Every member reads the directory's pages; coordinators keep it; members asking to change
it get a 403; outsiders a 404."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import Attribute, Organization, Schedule, Service, TaxonomyTerm
from sameboat.directory.tests.service_form_data import changed, form_data
from sameboat.networks.models import Member

pytestmark = pytest.mark.django_db
PEERS = uuid.UUID(dataset.uid("service peers"))


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def url(name: str, **kwargs: object) -> str:
    return reverse(f"directory:{name}", kwargs={"network": "riverside", **kwargs})


def test_member_reads_the_list_the_service_and_the_organisation(
    member: Member, imported: ImportReport
) -> None:
    client = client_for(member)
    home = client.get(url("home"))
    assert home.status_code == 200
    assert (
        "Peer recovery meetings" in home.content.decode()
        or "peers" in home.content.decode().lower()
    )
    assert "Add a service" not in home.content.decode()
    page = client.get(url("service", service_id=PEERS)).content.decode()
    for heading in ("Where", "When", "For whom", "Languages", "Cost", "How to apply"):
        assert heading in page
    assert "Opening hours" in page
    organization = uuid.UUID(dataset.uid("organization recovery"))
    assert client.get(url("organization", organization_id=organization)).status_code == 200
    assert client.get(url("service", service_id=uuid.uuid4())).status_code == 404


def test_member_cannot_change_the_directory(member: Member, imported: ImportReport) -> None:
    client = client_for(member)
    assert client.get(url("service_edit", service_id=PEERS)).status_code == 403
    assert client.post(url("service_delete", service_id=PEERS)).status_code == 403
    assert client.post(url("publishing"), {"published": "yes"}).status_code == 403
    assert client.get(url("export_json")).status_code == 403
    assert Service.objects.filter(id=PEERS).exists()


def test_outsider_finds_nothing(outsider: Member, imported: ImportReport) -> None:
    client = client_for(outsider)
    assert client.get(url("home")).status_code == 404
    assert client.get(url("service", service_id=PEERS)).status_code == 404
    assert client.get(url("service_edit", service_id=PEERS)).status_code == 404


def test_coordinator_adds_a_service_with_weekly_hours(
    coordinator: Member, imported: ImportReport
) -> None:
    client = client_for(coordinator)
    page = client.get(url("service_create"))
    assert page.status_code == 200
    response = client.post(
        url("service_create"),
        changed(
            form_data(page.content.decode()),
            {
                "organization_id": dataset.uid("organization food bank"),
                "name": "Winter coats",
                "status": "active",
                "languages": ["en", "es"],
                "opens_TU": "09:00",
                "closes_TU": "17:00",
                "opens_FR": "20:00",
                "closes_FR": "08:00",
                "locations-0-name": "Coat room",
                "locations-0-address_1": "1 Main St",
                "locations-0-city": "Riverside",
                "locations-0-state_province": "ON",
                "locations-0-postal_code": "R2V 1A1",
                "locations-0-country": "CA",
                "taxonomy_term_ids": [
                    str(TaxonomyTerm.objects.filter(network=coordinator.network).first().id)
                ],
            },
        ),
    )
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "error" in line or "HSDS" in line
    ]
    service = Service.objects.get(name="Winter coats")
    days = set(Schedule.objects.filter(service_id=service.id).values_list("byday", flat=True))
    assert days == {"TU", "FR"}
    assert Attribute.objects.filter(link_id=service.id, link_type="service_category").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Coat room" in page and "1 Main St" in page
    assert client.get(url("service_edit", service_id=service.id)).status_code == 200


def test_invalid_input_is_a_400_and_writes_nothing(
    coordinator: Member, imported: ImportReport
) -> None:
    client = client_for(coordinator)
    before = Service.objects.count(), Schedule.objects.count()
    response = client.post(
        url("service_create"),
        {
            "organization_id": dataset.uid("organization food bank"),
            "name": "Bad",
            "status": "active",
            "email": "not-an-email",
            "closes_MO": "17:00",
            "minimum_age": "30",
            "maximum_age": "20",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say when it opens on that day." in page
    assert (Service.objects.count(), Schedule.objects.count()) == before
    unknown = client.post(
        url("service_create"),
        {"organization_id": str(uuid.uuid4()), "name": "X", "status": "active"},
    )
    assert unknown.status_code == 400
    assert (Service.objects.count(), Schedule.objects.count()) == before


def test_coordinator_deletes_a_service(coordinator: Member, imported: ImportReport) -> None:
    client = client_for(coordinator)
    assert client.post(url("service_delete", service_id=PEERS)).status_code == 302
    assert not Service.objects.filter(id=PEERS).exists()
    assert not Schedule.objects.filter(service_id=PEERS).exists()


def test_the_list_and_the_service_page_show_the_same_status(
    member: Member, imported: ImportReport
) -> None:
    client = client_for(member)
    home = client.get(url("home")).content.decode()
    statuses = 0
    for service in Service.objects.filter(network=member.network):
        page = client.get(url("service", service_id=service.id)).content.decode()
        status = page.split('<p class="status"><strong>', 1)
        if len(status) == 2:
            text = status[1].split("</strong>", 1)[0]
            assert f'<span class="status">{text}</span>' in home
            statuses += 1
    # Services with hours of their own, their place's or their location's: as many on both.
    assert statuses > 1
    assert home.count('<span class="status">') == statuses


def test_coordinator_adds_edits_and_deletes_an_organisation(
    coordinator: Member, imported: ImportReport
) -> None:
    client = client_for(coordinator)
    assert client.get(url("organization_create")).status_code == 200
    assert client.post(url("organization_create"), {"name": "Coats"}).status_code == 400
    created = client.post(
        url("organization_create"), {"name": "Coat drive", "description": "Coats for winter."}
    )
    assert created.status_code == 302
    organization = Organization.objects.get(network=coordinator.network, name="Coat drive")
    edit = url("organization_edit", organization_id=organization.id)
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"name": "Winter coat drive", "description": "Coats.", "website": "example.org"}
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.name, organization.website) == ("Winter coat drive", "https://example.org")
    page = client.get(response["Location"]).content.decode()
    assert "Winter coat drive" in page
    delete = url("organization_delete", organization_id=organization.id)
    assert client.post(delete).status_code == 302
    assert not Organization.objects.filter(id=organization.id).exists()


def test_editing_keeps_the_schedules_the_weekly_editor_cannot_show(
    coordinator: Member, imported: ImportReport
) -> None:
    client = client_for(coordinator)
    meals = Service.objects.get(network=coordinator.network, name__icontains="meal")
    form = client.get(url("service_edit", service_id=meals.id)).content.decode()
    assert "kept as they are" in form
    before = set(Schedule.objects.filter(service_id=meals.id).values_list("id", flat=True))
    data = changed(form_data(form), {"opens_SU": "10:00", "closes_SU": "12:00"})
    assert client.post(url("service_edit", service_id=meals.id), data).status_code == 302
    after = set(Schedule.objects.filter(service_id=meals.id).values_list("id", flat=True))
    assert before < after and len(after) == len(before) + 1
