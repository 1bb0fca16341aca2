"""ASVS 3.3.2: a login ends SESSION_ABSOLUTE_AGE (12 hours) after it began, however busy the
session was; Django alone would move its expiry on at each change of the session."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from sameboat.accounts.middleware import LOGIN_AT_KEY
from sameboat.networks.models import Member

PROFILE = reverse("accounts:profile")
ME = reverse("api-me")


def logged_in(member: Member) -> Client:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def login_hours_ago(client: Client, hours: float) -> None:
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time() - hours * 3600)
    session.save()


def test_the_default_absolute_age_is_twelve_hours() -> None:
    assert timedelta(seconds=settings.SESSION_ABSOLUTE_AGE) == timedelta(hours=12)


def test_a_login_records_its_time(member: Member) -> None:
    before = time.time()
    client = logged_in(member)
    assert before - 1 <= client.session[LOGIN_AT_KEY] <= time.time()


def test_a_busy_session_still_ends_twelve_hours_after_its_login(member: Member) -> None:
    client = logged_in(member)
    login_hours_ago(client, 11)
    # Eleven hours in, still in (and the session saved by that request is no younger).
    assert client.get(PROFILE).status_code == 200

    login_hours_ago(client, 13)
    response = client.get(PROFILE)
    assert response.status_code == 302
    # To the login form, and back here afterwards.
    assert response["Location"] == f"{reverse('account_login')}?next={PROFILE}"
    assert SESSION_KEY not in client.session
    # Logged out for good: the next request is not let in either.
    assert client.get(PROFILE).status_code == 302


def test_the_api_answers_401_to_a_session_past_its_age(member: Member) -> None:
    client = logged_in(member)
    assert client.get(ME).status_code == 200
    login_hours_ago(client, 13)
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_session_without_a_login_time_ends(member: Member) -> None:
    # A login from before the rule: its age is unknown.
    client = logged_in(member)
    session = client.session
    del session[LOGIN_AT_KEY]
    session.save()
    assert client.get(PROFILE).status_code == 302
    assert SESSION_KEY not in client.session


def test_the_age_follows_the_setting(member: Member, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_ABSOLUTE_AGE = 60 * 60
    client = logged_in(member)
    login_hours_ago(client, 1.1)
    assert client.get(PROFILE).status_code == 302
