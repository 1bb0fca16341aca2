"""The API token endpoint counts wrong passwords against allauth's own "login_failed" limit,
the one the login page uses: guesses through either add up, and once the account's limit is
used up neither takes even the right password."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import PASSWORD
from sameboat.networks.models import Member

TOKEN_URL = reverse("api-token")
LOGIN_URL = reverse("account_login")


def api_try(member: Member, password: str, ip: str, **extra: str) -> int:
    return (
        APIClient()
        .post(
            TOKEN_URL,
            {"email": member.user.email, "password": password, **extra},
            format="json",
            REMOTE_ADDR=ip,
        )
        .status_code
    )


def web_try(member: Member, password: str, ip: str) -> Client:
    client = Client()
    client.post(LOGIN_URL, {"login": member.user.email, "password": password}, REMOTE_ADDR=ip)
    return client


def test_guesses_on_the_login_page_lock_the_api_too(member: Member) -> None:
    # Each guess from a different address: only the per-account count can stop them.
    for n in range(5):
        web_try(member, "a-wrong-guess", f"198.51.100.{n + 1}")
    assert api_try(member, PASSWORD, "198.51.100.50") == 429
    assert not Token.objects.filter(user=member.user).exists()


def test_guesses_through_the_api_lock_the_login_page_too(member: Member) -> None:
    statuses = [api_try(member, "a-wrong-guess", f"198.51.100.{n + 1}") for n in range(5)]
    assert statuses == [400] * 5
    assert api_try(member, PASSWORD, "198.51.100.50") == 429
    client = web_try(member, PASSWORD, "198.51.100.51")
    assert "_auth_user_id" not in client.session


def test_a_right_password_gives_its_attempt_back(member: Member) -> None:
    # As on the login page: four wrong, then right ones, never lock the person out.
    for n in range(4):
        assert api_try(member, "a-wrong-guess", f"198.51.100.{n + 1}") == 400
    for n in range(3):
        assert api_try(member, PASSWORD, f"198.51.100.{n + 10}") == 200


def test_wrong_second_factor_codes_share_allauths_limit(member: Member) -> None:
    secret = generate_totp_secret()
    TOTP.activate(member.user, secret)
    RecoveryCodes.activate(member.user)
    now = int(time.time()) // 30
    current = {format_hotp_value(hotp_value(secret, now + k)) for k in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(10) if f"{n:06d}" not in current)
    statuses = [api_try(member, PASSWORD, f"198.51.100.{n + 1}", code=wrong) for n in range(6)]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert api_try(member, PASSWORD, "198.51.100.60", code=code) == 429
    assert not Token.objects.filter(user=member.user).exists()
