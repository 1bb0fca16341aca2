"""The service editor edits every place, phone and cost option of a service, not only the
first: rows with an id edit their record (keeping what the page does not show), rows
without one add a record, records no row names are removed; a bad row writes nothing and
says which row it was; what is saved is valid HSDS and comes back the same from an export."""

import uuid
from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from sameboat.directory import exporting, validation
from sameboat.directory import sample as dataset
from sameboat.directory.editing import (
    CostFields,
    EntryInvalid,
    Hours,
    LocationFields,
    PhoneFields,
    ServiceFields,
    service_document,
    service_save,
)
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import (
    CostOption,
    Location,
    Phone,
    Service,
    ServiceAtLocation,
)
from sameboat.directory.models import Language as ServiceLanguage
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network
from sameboat.networks.services import network_create

pytestmark = pytest.mark.django_db
PANTRY = uuid.UUID(dataset.uid("service pantry"))


def pantry(network: Network) -> dict[str, Any]:
    document = service_document(network=network, service_id=PANTRY)
    assert document is not None
    return document


def as_page_gives_it(document: dict[str, Any], **changes: Any) -> ServiceFields:
    """The fields the page would send for the document unchanged, with `changes`."""
    places = [
        LocationFields(
            id=place["id"],
            name=place["location"].get("name", ""),
            **{
                name: place["location"]["addresses"][0].get(name, "")
                for name in (
                    "address_1",
                    "address_2",
                    "city",
                    "region",
                    "state_province",
                    "postal_code",
                    "country",
                )
            },
            accessibility=(place["location"].get("accessibility") or [{}])[0].get(
                "description", ""
            ),
        )
        for place in document["service_at_locations"]
    ]
    values: dict[str, Any] = {
        "organization_id": uuid.UUID(document["organization_id"]),
        "name": document["name"],
        "status": document["status"],
        "description": document.get("description", ""),
        "url": document.get("url", ""),
        "email": document.get("email", ""),
        "application_process": document.get("application_process", ""),
        "eligibility_description": document.get("eligibility_description", ""),
        "languages": [lang["code"] for lang in document["languages"]],
        "required_documents": [d["document"] for d in document["required_documents"]],
        "taxonomy_term_ids": [
            uuid.UUID(a["taxonomy_term_id"])
            for a in document["attributes"]
            if a.get("link_type") == "service_category"
        ],
        "locations": places,
        "phones": [
            PhoneFields(
                id=p["id"],
                number=p["number"],
                type=p.get("type", ""),
                description=p.get("description", ""),
            )
            for p in document["phones"]
        ],
        "cost_options": [
            CostFields(
                id=c["id"],
                option=c.get("option", ""),
                amount=None if c.get("amount") is None else Decimal(str(c["amount"])),
                currency=c.get("currency", ""),
                amount_description=c.get("amount_description", ""),
            )
            for c in document["cost_options"]
        ],
    }
    return ServiceFields(**(values | changes))


