"""ASVS 3.3.2: a login lasts 12 hours at most (settings.SESSION_COOKIE_AGE), remembered or not;
after that the server refuses the session even from a browser that kept the cookie."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from sameboat.networks.models import Member

TWELVE_HOURS = timedelta(hours=12)
PROFILE = reverse("accounts:profile")


def test_the_default_lifetime_is_twelve_hours() -> None:
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) == TWELVE_HOURS


@pytest.mark.parametrize("remember", [False, True], ids=["plain", "remembered"])
def test_a_session_older_than_twelve_hours_is_refused(member: Member, remember: bool) -> None:
    client = Client()
    form = {"login": member.user.email, "password": PASSWORD}
    before = timezone.now()
    response = client.post(
        reverse("account_login"), form | ({"remember": "on"} if remember else {})
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    # The server keeps the session no longer than 12 hours from the login.
    assert session.expire_date <= timezone.now() + TWELVE_HOURS
    assert session.expire_date >= before + TWELVE_HOURS - timedelta(minutes=1)
    assert client.get(PROFILE).status_code == 200

    # Twelve hours and a second later (the stored expiry moved back by as much, which is the
    # same to the session store as the clock moving on), the same cookie opens nothing.
    Session.objects.filter(session_key=key).update(
        expire_date=session.expire_date - TWELVE_HOURS - timedelta(seconds=1)
    )
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
