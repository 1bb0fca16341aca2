"""The HSDS API's pages: total_items, total_pages, page_number, size, first_page, last_page
and empty, as the reference's `Page` defines them; per_page from 1 to 100, 50 unless given;
a page past the end is empty, not an error."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from sameboat.directory import validation
from sameboat.directory.importing import ImportReport
from sameboat.directory.services import directory_publish
from sameboat.networks.models import Network

ORDER = [
    "Community hot meals",
    "Emergency shelter beds",
    "Holiday hampers",
    "Immigration legal help",
    "Peer support meetings",
    "Tenant rights advice",
    "Weekly food pantry",
]


@pytest.fixture
def client(network: Network, imported: ImportReport) -> APIClient:
    directory_publish(network=network, published=True)
    return APIClient()


def page(client: APIClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/hsds/riverside/services", params)
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    checker = validation.page_validator("service_list")
    assert not validation.errors(checker, answer)
    return answer


def envelope(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "contents"}


def test_pages_walk_the_list_in_name_order(client: APIClient) -> None:
    first = page(client, per_page=3)
    assert envelope(first) == {
        "total_items": 7,
        "total_pages": 3,
        "page_number": 1,
        "size": 3,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    middle = page(client, per_page=3, page=2)
    assert envelope(middle) | {"page_number": 1} == envelope(first) | {"first_page": False}
    last = page(client, per_page=3, page=3)
    assert envelope(last) == {
        "total_items": 7,
        "total_pages": 3,
        "page_number": 3,
        "size": 1,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }
    walked = [item["name"] for answer in (first, middle, last) for item in answer["contents"]]
    assert walked == ORDER


def test_a_page_past_the_end_is_empty(client: APIClient) -> None:
    answer = page(client, per_page=3, page=4)
    assert answer["contents"] == []
    assert envelope(answer) == {
        "total_items": 7,
        "total_pages": 3,
        "page_number": 4,
        "size": 0,
        "first_page": False,
        "last_page": True,
        "empty": True,
    }


def test_a_list_with_nothing_in_it_is_one_empty_page(client: APIClient) -> None:
    answer = page(client, search="nothing-has-this-word")
    assert envelope(answer) == {
        "total_items": 0,
        "total_pages": 1,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
    }


def test_per_page_is_fifty_unless_given_and_one_at_least(client: APIClient) -> None:
    assert envelope(page(client))["total_pages"] == 1
    assert page(client)["size"] == 7
    one = page(client, per_page=1, page=7)
    assert [item["name"] for item in one["contents"]] == ORDER[6:]
    assert one["total_pages"] == 7 and one["last_page"]
    everything = page(client, per_page=100)
    assert everything["size"] == 7 and everything["first_page"] and everything["last_page"]
