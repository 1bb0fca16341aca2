"""ACCOUNT_EMAIL_NOTIFICATIONS: the person is told by email when their password or second factor
changes (ASVS 2.2.3, 2.5.5), in allauth's own words, with nothing else about them."""

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from sameboat.accounts.tests.commit_hooks import on_commit_within_a_request
from sameboat.networks.models import Member

NEW_PASSWORD = "a-brand-new-long-passphrase"


def logged_in(member: Member) -> Client:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def assert_says_nothing_personal(member: Member, message: mail.EmailMessage) -> None:
    body = str(message.body)
    # The display name, and the address beyond the envelope, stay out of the text.
    assert member.user.display_name not in body
    assert member.user.email not in body
    assert message.to == [member.user.email]


def test_changing_the_password_sends_a_notice(member: Member) -> None:
    client = logged_in(member)
    mail.outbox.clear()
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert "password" in str(notice.subject).lower()
    assert "Your password has been changed." in str(notice.body)
    assert NEW_PASSWORD not in str(notice.body)
    assert_says_nothing_personal(member, notice)


def test_turning_off_the_authenticator_app_sends_a_notice(member: Member) -> None:
    secret = generate_totp_secret()
    TOTP.activate(member.user, secret)
    RecoveryCodes.activate(member.user)
    client = logged_in(member)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    mail.outbox.clear()
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert "authenticator" in str(notice.subject).lower()
    assert secret not in str(notice.body)
    assert_says_nothing_personal(member, notice)


def test_turning_on_an_authenticator_app_sends_a_notice(
    member: Member, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = logged_in(member)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    mail.outbox.clear()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    with on_commit_within_a_request(django_capture_on_commit_callbacks):
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    subjects = [str(message.subject).lower() for message in mail.outbox]
    assert any("authenticator" in subject for subject in subjects), subjects
    for message in mail.outbox:
        assert secret not in str(message.body)
        assert_says_nothing_personal(member, message)
