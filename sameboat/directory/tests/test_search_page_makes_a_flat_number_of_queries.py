"""The search page reads a fixed number of queries however many services the directory holds,
with every filter on or none."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.directory import sample as dataset
from sameboat.directory.services import hsds_import_documents


def count(client: Client, params: dict[str, str]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("directory:search", kwargs={"network": "riverside"}), params)
    assert response.status_code == 200
    return len(queries), response.context["total"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {
            "q": "groceries",
            "term": dataset.uid("term food-pantry"),
            "language": "es",
            "within_km": "5",
            "age": "30",
            "open_now": "on",
        },
        {"within_km": "50", "page": "2"},
    ],
)
def test_search_queries_do_not_grow_with_services(imported, network, member, params):
    member.latitude, member.longitude = Decimal("45.42"), Decimal("-75.70")
    member.save(update_fields=["latitude", "longitude"])
    client = Client()
    client.force_login(member.user)
    hsds_import_documents(network=network, data=dataset.copies(16))
    few, total = count(client, params)
    hsds_import_documents(network=network, data=dataset.copies(24))
    many, more = count(client, params)
    assert many == few
    if "open_now" not in params:  # (open now depends on the clock; the rest must grow)
        assert more > total
