"""Who reads a network's directory through the HSDS API: anyone, without logging in, once it
is published; until then only the network's active members (by session or API token). To
anyone else an unpublished directory answers 404 on every path, exactly as a network that
does not exist does."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sameboat.directory.sample import TAXONOMY, uid
from sameboat.directory.services import directory_publish
from sameboat.networks.models import Member, Network

PATHS = [
    "",
    "services",
    f"services/{uid('service pantry')}",
    "organizations",
    f"organizations/{uid('organization food bank')}",
    "taxonomies",
    f"taxonomies/{TAXONOMY['id']}",
    "taxonomy_terms",
    f"taxonomy_terms/{uid('term food-pantry')}",
    "service_at_locations",
    f"service_at_locations/{uid('sal pantry Food bank warehouse')}",
]


def statuses(client: APIClient, network: str = "riverside") -> set[int]:
    return {client.get(f"/api/hsds/{network}/{path}").status_code for path in PATHS}


def logged_in(member: Member) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


def with_token(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.usefixtures("imported")
def test_a_published_directory_is_open_to_anyone(
    network: Network, member: Member, outsider: Member
) -> None:
    directory_publish(network=network, published=True)
    assert statuses(APIClient()) == {200}
    assert statuses(logged_in(outsider)) == {200}
    assert statuses(with_token(outsider)) == {200}
    assert statuses(logged_in(member)) == {200}


@pytest.mark.usefixtures("imported")
def test_an_unpublished_directory_is_for_the_networks_members(
    network: Network, member: Member, coordinator: Member
) -> None:
    assert statuses(logged_in(member)) == {200}
    assert statuses(with_token(member)) == {200}
    assert statuses(logged_in(coordinator)) == {200}


@pytest.mark.usefixtures("imported")
def test_an_unpublished_directory_is_not_there_for_anyone_else(
    network: Network, member: Member, outsider: Member
) -> None:
    assert statuses(APIClient()) == {404}
    assert statuses(logged_in(outsider)) == {404}
    assert statuses(with_token(outsider)) == {404}
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert statuses(logged_in(member)) == {404}
    assert statuses(with_token(member)) == {404}
    # Indistinguishable from a network that does not exist.
    nowhere = APIClient().get("/api/hsds/nowhere/services")
    hidden = APIClient().get("/api/hsds/riverside/services")
    assert nowhere.status_code == hidden.status_code == 404
    assert nowhere.json() == hidden.json()


@pytest.mark.usefixtures("imported")
def test_taking_a_directory_back_closes_it_again(network: Network) -> None:
    directory_publish(network=network, published=True)
    assert statuses(APIClient()) == {200}
    directory_publish(network=network, published=False)
    assert statuses(APIClient()) == {404}


def test_a_network_that_does_not_exist_is_404(db: None) -> None:
    assert statuses(APIClient(), "nowhere") == {404}


@pytest.mark.usefixtures("imported")
def test_a_wrong_token_is_refused_even_on_a_published_directory(network: Network) -> None:
    directory_publish(network=network, published=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/hsds/riverside/services")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.usefixtures("imported")
def test_publishing_one_directory_opens_no_other(network: Network, other_network: Network) -> None:
    directory_publish(network=other_network, published=True)
    hilltop = APIClient().get("/api/hsds/hilltop/services")
    assert hilltop.status_code == 200 and hilltop.json()["empty"]  # open, and its own
    assert statuses(APIClient()) == {404}
