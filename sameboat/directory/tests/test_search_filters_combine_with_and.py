"""Filters combine: a service is found only when it meets every one of them."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sameboat.directory import sample as dataset
from sameboat.directory.sample import uid
from sameboat.directory.services import hsds_import_documents


@pytest.fixture
def parent_terms(imported, network):
    """The dataset's services name only the narrowest terms; their parents ("Food", "Legal
    aid") come in as taxonomy terms of their own, as a directory's taxonomy would."""
    report = hsds_import_documents(
        network=network, data=[dataset.term("food"), dataset.term("legal")]
    )
    assert report.ok, report.problems


def names(member, **params: str) -> set[str]:
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("directory:search", kwargs={"network": "riverside"}), params)
    assert response.status_code == 200, response.context["form"].errors
    return {hit.service.name for hit in response.context["hits"]}


def test_every_filter_must_hold(parent_terms, member):
    member.latitude, member.longitude = Decimal("45.42"), Decimal("-75.70")
    member.save(update_fields=["latitude", "longitude"])
    # Food and French: only the pantry (at the French-speaking warehouse).
    assert names(member, term=uid("term food"), language="fr") == {"Weekly food pantry"}
    # Food within 1 km, in English: both food services; add Somali: the pantry alone.
    assert names(member, term=uid("term food"), within_km="1", language="en") == {
        "Weekly food pantry",
        "Community hot meals",
    }
    assert names(member, term=uid("term food"), within_km="1", language="so") == {
        "Weekly food pantry"
    }
    # The recovery collective's services, for a 17-year-old: the meetings, not the beds.
    assert names(member, q="harbour", age="17") == {"Peer support meetings"}
    # Legal help within 1 km: the clinic is further.
    assert names(member, term=uid("term legal"), within_km="1") == set()
