"""Every HSDS API endpoint answers as the HSDS API reference (`hsds/schema/openapi.json`)
defines it: pages against the reference's own paginated list schemas, documents against the
compiled schemas, with every variant (`full`, `full_service`, `minimal`)."""

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from sameboat.directory import sample as dataset
from sameboat.directory import validation
from sameboat.directory.importing import ImportReport
from sameboat.directory.selectors import hsds_documents
from sameboat.directory.services import directory_publish
from sameboat.networks.models import Network

BASE = "/api/hsds/riverside"


@pytest.fixture
def client(network: Network, imported: ImportReport) -> APIClient:
    directory_publish(network=network, published=True)
    return APIClient()


def get(client: APIClient, path: str) -> Any:
    response = client.get(BASE + path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def assert_valid(kind: str | None, instance: Any, *, page: bool = False) -> None:
    checker = validation.page_validator(kind) if page else validation.document_validator(kind)
    assert not validation.errors(checker, instance), validation.errors(checker, instance)


def test_the_root_names_the_version_profile_and_openapi_document(client: APIClient) -> None:
    answer = get(client, "/")
    assert answer == {
        "version": "3.0",
        "profile": answer["profile"],
        "openapi_url": validation.uri("openapi.json"),
    }
    assert answer["profile"].startswith("https://")
    assert get(client, "/?format=json") == answer


@pytest.mark.parametrize(
    ("path", "kind", "count"),
    [
        ("/services", "service_list", 7),
        ("/organizations", "organization_list", 3),
        ("/service_at_locations", "service_at_location_list", 7),
        ("/taxonomies", "taxonomy", 1),
        ("/taxonomy_terms", "taxonomy_term", 7),  # the terms the services use
    ],
)
def test_each_list_is_a_valid_page(client: APIClient, path: str, kind: str, count: int) -> None:
    answer = get(client, path)
    assert_valid(kind, answer, page=True)
    assert answer["total_items"] == answer["size"] == len(answer["contents"]) == count
    for item in answer["contents"]:
        assert_valid(kind, item)


def test_the_lists_in_full_hold_full_documents(client: APIClient) -> None:
    services = get(client, "/services?full=true")
    assert_valid("service_list", services, page=True)
    for item in services["contents"]:
        assert_valid("service", item)
    assert {item["id"] for item in services["contents"]} == {
        item["id"] for item in dataset.services()
    }
    pantry = next(item for item in services["contents"] if item["name"] == "Weekly food pantry")
    assert pantry["schedules"] and pantry["service_at_locations"] and pantry["phones"]

    places = get(client, "/service_at_locations?full=true")
    assert_valid("service_at_location_list", places, page=True)
    for item in places["contents"]:
        assert_valid("service_at_location", item)
        assert "schedules" in item

    organizations = get(client, "/organizations?full=true")
    assert_valid("organization_list", organizations, page=True)
    for item in organizations["contents"]:
        assert_valid("organization", item)
        assert item["services"] and "schedules" not in item["services"][0]

    whole = get(client, "/organizations?full_service=true")
    for item in whole["contents"]:
        assert_valid("organization", item)
        assert all("schedules" in service for service in item["services"])


def test_a_minimal_list_gives_ids_and_when_they_changed(client: APIClient) -> None:
    answer = get(client, "/services?minimal=true")
    assert_valid(None, answer, page=True)
    assert answer["total_items"] == 7
    pantry = dataset.services()[0]
    assert {"id": pantry["id"], "last_modified": pantry["last_modified"]} in answer["contents"]
    assert all(set(item) <= {"id", "last_modified"} for item in answer["contents"])


def test_each_service_is_the_full_service_of_the_compiled_schema(
    client: APIClient, network: Network
) -> None:
    for service in dataset.services():
        answer = get(client, f"/services/{service['id']}")
        assert_valid("service", answer)
        # The same document as the export gives.
        [exported] = hsds_documents(network=network, kind="service", ids=[uuid.UUID(service["id"])])
        assert answer == exported


def test_an_organization_nests_its_services_briefly_unless_asked(client: APIClient) -> None:
    for expected in dataset.organizations():
        answer = get(client, f"/organizations/{expected['id']}")
        assert_valid("organization", answer)
        assert {service["id"] for service in answer["services"]} == {
            service["id"] for service in expected["services"]
        }
        assert all("schedules" not in service for service in answer["services"])
        full = get(client, f"/organizations/{expected['id']}?full_service=true")
        assert_valid("organization", full)
        assert all("schedules" in service for service in full["services"])


def test_a_service_at_a_location_is_its_full_document(client: APIClient) -> None:
    # The reference names compiled/service.json for this path, which no service at a location
    # could satisfy (it requires a service's name and status): the compiled schema of a
    # service at a location is the one its documents follow.
    for service in dataset.services():
        for place in service["service_at_locations"]:
            answer = get(client, f"/service_at_locations/{place['id']}")
            assert_valid("service_at_location", answer)
            assert answer["location"]["id"] == place["location_id"]
            assert answer["service"]["id"] == service["id"]


def test_taxonomies_and_terms_are_their_table_documents(client: APIClient) -> None:
    taxonomy = get(client, f"/taxonomies/{dataset.TAXONOMY['id']}")
    assert_valid("taxonomy", taxonomy)
    assert taxonomy["name"] == dataset.TAXONOMY["name"]
    for code in ("food-pantry", "hot-meals", "tenant-rights", "recovery"):
        term = get(client, f"/taxonomy_terms/{dataset.uid(f'term {code}')}")
        assert_valid("taxonomy_term", term)
        assert term["code"] == code
        assert term["taxonomy_detail"]["id"] == dataset.TAXONOMY["id"]
