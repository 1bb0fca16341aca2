"""Sessions: a new key at login (a key planted before it is worthless after), cookies out of
scripts' reach and not sent on other sites' POSTs, a login that ends with the browser unless
the person asks to be remembered, and logout that ends the session on the server."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from sameboat.networks.models import Member, Network
from sameboat.networks.services import invitation_create

LOGIN_URL = reverse("account_login")


def test_login_gives_the_session_a_new_key(member: Member, network: Network) -> None:
    client = Client()
    # An invitation link opens a session before any login: an attacker could plant its key.
    invitation = invitation_create(network=network, by=member)
    client.get(reverse("networks:invitation", kwargs={"token": invitation.token}))
    planted = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=planted).exists()

    response = client.post(LOGIN_URL, {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != planted
    assert not Session.objects.filter(session_key=planted).exists()
    # The planted key opens nothing.
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert stranger.get(reverse("accounts:profile")).status_code == 302


def test_cookies_are_http_only_and_same_site(member: Member) -> None:
    client = Client()
    page = client.get(LOGIN_URL)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(LOGIN_URL, {"login": member.user.email, "password": PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_a_login_ends_with_the_browser_unless_remembered(member: Member) -> None:
    plain = Client().post(LOGIN_URL, {"login": member.user.email, "password": PASSWORD})
    assert plain.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""  # a browser-session cookie
    remembered = Client().post(
        LOGIN_URL, {"login": member.user.email, "password": PASSWORD, "remember": "on"}
    )
    max_age = remembered.cookies[settings.SESSION_COOKIE_NAME]["max-age"]
    assert int(max_age) == settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_logout_ends_the_session_on_the_server(member: Member) -> None:
    client = Client()
    client.post(LOGIN_URL, {"login": member.user.email, "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(reverse("accounts:profile")).status_code == 302
