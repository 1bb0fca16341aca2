"""Each filter of the members' directory search, alone, keeps exactly the services it names.
The dataset: Riverside's food bank, legal clinic and recovery collective (see
sameboat/directory/sample.py)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sameboat.directory import sample as dataset
from sameboat.directory.sample import uid
from sameboat.directory.services import hsds_import_documents

PANTRY, MEALS = "Weekly food pantry", "Community hot meals"
TENANT, IMMIGRATION = "Tenant rights advice", "Immigration legal help"
PEERS, BEDS = "Peer support meetings", "Emergency shelter beds"
EVERY_SERVICE = {PANTRY, MEALS, TENANT, IMMIGRATION, PEERS, BEDS}


@pytest.fixture
def parent_terms(imported, network):
    """The dataset's services name only the narrowest terms; their parents ("Food", "Legal
    aid") come in as taxonomy terms of their own, as a directory's taxonomy would."""
    report = hsds_import_documents(
        network=network, data=[dataset.term("food"), dataset.term("legal")]
    )
    assert report.ok, report.problems


@pytest.fixture
def searcher(member):
    """A member whose coarse point is by the river, a few hundred metres from the food bank."""
    member.latitude, member.longitude = Decimal("45.42"), Decimal("-75.70")
    member.save(update_fields=["latitude", "longitude"])
    client = Client()
    client.force_login(member.user)
    return client


def names(client: Client, **params: str) -> set[str]:
    response = client.get(reverse("directory:search", kwargs={"network": "riverside"}), params)
    assert response.status_code == 200, response.content.decode()
    return {hit.service.name for hit in response.context["hits"]}


def test_no_filter_lists_every_service_still_offered(imported, searcher):
    # The defunct "Holiday hampers" is left out.
    assert names(searcher) == EVERY_SERVICE


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("pantry", {PANTRY}),  # a service's name
        ("evictions", {TENANT}),  # its description
        ("harbour recovery", {PEERS, BEDS}),  # its organisation's name, every word
        ("HOT meal", {MEALS}),  # case aside
        ("pantry evictions", set()),  # every word must be found
    ],
)
def test_words(imported, searcher, words, expected):
    assert names(searcher, q=words) == expected


def test_a_term_finds_its_services_and_those_of_the_terms_beneath_it(parent_terms, searcher):
    assert names(searcher, term=uid("term food-pantry")) == {PANTRY}
    assert names(searcher, term=uid("term food")) == {PANTRY, MEALS}
    assert names(searcher, term=uid("term legal")) == {TENANT, IMMIGRATION}


def test_language_spoken_by_the_service_or_at_its_location(imported, searcher):
    assert names(searcher, language="so") == {PANTRY}
    assert names(searcher, language="ar") == {IMMIGRATION}  # the clinic's phone line is no service
    # The pantry's own records say English, Spanish, Somali; its warehouse speaks French too.
    assert names(searcher, language="fr") == {IMMIGRATION, PANTRY}


def test_distance_from_the_members_area(imported, searcher):
    # Church hall ~0.1 km, warehouse ~0.3 km, Harbour House ~1.4 km, the clinic ~1.9 km.
    assert names(searcher, within_km="1") == {PANTRY, MEALS}
    assert names(searcher, within_km="2") == EVERY_SERVICE


def test_age_of_the_person_who_needs_help(imported, searcher):
    assert names(searcher, age="15") == EVERY_SERVICE - {PEERS, BEDS}
    assert names(searcher, age="16") == EVERY_SERVICE - {BEDS}


def test_open_now_keeps_only_services_open_at_the_moment(imported, searcher):
    # Whatever the moment, what it keeps is open then by the same reading of the schedules
    # (test_search_open_now_reads_schedules_at_a_fixed_time checks fixed moments), and a
    # temporarily closed service is never open.
    found = names(searcher, open_now="on")
    assert found <= EVERY_SERVICE - {IMMIGRATION}
