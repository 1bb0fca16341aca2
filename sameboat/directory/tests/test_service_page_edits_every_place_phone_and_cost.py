"""The coordinator's service page edits every place, phone and cost option of a service
(Django formsets: a row per record, an empty row to add one, a "remove" box on each), and
picks languages by name from a list in the reader's language; a mistake in any row is a 400
that marks that row and writes nothing."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from sameboat.directory import editing, validation
from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import (
    CostOption,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from sameboat.directory.models import Language as ServiceLanguage
from sameboat.directory.tests.service_form_data import changed, form_data
from sameboat.networks.models import Member

pytestmark = pytest.mark.django_db
PANTRY = uuid.UUID(dataset.uid("service pantry"))


def edit_url(service_id: uuid.UUID = PANTRY) -> str:
    return reverse(
        "directory:service_edit", kwargs={"network": "riverside", "service_id": service_id}
    )


def client_for(member: Member, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(member.user)
    return client


def document(service_id: uuid.UUID = PANTRY) -> dict:
    found = editing.service_document(
        network=Member.objects.first().network,  # type: ignore[union-attr]
        service_id=service_id,
    )
    assert found is not None
    return found


def counts() -> tuple[int, ...]:
    return (
        Service.objects.count(),
        ServiceAtLocation.objects.count(),
        Location.objects.count(),
        Phone.objects.count(),
        CostOption.objects.count(),
        ServiceLanguage.objects.count(),
    )


def fieldset(page: str, legend: str) -> str:
    """The HTML of the row whose legend is `legend`."""
    found = re.search(
        r"<fieldset[^>]*>\s*<legend>" + re.escape(legend) + r"</legend>(.*?)</fieldset>",
        page,
        re.S,
    )
    assert found, legend
    return found.group(1)


def test_coordinator_adds_edits_and_removes_a_second_place_phone_and_cost(
    coordinator: Member, imported: ImportReport
) -> None:
    client = client_for(coordinator)
    before = document()
    page = client.get(edit_url()).content.decode()
    # A row for each record, and an empty one to add another.
    assert 'name="locations-TOTAL_FORMS" value="2"' in page
    assert 'name="phones-INITIAL_FORMS" value="1"' in page
    assert "Food bank warehouse" in fieldset(page, "Place 1")
    data = changed(
        form_data(page),
        {
            "locations-1-name": "Eastbank church hall",
            "locations-1-address_1": "12 Ferry Road",
            "locations-1-city": "Eastbank",
            "locations-1-state_province": "ON",
            "locations-1-postal_code": "R2V 3C3",
            "locations-1-country": "CA",
            "locations-1-accessibility": "Ramp at the side door",
            "locations-1-opens_WE": "09:00",
            "locations-1-closes_WE": "12:00",
            "phones-1-number": "+1 613 555 0199",
            "phones-1-extension": "12",
            "phones-1-type": "text",
            "phones-1-description": "Texts answered the same day",
            "costs-1-option": "Delivery",
            "costs-1-amount": "2.50",
            "costs-1-currency": "cad",
        },
    )
    response = client.post(edit_url(), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = document()
    assert validation.errors(validation.document_validator("service"), added) == []
    assert len(added["service_at_locations"]) == len(added["phones"]) == 2
    assert len(added["cost_options"]) == 2
    # The first place, phone and cost are the records they were, whole.
    for name in ("service_at_locations", "phones", "cost_options"):
        assert before[name][0] in added[name]
    detail = client.get(response["Location"]).content.decode()
    assert "Eastbank church hall" in detail and "Food bank warehouse" in detail
    assert "+1 613 555 0199</a> ext. 12 — Texts answered the same day" in detail
    assert "Hours here: Wednesday 09:00–12:00" in detail

    page = client.get(edit_url()).content.decode()
    assert 'name="locations-TOTAL_FORMS" value="3"' in page
    data = form_data(page)
    rows = {
        prefix: {
            data[f"{prefix}-{n}-id"][0]: n for n in range(int(data[f"{prefix}-INITIAL_FORMS"][0]))
        }
        for prefix in ("locations", "phones", "costs")
    }
    new_place = next(
        p
        for p in added["service_at_locations"]
        if p["id"] != before["service_at_locations"][0]["id"]
    )
    new_phone = next(p for p in added["phones"] if p["id"] != before["phones"][0]["id"])
    old_cost = before["cost_options"][0]["id"]
    place_row, phone_row = rows["locations"][new_place["id"]], rows["phones"][new_phone["id"]]
    cost_row = rows["costs"][old_cost]
    assert data[f"locations-{place_row}-name"] == ["Eastbank church hall"]
    assert data[f"phones-{phone_row}-extension"] == ["12"]
    assert data[f"locations-{place_row}-opens_WE"] == ["09:00"]
    assert Schedule.objects.filter(service_at_location_id=new_place["id"]).count() == 1
    response = client.post(
        edit_url(),
        changed(
            data,
            {
                f"phones-{phone_row}-number": "+1 613 555 0200",
                f"costs-{cost_row}-DELETE": "on",
                f"locations-{place_row}-DELETE": "on",
            },
        ),
    )
    assert response.status_code == 302
    after = document()
    assert [p["id"] for p in after["service_at_locations"]] == [
        before["service_at_locations"][0]["id"]
    ]
    assert {p["id"]: p["number"] for p in after["phones"]}[new_phone["id"]] == "+1 613 555 0200"
    assert old_cost not in {c["id"] for c in after["cost_options"]}
    assert len(after["cost_options"]) == 1
    assert Location.objects.filter(id=new_place["location_id"]).exists()
    assert not Schedule.objects.filter(service_at_location_id=new_place["id"]).exists()
    assert validation.errors(validation.document_validator("service"), after) == []


def test_languages_are_picked_by_name_in_the_readers_language(
    coordinator: Member, imported: ImportReport
) -> None:
    english = client_for(coordinator).get(edit_url()).content.decode()
    # Names, not codes: Django's list and Sameboat's (Somali, sign languages) together.
    assert re.search(r'value="so"[^>]*>\s*<span>Somali', english)
    assert re.search(r'value="de"[^>]*>\s*<span>German \(<span lang="de">Deutsch</span>\)', english)
    assert re.search(r'value="ase"[^>]*>\s*<span>American Sign Language', english)
    assert "Find a language" in english
    # The pantry's languages are ticked.
    for code in ("en", "es", "so"):
        assert re.search(rf'value="{code}"[^>]*checked', english), code
    spanish = client_for(coordinator, "es").get(edit_url()).content.decode()
    assert re.search(r'value="de"[^>]*>\s*<span>Alemán \(<span lang="de">Deutsch</span>\)', spanish)

    client = client_for(coordinator)
    response = client.post(
        edit_url(),
        changed(form_data(english), {"languages": ["es", "zh-Hans", "ase"]}),
    )
    assert response.status_code == 302
    languages = {lang["code"]: lang for lang in document()["languages"]}
    assert set(languages) == {"es", "zh-Hans", "ase"}
    assert languages["zh-Hans"]["name"] == "Simplified Chinese"
    assert languages["ase"]["name"] == "American Sign Language"
    # The language the service kept is the record it was, its note included.
    assert languages["es"]["note"] == "Thursdays"


def test_a_language_the_list_lacks_stays_ticked_and_kept(
    coordinator: Member, imported: ImportReport
) -> None:
    service_id = editing.service_save(
        network=coordinator.network,
        service_id=None,
        fields=editing.ServiceFields(
            organization_id=uuid.UUID(dataset.uid("organization food bank")),
            name="Klingon lessons",
            status="active",
            languages=["tlh", "en"],
        ),
    )
    client = client_for(coordinator)
    page = client.get(edit_url(service_id)).content.decode()
    assert re.search(r'value="tlh"[^>]*checked', page)
    response = client.post(edit_url(service_id), form_data(page))
    assert response.status_code == 302
    assert {lang["code"] for lang in document(service_id)["languages"]} == {"tlh", "en"}


def test_bad_input_in_one_row_is_a_400_marked_on_that_row_and_writes_nothing(
    coordinator: Member, imported: ImportReport
) -> None:
    client = client_for(coordinator)
    page = client.get(edit_url()).content.decode()
    data = form_data(page)
    before, name = counts(), document()["name"]
    mistakes: list[tuple[dict[str, str | list[str]], str, str]] = [
        (
            {"phones-1-number": "555 0199", "phones-1-extension": "twelve"},
            "New phone",
            "Enter a whole number.",
        ),
        ({"phones-1-description": "no number"}, "Phone 2", "This field is required."),
        ({"locations-1-address_1": "12 Ferry Road"}, "Place 2", "An address needs this."),
        (
            {"locations-0-name": "", "locations-0-address_1": ""},
            "Place 1",
            "Give the place a name or an address",
        ),
        ({"locations-0-closes_MO": "17:00"}, "Place 1", "Say when it opens on that day."),
        ({"costs-1-amount": "-3"}, "Cost option 2", "greater than or equal to 0"),
        ({"costs-1-amount": "3"}, "Cost option 2", "Say in which currency."),
        ({"phones-0-id": str(uuid.uuid4())}, "Phone 1", "no longer part of the service"),
    ]
    for fields, legend, message in mistakes:
        response = client.post(edit_url(), changed(data, {"name": "Renamed", **fields}))
        assert response.status_code == 400, fields
        html = response.content.decode()
        assert "Nothing was saved" in html
        legend = legend if legend != "New phone" else "Phone 2"
        assert message in fieldset(html, legend), (fields, legend)
        assert counts() == before
        assert document()["name"] == name
    # Without the formsets' management forms nothing is saved either.
    bare = {k: v for k, v in data.items() if "FORMS" not in k}
    assert client.post(edit_url(), changed(bare, {"name": "Renamed"})).status_code == 400
    assert document()["name"] == name
    # A row given twice, or more rows than a page may hold.
    twice = changed(data, {"phones-1-id": data["phones-0-id"], "phones-1-number": "1"})
    response = client.post(edit_url(), twice)
    assert response.status_code == 400
    assert "The same record is given twice." in response.content.decode()
    many = changed(data, {"phones-TOTAL_FORMS": "500"})
    assert client.post(edit_url(), many).status_code == 400
    assert counts() == before
