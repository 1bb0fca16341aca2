"""Languages match as people mean them (BCP 47, case aside): asking "pt" finds every
Portuguese (pt, pt-BR, pt-PT); asking "pt-BR" finds Brazilian Portuguese and services that
say only "pt", but not European Portuguese. The form offers the languages grouped by
language, each group first offering the language in any variety."""

import uuid
from datetime import UTC

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sameboat.directory import search
from sameboat.directory.models import Language, Service

PANTRY, MEALS = "Weekly food pantry", "Community hot meals"
TENANT, PEERS = "Tenant rights advice", "Peer support meetings"
URL = reverse("directory:search", kwargs={"network": "riverside"})


@pytest.fixture
def portuguese(imported, network):
    """Four services speaking Portuguese, written four ways by their publishers."""
    spoken = {
        PANTRY: ("pt-BR", "Portuguese (Brazil)"),
        MEALS: ("pt-PT", "Portuguese (Portugal)"),
        TENANT: ("PT", "Portuguese"),  # the language itself, in capitals
        PEERS: ("pt_br", "Brazilian Portuguese"),  # another separator
    }
    for name, (code, label) in spoken.items():
        service = Service.objects.get(network=network, name=name)
        Language.objects.create(
            network=network, id=uuid.uuid4(), service_id=service.id, code=code, name=label
        )


@pytest.fixture
def searcher(member):
    client = Client()
    client.force_login(member.user)
    return client


def names(client: Client, language: str) -> set[str]:
    response = client.get(URL, {"language": language})
    assert response.status_code == 200, response.content.decode()
    return {hit.service.name for hit in response.context["hits"]}


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("pt", {PANTRY, MEALS, TENANT, PEERS}),
        ("PT", {PANTRY, MEALS, TENANT, PEERS}),
        ("pt-br", {PANTRY, PEERS, TENANT}),
        ("pt-BR", {PANTRY, PEERS, TENANT}),
        ("pt_BR", {PANTRY, PEERS, TENANT}),
        ("pt-pt", {MEALS, TENANT}),
        # A variety nobody lists finds the services that speak the language in general.
        ("pt-AO", {TENANT}),
    ],
)
def test_a_language_finds_its_varieties_and_a_variety_the_language(
    portuguese, searcher, asked, expected
):
    assert names(searcher, asked) == expected


def test_a_language_the_directory_does_not_speak_is_a_clear_400(portuguese, searcher):
    for asked in ("de", "de-AT", "p", "pt--br", "<script>"):
        response = searcher.get(URL, {"language": asked})
        assert response.status_code == 400, asked
        assert "Select a valid choice" in response.content.decode()


def test_the_choices_group_varieties_under_their_language(portuguese, network, searcher):
    choices = search.language_choices(network=network)
    assert ("Portuguese", [
        ("pt", "Portuguese, any variety"),
        ("pt-br", "Portuguese (Brazil)"),
        ("pt-pt", "Portuguese (Portugal)"),
    ]) in choices  # fmt: skip
    # Languages spoken in one variety stay single choices, sorted by name.
    flat = [label for _value, label in choices if isinstance(label, str)]
    assert flat == sorted(flat, key=str.casefold)
    assert ("so", "Somali") in choices
    page = searcher.get(URL).content.decode()
    assert '<optgroup label="Portuguese">' in page
    assert '<option value="pt-br">Portuguese (Brazil)</option>' in page


def test_a_group_is_named_even_when_no_service_names_the_language_itself(imported, network):
    service = Service.objects.get(network=network, name=PANTRY)
    for code, label in (("zh-Hant", "Chinese (Traditional)"), ("zh-Hans", "")):
        Language.objects.create(
            network=network, id=uuid.uuid4(), service_id=service.id, code=code, name=label
        )
    groups = dict(search.language_choices(network=network))
    assert groups["Chinese"] == [
        ("zh", "Chinese, any variety"),
        ("zh-hans", "Chinese (zh-Hans)"),
        ("zh-hant", "Chinese (Traditional)"),
    ]


def test_the_search_functions_follow_the_same_rule(portuguese, network):
    found = search.services_matching(
        network=network,
        criteria=search.Criteria(languages=frozenset({"pt-BR"})),
        origin=None,
        at=timezone.now(),
        zone=UTC,
    )
    names = set(
        Service.objects.filter(id__in=[item.id for item in found]).values_list("name", flat=True)
    )
    assert names == {PANTRY, PEERS, TENANT}
