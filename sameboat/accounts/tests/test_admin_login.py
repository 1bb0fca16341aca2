"""The Django admin logs in through allauth (sameboat/urls.py: secure_admin_login), so a staff
login takes the second factor and counts against the login limits like any other."""

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

from conftest import PASSWORD
from sameboat.networks.models import Member

ADMIN_LOGIN = reverse("admin:login")
ADMIN_INDEX = reverse("admin:index")


def make_staff_with_totp(member: Member) -> str:
    member.user.is_staff = True
    member.user.is_superuser = True
    member.user.save(update_fields=["is_staff", "is_superuser"])
    secret = generate_totp_secret()
    TOTP.activate(member.user, secret)
    RecoveryCodes.activate(member.user)
    return secret


def test_the_admin_login_page_sends_to_allauths_login(member: Member) -> None:
    response = Client().get(ADMIN_LOGIN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_a_staff_user_with_totp_gets_no_admin_session_from_the_password_alone(
    member: Member,
) -> None:
    secret = make_staff_with_totp(member)
    client = Client()
    # The admin's own form no longer checks a password: the POST is sent to allauth too.
    posted = client.post(
        ADMIN_LOGIN,
        {"username": member.user.email, "password": PASSWORD, "next": ADMIN_INDEX},
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    # allauth's form takes the password and then asks for the code.
    login = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )
    assert login["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    index = client.get(ADMIN_INDEX)
    assert index.status_code == 302
    assert index["Location"].startswith(ADMIN_LOGIN)
    # With the code, the admin opens.
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_logged_in_person_who_is_not_staff_is_refused_the_admin_login(member: Member) -> None:
    client = Client()
    client.force_login(member.user)
    assert client.get(ADMIN_LOGIN).status_code == 403
