"""The pages' writes: a service saved from its fields is valid HSDS with its metadata; an
invalid one is refused and nothing is written."""

import uuid
from datetime import time

import pytest

from sameboat.directory import exporting, validation
from sameboat.directory import sample as dataset
from sameboat.directory.editing import (
    CostFields,
    EntryInvalid,
    Hours,
    LocationFields,
    OrganizationFields,
    ServiceFields,
    organization_save,
    service_delete,
    service_document,
    service_save,
)
from sameboat.directory.models import Schedule, Service
from sameboat.networks.models import Network

pytestmark = pytest.mark.django_db


def fields(**changes: object) -> ServiceFields:
    values: dict[str, object] = {
        "organization_id": uuid.UUID(dataset.uid("organization food bank")),
        "name": "Winter coats",
        "status": "active",
        "description": "Warm coats for anyone who needs one.",
        "languages": ["en", "es"],
        "required_documents": ["None"],
        "cost_options": [CostFields(option="Free")],
        "hours": [Hours(day="TU", opens=time(9), closes=time(17))],
        "minimum_age": 0,
        "locations": [
            LocationFields(
                name="Coat room",
                address_1="1 Main St",
                city="Riverside",
                state_province="ON",
                postal_code="R2V 1A1",
                country="CA",
                accessibility="Step-free entrance",
            )
        ],
    }
    values |= changes
    return ServiceFields(**values)  # type: ignore[arg-type]


def test_a_new_service_is_valid_hsds_with_its_hours_and_metadata(
    network: Network, imported: object
) -> None:
    service_id = service_save(network=network, service_id=None, fields=fields())
    document = service_document(network=network, service_id=service_id)
    assert document is not None
    assert validation.errors(validation.document_validator("service"), document) == []
    assert document["schedules"][0]["byday"] == "TU"
    assert document["metadata"][0]["last_action_type"] == "create"
    assert (
        document["service_at_locations"][0]["location"]["addresses"][0]["address_1"] == "1 Main St"
    )
    assert {lang["code"] for lang in document["languages"]} == {"en", "es"}
    assert "last_modified" in document


def test_an_edit_keeps_what_the_page_does_not_show_and_records_the_change(
    network: Network, imported: object
) -> None:
    service_id = uuid.UUID(dataset.uid("service peers"))
    before = service_document(network=network, service_id=service_id)
    assert before is not None
    service_save(
        network=network,
        service_id=service_id,
        fields=fields(
            organization_id=uuid.UUID(before["organization_id"]),
            name="Peer support circle",
            hours=[Hours(day="MO", opens=time(18, 30), closes=time(20))],
            locations=None,
            cost_options=None,
        ),
    )
    after = service_document(network=network, service_id=service_id)
    assert after is not None
    assert after["name"] == "Peer support circle"
    assert any(
        m["field_name"] == "name" and m["replacement_value"] == "Peer support circle"
        for m in after["metadata"]
    )
    assert after["service_at_locations"] == before["service_at_locations"]
    assert validation.errors(validation.document_validator("service"), after) == []


def test_an_invalid_service_writes_nothing(network: Network, imported: object) -> None:
    services, schedules = Service.objects.count(), Schedule.objects.count()
    with pytest.raises(EntryInvalid):
        service_save(network=network, service_id=None, fields=fields(email="not an email"))
    with pytest.raises(EntryInvalid):
        service_save(network=network, service_id=None, fields=fields(status="sometimes"))
    assert (Service.objects.count(), Schedule.objects.count()) == (services, schedules)


def test_organisations_are_saved_and_services_deleted(network: Network, imported: object) -> None:
    organization_id = organization_save(
        network=network,
        organization_id=None,
        fields=OrganizationFields(name="Coat drive", description="Coats for winter."),
    )
    service_id = service_save(
        network=network, service_id=None, fields=fields(organization_id=organization_id)
    )
    assert service_delete(network=network, service_id=service_id) > 1
    assert not Service.objects.filter(network=network, id=service_id).exists()
    assert (
        next(iter(exporting.documents(network, "organization", ids=[organization_id])))["name"]
        == "Coat drive"
    )
