"""API tokens expire API_TOKEN_MAX_AGE_DAYS (90) days after they are issued: an old token gets
401 with a message saying so, and asking for a token then gives a new one."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import PASSWORD
from sameboat.networks.models import Member

TOKEN_URL = reverse("api-token")
ME_URL = reverse("api-me")


def issued_days_ago(token: Token, days: float) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=days))


def me_with(key: str) -> Any:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(ME_URL)


def test_a_token_younger_than_the_limit_works(member: Member) -> None:
    token = Token.objects.create(user=member.user)
    issued_days_ago(token, 89)
    assert me_with(token.key).status_code == 200


def test_an_expired_token_gets_401_with_a_clear_message(member: Member) -> None:
    token = Token.objects.create(user=member.user)
    issued_days_ago(token, 91)
    response = me_with(token.key)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired: ask for a new one."}
    assert response["WWW-Authenticate"] == "Token"


def test_asking_again_replaces_an_expired_token(member: Member) -> None:
    old = Token.objects.create(user=member.user)
    issued_days_ago(old, 91)
    response = APIClient().post(
        TOKEN_URL, {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    new = response.json()["token"]
    assert new != old.key
    assert list(Token.objects.filter(user=member.user).values_list("key", flat=True)) == [new]
    assert me_with(new).status_code == 200
    assert me_with(old.key).status_code == 401


def test_asking_again_before_expiry_keeps_the_token(member: Member) -> None:
    old = Token.objects.create(user=member.user)
    issued_days_ago(old, 30)
    response = APIClient().post(
        TOKEN_URL, {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert response.json()["token"] == old.key


def test_the_limit_follows_the_setting(member: Member, settings: Any) -> None:
    assert settings.API_TOKEN_MAX_AGE_DAYS == 90
    settings.API_TOKEN_MAX_AGE_DAYS = 7
    token = Token.objects.create(user=member.user)
    issued_days_ago(token, 8)
    assert me_with(token.key).status_code == 401
