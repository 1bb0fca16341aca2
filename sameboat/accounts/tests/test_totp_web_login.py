"""Authenticator-app codes on the web login (ASVS 2.8.x): a code one 30-second step off is
accepted (phones' clocks drift: MFA_TOTP_TOLERANCE = 1), two steps off is refused, and a code is
good once for the whole time it would be accepted. A used code offered again is audited and the
owner told by email (ASVS 2.8.5)."""

import smtplib
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import PASSWORD
from sameboat.accounts.tests.test_mfa import code_for, password_login, turn_on
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Member

MFA_URL = reverse("mfa_authenticate")


@pytest.fixture
def steady_clock() -> None:
    """Starts the test well inside a 30-second step, so that no code computed by the test
    moves to another step (one step nearer or farther) before the server checks it."""
    into_step = time.time() % 30
    if into_step > 22:
        time.sleep(30 - into_step + 0.5)


def logged_in(client: Client, member: Member) -> bool:
    return client.session.get("_auth_user_id") == str(member.user.pk)


@pytest.mark.usefixtures("steady_clock")
@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_off_is_accepted(member: Member, steps: int) -> None:
    secret = turn_on(member)
    client = password_login(member)
    response = client.post(MFA_URL, {"code": code_for(secret, steps_ahead=steps)})
    assert response.status_code == 302
    assert logged_in(client, member)


@pytest.mark.usefixtures("steady_clock")
@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_off_is_refused(member: Member, steps: int) -> None:
    secret = turn_on(member)
    client = password_login(member)
    response = client.post(MFA_URL, {"code": code_for(secret, steps_ahead=steps)})
    assert response.status_code == 200
    assert not logged_in(client, member)
    # The same person, with the current code, gets in: only the step was wrong.
    assert client.post(MFA_URL, {"code": code_for(secret)}).status_code == 302
    assert logged_in(client, member)


def reuse_events(member: Member) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="security.mfa_code_reused"))


@pytest.mark.usefixtures("steady_clock")
def test_a_used_code_cannot_log_in_again_and_the_owner_is_told(member: Member) -> None:
    secret = turn_on(member)
    code = code_for(secret)
    first = password_login(member)
    assert first.post(MFA_URL, {"code": code}).status_code == 302
    assert reuse_events(member) == []
    mail.outbox.clear()

    # Someone who has the password and saw the code, in another browser.
    second = password_login(member)
    response = second.post(MFA_URL, {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not logged_in(second, member)

    [event] = reuse_events(member)
    assert event.actor_ref == member.user.pk
    assert event.target == f"user:{member.user.pk}"
    assert event.detail == {"via": "web"}
    [notice] = mail.outbox
    assert notice.to == [member.user.email]
    assert "used" in str(notice.subject).lower()
    body = str(notice.body)
    assert "already been used" in body
    # Nothing about the person, nor the code, nor where it came from.
    for private in (member.user.display_name, member.user.email, code, "127.0.0.1"):
        assert private not in body

    # Trying again is refused again, but does not fill the owner's inbox.
    assert second.post(MFA_URL, {"code": code}).status_code == 200
    assert not logged_in(second, member)
    assert len(mail.outbox) == 1
    assert len(reuse_events(member)) == 1


@pytest.mark.usefixtures("steady_clock")
def test_a_used_code_stays_refused_after_allauths_own_memory_of_it_ends(member: Member) -> None:
    """allauth remembers a used code for one step (30 s), but accepts it for three (the step
    either side): past allauth's 30 seconds, ours still refuses it."""
    secret = turn_on(member)
    code = code_for(secret)
    assert password_login(member).post(MFA_URL, {"code": code}).status_code == 302
    # What the cache holds after allauth's 30 seconds: its entry for the code is gone.
    cache.delete(f"allauth.mfa.totp.used?user={member.user.pk}&code={code}")
    second = password_login(member)
    assert second.post(MFA_URL, {"code": code}).status_code == 200
    assert not logged_in(second, member)
    assert len(reuse_events(member)) == 1


@pytest.mark.usefixtures("steady_clock")
def test_a_code_used_to_log_in_cannot_confirm_a_sensitive_change(member: Member) -> None:
    secret = turn_on(member)
    code = code_for(secret)
    client = password_login(member)
    assert client.post(MFA_URL, {"code": code}).status_code == 302
    reauthenticate = reverse("mfa_reauthenticate")
    assert client.post(reauthenticate, {"code": code}).status_code == 200
    assert reuse_events(member)[0].detail == {"via": "web"}
    # The app's next code does it.
    assert client.post(reauthenticate, {"code": code_for(secret, steps_ahead=1)}).status_code == 302


@pytest.mark.usefixtures("steady_clock")
def test_a_code_used_on_the_web_cannot_get_an_api_token(member: Member) -> None:
    secret = turn_on(member)
    code = code_for(secret)
    assert password_login(member).post(MFA_URL, {"code": code}).status_code == 302
    mail.outbox.clear()
    response = APIClient().post(
        reverse("api-token"),
        {"email": member.user.email, "password": PASSWORD, "code": code},
        format="json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    [event] = reuse_events(member)
    assert event.detail == {"via": "api"}
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("steady_clock")
def test_a_code_used_for_an_api_token_cannot_log_in(member: Member) -> None:
    secret = turn_on(member)
    code = code_for(secret)
    response = APIClient().post(
        reverse("api-token"),
        {"email": member.user.email, "password": PASSWORD, "code": code},
        format="json",
    )
    assert response.status_code == 200
    client = password_login(member)
    assert client.post(MFA_URL, {"code": code}).status_code == 200
    assert not logged_in(client, member)
    assert len(reuse_events(member)) == 1


@pytest.mark.usefixtures("steady_clock")
def test_a_mail_server_down_does_not_turn_the_refusal_into_an_error(
    member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = turn_on(member)
    code = code_for(secret)
    assert password_login(member).post(MFA_URL, {"code": code}).status_code == 302

    def unreachable(*args: object, **kwargs: object) -> int:
        raise smtplib.SMTPConnectError(421, "mail server unreachable")

    # The mail server is outside Sameboat: its failure is simulated at the sending call.
    monkeypatch.setattr(EmailMessage, "send", unreachable)
    second = password_login(member)
    response = second.post(MFA_URL, {"code": code})
    assert response.status_code == 200
    assert not logged_in(second, member)
    assert len(reuse_events(member)) == 1
