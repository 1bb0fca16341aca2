"""The HSDS API's filters: each narrows a list on its own, and given together every one of
them must hold (AND). Postcode and proximity find services at places near a postcode: the
postcode's centre is that of the directory's own places there."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from sameboat.directory.importing import ImportReport
from sameboat.directory.sample import TAXONOMY, uid
from sameboat.directory.services import directory_publish, hsds_import_documents
from sameboat.networks.models import Network

FOOD_BANK = uid("organization food bank")
CLINIC = uid("organization legal clinic")


@pytest.fixture
def client(network: Network, imported: ImportReport) -> APIClient:
    directory_publish(network=network, published=True)
    return APIClient()


def names(client: APIClient, path: str, **params: str) -> list[str]:
    response = client.get(f"/api/hsds/riverside/{path}", params)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["total_items"] == len(answer["contents"])
    return [item.get("name") or item["id"] for item in answer["contents"]]


def places(client: APIClient, **params: str) -> list[tuple[str, str]]:
    """(service, location) of each service at a location found."""
    response = client.get("/api/hsds/riverside/service_at_locations", params)
    assert response.status_code == 200, response.content
    return sorted(
        (item["service"]["name"], item["location"]["name"]) for item in response.json()["contents"]
    )


def test_search_finds_every_word_in_names_or_descriptions(client: APIClient) -> None:
    assert names(client, "services", search="advice") == [
        "Immigration legal help",
        "Tenant rights advice",
    ]
    assert names(client, "services", search="ADVICE evictions") == ["Tenant rights advice"]
    assert names(client, "services", search="the pantry") == ["Weekly food pantry"]  # alternate
    assert names(client, "services", search="advice groceries") == []
    assert names(client, "organizations", search="tenants") == ["Eastbank Tenants' Legal Clinic"]
    assert names(client, "taxonomies", search="riverside categories") == [TAXONOMY["name"]]
    assert names(client, "taxonomy_terms", search="evictions") == ["Tenant rights"]
    assert places(client, search="video") == [("Tenant rights advice", "Online appointments")]
    assert places(client, search="harbour") == [
        ("Emergency shelter beds", "Harbour House"),
        ("Peer support meetings", "Harbour House"),
    ]


def test_taxonomy_term_finds_the_services_tagged_with_it(client: APIClient) -> None:
    assert names(client, "services", taxonomy_term_id=uid("term shelter")) == [
        "Emergency shelter beds"
    ]
    assert names(client, "services", taxonomy_term_id=uid("term housing")) == [
        "Emergency shelter beds"
    ]
    assert places(client, taxonomy_term_id=uid("term tenant-rights")) == [
        ("Tenant rights advice", "Eastbank clinic office"),
        ("Tenant rights advice", "Online appointments"),
    ]
    assert names(client, "services", taxonomy_term_id=uid("term nothing")) == []


def test_taxonomy_finds_services_with_any_of_its_terms(client: APIClient) -> None:
    assert len(names(client, "services", taxonomy_id=TAXONOMY["id"])) == 6  # not the hampers
    assert names(client, "services", taxonomy_id=uid("another taxonomy")) == []
    assert len(names(client, "taxonomy_terms", taxonomy_id=TAXONOMY["id"])) == 7
    assert names(client, "taxonomy_terms", taxonomy_id=uid("another taxonomy")) == []


def test_taxonomy_terms_by_parent_and_at_the_top(client: APIClient) -> None:
    assert names(client, "taxonomy_terms", parent_id=uid("term legal")) == [
        "Immigration legal help",
        "Tenant rights",
    ]
    assert names(client, "taxonomy_terms", top_only="true") == ["Housing", "Recovery support"]
    assert len(names(client, "taxonomy_terms", top_only="false")) == 7


def test_organization_finds_its_services(client: APIClient) -> None:
    assert names(client, "services", organization_id=FOOD_BANK) == [
        "Community hot meals",
        "Holiday hampers",
        "Weekly food pantry",
    ]
    assert places(client, organization_id=CLINIC) == [
        ("Immigration legal help", "Eastbank clinic office"),
        ("Tenant rights advice", "Eastbank clinic office"),
        ("Tenant rights advice", "Online appointments"),
    ]


def test_modified_after_finds_what_changed_on_or_after(client: APIClient) -> None:
    # Only the pantry says when it last changed: 2026-10-01T09:30:00Z.
    assert names(client, "services", modified_after="2026-10-01T09:30:00Z") == [
        "Weekly food pantry"
    ]
    assert names(client, "services", modified_after="2026-10-01T11:29:00+02:00") == [
        "Weekly food pantry"
    ]
    assert names(client, "services", modified_after="2026-10-01") == ["Weekly food pantry"]
    assert names(client, "services", modified_after="2026-10-01T09:30:01Z") == []
    assert places(client, modified_after="2026-09-01T00:00:00") == [
        ("Weekly food pantry", "Food bank warehouse")
    ]


def test_postcode_finds_services_at_places_there(client: APIClient) -> None:
    assert places(client, postcode="R2H 7K2") == [
        ("Emergency shelter beds", "Harbour House"),
        ("Peer support meetings", "Harbour House"),
    ]
    assert places(client, postcode="r2h7k2") == places(client, postcode="R2H 7K2")
    assert names(client, "services", postcode="R2V 3C4") == ["Community hot meals"]
    assert places(client, postcode="Z9Z 9Z9") == []


def test_proximity_finds_services_within_metres_of_the_postcode(client: APIClient) -> None:
    # From the warehouse (R2V 1A1): the church hall is about 380 m away, the clinic office
    # and Harbour House about 1.65 km; the online appointments are nowhere.
    assert places(client, postcode="R2V 1A1", proximity="100") == [
        ("Weekly food pantry", "Food bank warehouse")
    ]
    assert places(client, postcode="R2V 1A1", proximity="500") == [
        ("Community hot meals", "St Andrew's church hall"),
        ("Weekly food pantry", "Food bank warehouse"),
    ]
    assert len(places(client, postcode="R2V 1A1", proximity="2000")) == 6
    assert names(client, "services", postcode="R2V 1A1", proximity="500") == [
        "Community hot meals",
        "Weekly food pantry",
    ]


def test_the_centre_of_a_postcode_is_that_of_its_places(
    client: APIClient, network: Network
) -> None:
    # A second place in R2V 1A1, 2 km north of the warehouse, moves the centre 1 km north:
    # the warehouse and the new place are then both 1 km from it, the church hall farther.
    north = {
        "id": uid("organization north"),
        "name": "North end drop-in",
        "description": "A drop-in centre.",
        "locations": [
            {
                "id": uid("location north"),
                "location_type": "physical",
                "name": "North end hall",
                "latitude": 45.4215 + 2000 / 111_195,
                "longitude": -75.6972,
                "addresses": [
                    {
                        "id": uid("address north"),
                        "address_1": "1 North Road",
                        "city": "Riverside",
                        "state_province": "ON",
                        "postal_code": "R2V 1A1",
                        "country": "CA",
                        "address_type": "physical",
                    }
                ],
            }
        ],
    }
    assert hsds_import_documents(network=network, data=north, kind="organization").ok
    assert places(client, postcode="R2V 1A1", proximity="990") == []
    assert places(client, postcode="R2V 1A1", proximity="1010") == [
        ("Weekly food pantry", "Food bank warehouse")
    ]


def test_filters_combine_with_and(client: APIClient) -> None:
    assert names(client, "services", organization_id=CLINIC, search="advice") == [
        "Immigration legal help",
        "Tenant rights advice",
    ]
    assert names(
        client,
        "services",
        organization_id=CLINIC,
        search="advice",
        taxonomy_term_id=uid("term immigration"),
    ) == ["Immigration legal help"]
    assert names(client, "services", organization_id=FOOD_BANK, search="advice") == []
    assert names(client, "services", organization_id=FOOD_BANK, taxonomy_id=TAXONOMY["id"]) == [
        "Community hot meals",
        "Weekly food pantry",
    ]
    assert names(client, "services", organization_id=FOOD_BANK, modified_after="2026-01-01") == [
        "Weekly food pantry"
    ]
    assert places(client, postcode="R2V 1A1", proximity="2000", organization_id=CLINIC) == [
        ("Immigration legal help", "Eastbank clinic office"),
        ("Tenant rights advice", "Eastbank clinic office"),
    ]
    near = {"postcode": "R2V 1A1", "proximity": "2000"}
    assert places(client, **near, search="recovery", taxonomy_id=TAXONOMY["id"]) == [
        ("Peer support meetings", "Harbour House")
    ]
    assert places(client, **near, search="recovery", taxonomy_term_id=uid("term shelter")) == []
    assert places(client, postcode="R2V 1A1", proximity="500", search="meal") == [
        ("Community hot meals", "St Andrew's church hall")
    ]
    assert names(client, "taxonomy_terms", parent_id=uid("term legal"), search="status") == [
        "Immigration legal help"
    ]


def test_filters_never_reach_another_network(client: APIClient, other_network: Network) -> None:
    extra: dict[str, Any] = {
        "id": uid("organization hilltop"),
        "name": "Hilltop advice centre",
        "description": "Advice for everyone.",
    }
    assert hsds_import_documents(network=other_network, data=extra, kind="organization").ok
    assert names(client, "organizations", search="hilltop") == []
    assert len(names(client, "organizations")) == 3
