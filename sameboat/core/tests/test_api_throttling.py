"""Every API endpoint is throttled (ASVS 11.1.4): DRF's anonymous (per address) and user (per
person) throttles, on every view that has no throttles of its own. The suite runs with no rates
(settings: None when TESTING), so these tests set low ones; DRF reads its rates once, into
SimpleRateThrottle.THROTTLE_RATES, so that is what is patched (as DRF's own tests do)."""

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from conftest import PASSWORD
from sameboat.networks.models import Member, Network

ANON_RATE = 3
USER_RATE = 5


@pytest.fixture(autouse=True)
def low_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counts start from a clear cache (conftest's autouse _fresh_cache).
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": f"{ANON_RATE}/min", "user": f"{USER_RATE}/min"},
    )


def with_token(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_throttled(response: Any) -> None:
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"].lower()


def test_the_whole_api_is_throttled_by_default() -> None:
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]


def test_an_anonymous_caller_is_held_per_address(network: Network) -> None:
    url = reverse("hsds:root", kwargs={"network": network.slug})
    client = APIClient()
    for _ in range(ANON_RATE):
        assert client.get(url).status_code != 429
    assert_throttled(client.get(url))
    # Another address is counted apart.
    assert APIClient(REMOTE_ADDR="192.0.2.7").get(url).status_code != 429


def test_a_signed_in_person_is_held_per_person(member: Member, helper: Member) -> None:
    url = reverse("api-me")
    client = with_token(member)
    for _ in range(USER_RATE):
        assert client.get(url).status_code == 200
    assert_throttled(client.get(url))
    # Writes count as well, and are refused before they change anything.
    refused = client.patch(url, {"display_name": "Someone else"}, format="json")
    assert refused.status_code == 429
    member.user.refresh_from_db()
    assert member.user.display_name != "Someone else"
    # Someone else, from the same address, is not held by it.
    assert with_token(helper).get(url).status_code == 200


def test_the_token_endpoint_keeps_its_own_throttles(member: Member) -> None:
    """The token endpoint names its own (per address, per account): the default rates, lower
    here than its own, do not apply to it."""
    client = APIClient()
    for _ in range(max(ANON_RATE, USER_RATE) + 1):
        response = client.post(
            reverse("api-token"),
            {"email": member.user.email, "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 200, response.json()
