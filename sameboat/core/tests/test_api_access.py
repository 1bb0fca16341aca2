"""Every API URL, walked with every kind of visitor: what each gets for a GET, and that an
outsider gets 404 for anything under a network, whatever the method.

The table below is the API's permission table. "member" is the member who asked for help
and is a side of the match and the exchange; the facilitator is a side of neither.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sameboat.aid.models import Ask, Offer
from sameboat.aid.services import match_accept, match_complete, match_offer_help
from sameboat.ledger.models import Exchange
from sameboat.networks.models import Member

ROLES = ["anonymous", "outsider", "member", "facilitator", "coordinator", "admin"]

#          url name                 anon outsider member facil. coord. admin
TABLE = {
    "api-token": (401, 405, 405, 405, 405, 405),
    "api-me": (401, 200, 200, 200, 200, 200),
    "api-network-list": (401, 200, 200, 200, 200, 200),
    "api-network-detail": (401, 404, 200, 200, 200, 200),
    "api-category-list": (401, 404, 200, 200, 200, 200),
    "api-area-list": (401, 404, 200, 200, 200, 200),
    "api-member-list": (401, 404, 403, 403, 200, 200),
    "api-member-reciprocity": (401, 404, 200, 403, 200, 200),
    "api-ask-list": (401, 404, 200, 200, 200, 200),
    "api-ask-detail": (401, 404, 200, 200, 200, 200),
    "api-ask-pause": (401, 404, 405, 405, 405, 405),
    "api-ask-resume": (401, 404, 405, 405, 405, 405),
    "api-ask-close": (401, 404, 405, 405, 405, 405),
    "api-ask-reopen": (401, 404, 405, 405, 405, 405),
    "api-ask-help": (401, 404, 405, 405, 405, 405),
    "api-offer-list": (401, 404, 200, 200, 200, 200),
    "api-offer-detail": (401, 404, 200, 200, 200, 200),
    "api-offer-pause": (401, 404, 405, 405, 405, 405),
    "api-offer-resume": (401, 404, 405, 405, 405, 405),
    "api-offer-close": (401, 404, 405, 405, 405, 405),
    "api-offer-reopen": (401, 404, 405, 405, 405, 405),
    "api-offer-request": (401, 404, 405, 405, 405, 405),
    "api-match-list": (401, 404, 200, 200, 200, 200),
    "api-match-list?all=true": (401, 404, 403, 403, 200, 200),
    "api-match-detail": (401, 404, 200, 404, 200, 200),
    "api-match-accept": (401, 404, 405, 405, 405, 405),
    "api-match-decline": (401, 404, 405, 405, 405, 405),
    "api-match-cancel": (401, 404, 405, 405, 405, 405),
    "api-match-complete": (401, 404, 405, 405, 405, 405),
    "api-match-feedback": (401, 404, 405, 405, 405, 405),
    "api-exchange-list": (401, 404, 200, 200, 200, 200),
    "api-exchange-detail": (401, 404, 200, 404, 200, 200),
    "api-exchange-reverse": (401, 404, 405, 405, 405, 405),
    "api-schema": (200, 200, 200, 200, 200, 200),
    "api-docs": (200, 200, 200, 200, 200, 200),
}

CASES = [
    pytest.param(name, role, TABLE[name][index], id=f"{name}-{role}")
    for name in TABLE
    for index, role in enumerate(ROLES)
]


@pytest.fixture
def world(
    member: Member,
    helper: Member,
    facilitator: Member,
    coordinator: Member,
    admin_member: Member,
    outsider: Member,
    ask: Ask,
    offer: Offer,
) -> dict[str, object]:
    match = match_offer_help(ask=ask, helper=helper)
    match_accept(match=match, by=member)
    exchange: Exchange = match_complete(match=match, by=helper, hours=Decimal("2"), key="k1")
    return {
        "members": {
            "outsider": outsider,
            "member": member,
            "facilitator": facilitator,
            "coordinator": coordinator,
            "admin": admin_member,
        },
        "ids": {
            "ask": ask.pk,
            "offer": offer.pk,
            "match": match.pk,
            "exchange": exchange.pk,
            "member": member.pk,
        },
    }


def client_as(world: dict[str, object], role: str) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        members: dict[str, Member] = world["members"]  # type: ignore[assignment]
        token, _created = Token.objects.get_or_create(user=members[role].user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url_for(world: dict[str, object], name: str) -> str:
    ids: dict[str, int] = world["ids"]  # type: ignore[assignment]
    name, _, query = name.partition("?")
    if name in ("api-token", "api-me", "api-network-list", "api-schema", "api-docs"):
        url = reverse(name)
    elif name in ("api-network-detail",) or name.endswith("-list"):
        url = reverse(name, kwargs={"network_slug": "riverside"})
    else:
        kind = name.split("-")[1]
        url = reverse(name, kwargs={"network_slug": "riverside", "pk": ids[kind]})
    return f"{url}?{query}" if query else url


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_get_answers_by_role(world: dict[str, object], name: str, role: str, expected: int) -> None:
    response = client_as(world, role).get(url_for(world, name))
    assert response.status_code == expected


NETWORK_URLS = [
    name
    for name in TABLE
    if name.startswith(("api-network-detail",))
    or (name not in ("api-token", "api-me", "api-network-list", "api-schema", "api-docs"))
]


@pytest.mark.parametrize("name", NETWORK_URLS)
@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete", "options"])
def test_outsider_learns_nothing_whatever_the_method(
    world: dict[str, object], name: str, method: str
) -> None:
    client = client_as(world, "outsider")
    response = getattr(client, method)(url_for(world, name), {}, format="json")
    assert response.status_code == 404
    # The same answer as for a network that does not exist.
    missing = url_for(world, name).replace("/riverside/", "/no-such-network/")
    assert getattr(client, method)(missing, {}, format="json").status_code == 404


@pytest.mark.parametrize("name", NETWORK_URLS)
def test_anonymous_is_challenged_to_authenticate(world: dict[str, object], name: str) -> None:
    response = client_as(world, "anonymous").post(url_for(world, name), {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
