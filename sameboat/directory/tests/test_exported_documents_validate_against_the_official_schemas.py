"""Every document the directory exports validates against the official HSDS 3.0 schemas:
full services, organizations and services at locations, taxonomies and terms, the HSDS API's
paginated list forms (its OpenAPI definition, envelope and items), and each row of the
tabular form."""

import pytest

from sameboat.directory import exporting, validation
from sameboat.directory.importing import ImportReport
from sameboat.directory.tables import DOCUMENTS, LIST_PATHS, TABLES
from sameboat.networks.models import Network


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_each_document_validates(network: Network, imported: ImportReport, kind: str) -> None:
    documents = list(exporting.documents(network, kind))
    assert documents
    checker = validation.document_validator(kind)
    for document in documents:
        assert validation.errors(checker, document) == []


@pytest.mark.parametrize("kind", sorted(LIST_PATHS))
def test_each_list_page_validates_as_the_hsds_api_defines_it(
    network: Network, imported: ImportReport, kind: str
) -> None:
    first = exporting.list_page(network, kind, page_number=1, per_page=2)
    assert validation.errors(validation.page_validator(kind), first) == []
    assert first["first_page"] and first["size"] == len(first["contents"]) <= 2
    last = exporting.list_page(network, kind, page_number=first["total_pages"], per_page=2)
    assert last["last_page"] and validation.errors(validation.page_validator(kind), last) == []


def test_an_empty_list_page_validates(network: Network) -> None:
    empty = exporting.list_page(network, "service_list", per_page=10)
    assert empty["empty"] and empty["total_items"] == 0
    assert validation.errors(validation.page_validator("service_list"), empty) == []


def test_each_row_of_the_tabular_form_validates(network: Network, imported: ImportReport) -> None:
    rows = 0
    for table in TABLES.values():
        checker = validation.row_validator(table.name)
        model = exporting.MODELS[table.name]
        for row in model.objects.filter(network=network).values_list(*table.column_names):
            assert validation.errors(checker, exporting.row_document(table.name, row)) == []
            rows += 1
    assert rows == sum(imported.created.values())


def test_the_full_service_holds_what_was_nested_in_it(
    network: Network, imported: ImportReport
) -> None:
    pantry = next(
        document
        for document in exporting.documents(network, "service")
        if document["name"] == "Weekly food pantry"
    )
    assert pantry["organization"]["name"] == "Riverside Community Food Bank"
    assert [phone["number"] for phone in pantry["phones"]] == ["+1 613 555 0120"]
    assert pantry["phones"][0]["languages"][0]["code"] == "es"
    assert pantry["schedules"][0]["byday"] == "TU,TH" and pantry["schedules"][0]["timezone"] == -5
    assert sorted(language["code"] for language in pantry["languages"]) == ["en", "es", "so"]
    assert pantry["cost_options"][0]["amount"] == 0
    assert pantry["program"]["name"] == "Emergency food"
    place = pantry["service_at_locations"][0]
    assert place["location"]["latitude"] == 45.4215
    assert place["location"]["addresses"][0]["address_1"] == "120 Mill Street"
    term = pantry["attributes"][0]["taxonomy_term"]
    assert (term["name"], term["taxonomy_detail"]["name"]) == (
        "Food pantry",
        "Riverside service categories",
    )
    assert pantry["last_modified"] == "2026-10-01T09:30:00.000Z"
    assert pantry["assured_date"] == "2026-09-15"