def split(
    after: dict[str, Any], before: dict[str, Any], name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The list's record that was there before, and the one added."""
    old = {item["id"] for item in before[name]}
    kept = [item for item in after[name] if item["id"] in old]
    new = [item for item in after[name] if item["id"] not in old]
    assert len(kept) == len(new) == 1
    return kept[0], new[0]


SECOND_PLACE = LocationFields(
    name="Eastbank church hall",
    address_1="12 Ferry Road",
    address_2="Side entrance",
    city="Eastbank",
    region="Ottawa Valley",
    state_province="ON",
    postal_code="R2V 3C3",
    country="ca",
    accessibility="Ramp at the side door",
    hours=[Hours(day="WE", opens=time(9), closes=time(12))],
)


def counts() -> tuple[int, ...]:
    return (
        Service.objects.count(),
        ServiceAtLocation.objects.count(),
        Location.objects.count(),
        Phone.objects.count(),
        CostOption.objects.count(),
        ServiceLanguage.objects.count(),
    )


def test_a_second_place_phone_and_cost_are_added_beside_the_first_kept_whole(
    network: Network, imported: ImportReport
) -> None:
    before = pantry(network)
    page = as_page_gives_it(before)
    service_save(
        network=network,
        service_id=PANTRY,
        fields=as_page_gives_it(
            before,
            locations=[*(page.locations or []), SECOND_PLACE],
            phones=[
                *(page.phones or []),
                PhoneFields(number="+1 613 555 0199", extension=12, type="text"),
            ],
            cost_options=[
                *(page.cost_options or []),
                CostFields(option="Delivery", amount=Decimal("2.50"), currency="cad"),
            ],
        ),
    )
    after = pantry(network)
    assert validation.errors(validation.document_validator("service"), after) == []
    # The first of each is the record it was: its id, and what the page does not show. (A
    # list comes back in the order of its ids.)
    first, second = split(after, before, "service_at_locations")
    assert first == before["service_at_locations"][0]
    assert split(after, before, "phones")[0] == before["phones"][0]
    assert split(after, before, "phones")[0]["languages"][0]["code"] == "es"
    assert split(after, before, "cost_options")[0] == before["cost_options"][0]
    assert second["location"]["name"] == "Eastbank church hall"
    assert second["location"]["organization_id"] == before["organization_id"]
    address = second["location"]["addresses"][0]
    assert (address["address_2"], address["region"], address["country"]) == (
        "Side entrance",
        "Ottawa Valley",
        "CA",
    )
    assert second["location"]["accessibility"][0]["description"] == "Ramp at the side door"
    # Its own hours: schedules of the service at that place.
    assert [
        (s["byday"], s["opens_at"], s["closes_at"], s["service_at_location_id"])
        for s in second["schedules"]
    ] == [("WE", "09:00", "12:00", second["id"])]
    phone = split(after, before, "phones")[1]
    assert (phone["number"], phone["extension"], phone["type"]) == ("+1 613 555 0199", 12, "text")
    cost = split(after, before, "cost_options")[1]
    assert (cost["option"], cost["amount"], cost["currency"]) == ("Delivery", 2.5, "CAD")
    changed = {m["field_name"] for m in after["metadata"] if m["last_action_type"] == "update"}
    assert {"service_at_locations", "phones", "cost_options"} <= changed
    # Everything else of the service is as it was.
    for name in ("schedules", "service_areas", "funding", "contacts", "attributes", "languages"):
        assert after[name] == before[name], name


def test_the_second_of_each_is_edited_then_removed_and_its_place_stays_with_its_organisation(
    network: Network, imported: ImportReport
) -> None:
    pantry_before = pantry(network)
    page = as_page_gives_it(pantry_before)
    service_save(
        network=network,
        service_id=PANTRY,
        fields=as_page_gives_it(
            pantry_before,
            locations=[*(page.locations or []), SECOND_PLACE],
            phones=[*(page.phones or []), PhoneFields(number="555 0199")],
            cost_options=[*(page.cost_options or []), CostFields(option="Delivery")],
        ),
    )
    added = pantry(network)
    before = pantry_before
    place = split(added, before, "service_at_locations")[1]
    phone = split(added, before, "phones")[1]
    cost = split(added, before, "cost_options")[1]
    page = as_page_gives_it(added)
    assert page.locations and page.phones and page.cost_options
    service_save(
        network=network,
        service_id=PANTRY,
        fields=as_page_gives_it(
            added,
            locations=[
                row
                if row.id != place["id"]
                else LocationFields(**{**_fields(row), "name": "Eastbank hall"})
                for row in page.locations
            ],
            phones=[
                row if row.id != phone["id"] else PhoneFields(id=phone["id"], number="555 0200")
                for row in page.phones
            ],
            cost_options=[
                row if row.id != cost["id"] else CostFields(id=cost["id"], amount=Decimal(1))
                for row in page.cost_options
            ],
        ),
    )
    edited = pantry(network)
    place = split(edited, before, "service_at_locations")[1]
    assert place["location"]["name"] == "Eastbank hall"
    assert split(edited, before, "phones")[1]["number"] == "555 0200"
    assert "option" not in split(edited, before, "cost_options")[1]
    assert split(edited, before, "cost_options")[1]["amount"] == 1

    # What the page sends when the added rows are ticked "remove": the rows that were there.
    page = as_page_gives_it(edited)
    assert page.locations and page.phones and page.cost_options
    service_save(
        network=network,
        service_id=PANTRY,
        fields=as_page_gives_it(
            edited,
            locations=[row for row in page.locations if row.id != place["id"]],
            phones=[row for row in page.phones if row.id != phone["id"]],
            cost_options=[row for row in page.cost_options if row.id != cost["id"]],
        ),
    )
    removed = pantry(network)
    for name in ("service_at_locations", "phones", "cost_options"):
        assert [item["id"] for item in removed[name]] == [item["id"] for item in before[name]]
    assert not ServiceAtLocation.objects.filter(network=network, id=place["id"]).exists()
    # The location belongs to the organisation: it stays, for other services to be at.
    assert Location.objects.filter(network=network, id=place["location_id"]).exists()
    assert validation.errors(validation.document_validator("service"), removed) == []


def _fields(row: LocationFields) -> dict[str, Any]:
    return {name: getattr(row, name) for name in LocationFields.__slots__}


def test_a_bad_row_writes_nothing_and_says_which_row_it_is(
    network: Network, imported: ImportReport
) -> None:
    document = pantry(network)
    page = as_page_gives_it(document)
    before = counts()
    cases: list[tuple[ServiceFields, tuple[str, int, str]]] = [
        (
            as_page_gives_it(
                document,
                name="Renamed",
                phones=[*(page.phones or []), PhoneFields(number="  ")],
            ),
            ("phones", 1, "number"),
        ),
        (
            as_page_gives_it(
                document,
                name="Renamed",
                locations=[*(page.locations or []), LocationFields(address_1="12 Ferry Road")],
            ),
            ("locations", 1, "city"),
        ),
        (
            as_page_gives_it(
                document,
                name="Renamed",
                cost_options=[*(page.cost_options or []), CostFields(currency="CAD")],
            ),
            ("cost_options", 1, ""),
        ),
        (
            as_page_gives_it(
                document,
                name="Renamed",
                phones=[*(page.phones or []), PhoneFields(id=str(uuid.uuid4()), number="1")],
            ),
            ("phones", 1, ""),
        ),
    ]
    for fields, (part, index, field) in cases:
        with pytest.raises(EntryInvalid) as raised:
            service_save(network=network, service_id=PANTRY, fields=fields)
        fault = raised.value.faults[0]
        assert (fault.part, fault.index, fault.field) == (part, index, field)
        assert counts() == before
        assert pantry(network)["name"] == document["name"]


def test_an_hsds_problem_in_a_row_is_placed_beside_that_row(
    network: Network, imported: ImportReport
) -> None:
    """A schema error deep in a row's records is marked on the row's field: here a place whose
    stored location lost its type, which HSDS requires."""
    document = pantry(network)
    page = as_page_gives_it(document)
    Location.objects.filter(network=network).update(location_type="nowhere")
    before = counts()
    with pytest.raises(EntryInvalid) as raised:
        service_save(network=network, service_id=PANTRY, fields=page)
    assert any(f.part == "locations" and f.index == 0 for f in raised.value.faults)
    assert counts() == before


def test_a_service_with_several_of_each_comes_back_the_same_from_an_export(
    network: Network, imported: ImportReport
) -> None:
    service_id = service_save(
        network=network,
        service_id=None,
        fields=ServiceFields(
            organization_id=uuid.UUID(dataset.uid("organization food bank")),
            name="Winter coats",
            status="active",
            languages=["en", "so", "zh-Hans"],
            locations=[
                LocationFields(name="Coat room"),
                SECOND_PLACE,
                LocationFields(name="Online", accessibility="Screen reader friendly"),
            ],
            phones=[
                PhoneFields(number="555 0101", extension=3, type="voice", description="Mornings"),
                PhoneFields(number="555 0102", type="text"),
            ],
            cost_options=[
                CostFields(option="Everyone", amount=Decimal(0), currency="CAD"),
                CostFields(option="Tailoring", amount=Decimal("12.75"), currency="CAD"),
            ],
        ),
    )
    first = list(exporting.documents(network, "service", ids=[service_id]))
    assert validation.errors(validation.document_validator("service"), first[0]) == []
    assert {lang["code"]: lang["name"] for lang in first[0]["languages"]} == {
        "en": "English",
        "so": "Somali",
        "zh-Hans": "Simplified Chinese",
    }
    empty = network_create(slug="empty-coats", name="Empty")
    report = hsds_import_documents(network=empty, data=first, kind="service")
    assert report.ok, report.problems
    assert list(exporting.documents(empty, "service")) == first
