"""Two-factor authentication: any member turns it on with an authenticator app; a network may
require it of its coordinators and admins, who then reach none of its pages or API until they
have it; the API token asks for the code too; turning it on or off is audited."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
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
from sameboat.accounts.tests.commit_hooks import on_commit_within_a_request
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Member, Network

LOGIN_URL = reverse("account_login")
ACTIVATE_URL = reverse("mfa_activate_totp")
TOKEN_URL = reverse("api-token")

CaptureOnCommit = Callable[..., Any]


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows now (or `steps_ahead` 30-second steps from now)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def password_login(member: Member) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def confirm_password(client: Client) -> None:
    """Setting up or removing an authenticator asks for the password again first."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def turn_on(member: Member) -> str:
    """An authenticator app for the member, as the setup page makes one; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(member.user, secret)
    RecoveryCodes.activate(member.user)
    return secret


def require_mfa(network: Network) -> None:
    network.mfa_required_for_leaders = True
    network.save(update_fields=["mfa_required_for_leaders"])


def test_a_member_turns_on_an_authenticator_app_and_it_is_audited(
    member: Member, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    client = password_login(member)
    assert client.get(ACTIVATE_URL)["Location"].startswith(reverse("account_reauthenticate"))
    confirm_password(client)
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    secret = page.context["form"].secret
    # A wrong code turns nothing on.
    wrong = client.post(ACTIVATE_URL, {"code": "abcdef"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=member.user).exists()
    with on_commit_within_a_request(django_capture_on_commit_callbacks):
        response = client.post(ACTIVATE_URL, {"code": code_for(secret)})
    assert response.status_code == 302
    kinds = set(Authenticator.objects.filter(user=member.user).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    event = AuditEvent.objects.get(action="security.mfa_enabled")
    assert event.actor_ref == member.user.pk
    assert event.target == f"user:{member.user.pk}"
    assert event.detail == {"authenticator": "totp"}


def test_turning_it_off_is_audited(
    member: Member, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    turn_on(member)
    client = password_login(member)
    # The login now asks for the code; a recovery code opens it too.
    codes = RecoveryCodes(Authenticator.objects.get(user=member.user, type="recovery_codes"))
    response = client.post(reverse("mfa_authenticate"), {"code": codes.generate_codes()[0]})
    assert response.status_code == 302
    confirm_password(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member.user, type="totp").exists()
    assert AuditEvent.objects.filter(
        action="security.mfa_disabled", actor_ref=member.user.pk
    ).exists()


def test_login_asks_for_the_code_and_refuses_a_wrong_one(member: Member) -> None:
    secret = turn_on(member)
    client = password_login(member)
    assert "_auth_user_id" not in client.session  # the password alone does not log in
    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345x"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(member.user.pk)


@pytest.mark.parametrize("leader", ["coordinator", "admin_member"])
def test_a_network_that_requires_it_sends_leaders_without_it_to_set_it_up(
    request: pytest.FixtureRequest, network: Network, leader: str
) -> None:
    person: Member = request.getfixturevalue(leader)
    require_mfa(network)
    client = Client()
    client.force_login(person.user)
    for name in ("networks:dashboard", "aid:ask_list", "networks:members"):
        response = client.get(reverse(name, kwargs={"network": network.slug}))
        assert response.status_code == 302, name
        assert response["Location"] == ACTIVATE_URL
    # Their own account pages stay open, so they can set it up.
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
    # With an app, the network opens.
    turn_on(person)
    dashboard = reverse("networks:dashboard", kwargs={"network": network.slug})
    assert client.get(dashboard).status_code == 200


def test_the_rule_is_for_leaders_and_for_that_network_only(
    network: Network, member: Member, facilitator: Member, outsider: Member
) -> None:
    require_mfa(network)
    for person in (member, facilitator):
        client = Client()
        client.force_login(person.user)
        url = reverse("networks:dashboard", kwargs={"network": person.network.slug})
        assert client.get(url).status_code == 200
    # A coordinator of another network, which does not require it, is not held back there.
    client = Client()
    client.force_login(outsider.user)
    url = reverse("networks:dashboard", kwargs={"network": outsider.network.slug})
    assert client.get(url).status_code == 200


def test_the_api_refuses_a_leader_without_it_with_the_reason(
    network: Network, coordinator: Member
) -> None:
    token = Token.objects.create(user=coordinator.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api-ask-list", kwargs={"network_slug": network.slug})
    assert client.get(url).status_code == 200
    require_mfa(network)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["detail"]
    # Their own profile is not the network's: it still answers, so a client can tell them why.
    assert client.get(reverse("api-me")).status_code == 200


def test_a_leader_cannot_turn_it_off_while_the_network_requires_it(
    network: Network, coordinator: Member
) -> None:
    secret = turn_on(coordinator)
    require_mfa(network)
    client = password_login(coordinator)
    client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    confirm_password(client)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200  # the form again, with the reason
    assert Authenticator.objects.filter(user=coordinator.user, type="totp").exists()


def test_token_endpoint_asks_for_the_code_once_it_is_on(member: Member) -> None:
    client = APIClient()
    body = {"email": member.user.email, "password": PASSWORD}
    old_token = client.post(TOKEN_URL, body, format="json").json()["token"]
    secret = turn_on(member)
    # Turning it on from the page revokes the old token; here it was made directly, so revoke
    # as the page's signal would, then check the endpoint's own rule.
    Token.objects.filter(key=old_token).delete()
    without = client.post(TOKEN_URL, body, format="json")
    assert without.status_code == 400
    assert "code" in without.json()
    wrong = client.post(TOKEN_URL, {**body, "code": "abcdef"}, format="json")
    assert wrong.status_code == 400
    assert not Token.objects.filter(user=member.user).exists()
    right = client.post(TOKEN_URL, {**body, "code": code_for(secret)}, format="json")
    assert right.status_code == 200
    # A code is good once: the same one again is refused.
    Token.objects.filter(user=member.user).delete()
    again = client.post(TOKEN_URL, {**body, "code": code_for(secret)}, format="json")
    assert again.status_code == 400


def test_turning_it_on_revokes_the_token_made_with_the_password_alone(
    member: Member, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    Token.objects.create(user=member.user)
    client = password_login(member)
    confirm_password(client)
    secret = client.get(ACTIVATE_URL).context["form"].secret
    with on_commit_within_a_request(django_capture_on_commit_callbacks):
        client.post(ACTIVATE_URL, {"code": code_for(secret)})
    assert not Token.objects.filter(user=member.user).exists()


def test_admin_sets_the_rule_in_the_networks_security_settings(
    network: Network, admin_member: Member, coordinator: Member
) -> None:
    url = reverse("networks:security", kwargs={"network": network.slug})
    client = Client()
    client.force_login(admin_member.user)
    assert client.get(url).status_code == 200
    # Not before the admin uses it: the rule would lock them out of their own network.
    refused = client.post(url, {"mfa_required_for_leaders": "on"})
    assert refused.status_code == 400
    assert "for yourself first" in refused.content.decode()
    network.refresh_from_db()
    assert not network.mfa_required_for_leaders
    assert not AuditEvent.objects.filter(action="security.mfa_requirement_changed").exists()

    turn_on(admin_member)
    response = client.post(url, {"mfa_required_for_leaders": "on"})
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.mfa_required_for_leaders
    event = AuditEvent.objects.get(action="security.mfa_requirement_changed")
    assert (event.network_id, event.actor_ref, event.detail) == (
        network.pk,
        admin_member.user.pk,
        {"required": True},
    )
    # The coordinator without an app is now sent to set one up.
    other = Client()
    other.force_login(coordinator.user)
    dashboard = reverse("networks:dashboard", kwargs={"network": network.slug})
    assert other.get(dashboard)["Location"] == ACTIVATE_URL

    client.post(url, {})
    network.refresh_from_db()
    assert not network.mfa_required_for_leaders
    assert other.get(dashboard).status_code == 200


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator"])
def test_only_admins_reach_the_security_settings(
    request: pytest.FixtureRequest, network: Network, who: str
) -> None:
    person: Member = request.getfixturevalue(who)
    client = Client()
    client.force_login(person.user)
    url = reverse("networks:security", kwargs={"network": network.slug})
    assert client.get(url).status_code == 404
    assert client.post(url, {"mfa_required_for_leaders": "on"}).status_code == 404
    network.refresh_from_db()
    assert not network.mfa_required_for_leaders


def test_a_new_password_revokes_the_api_token_and_ends_other_sessions(
    member: Member,
) -> None:
    Token.objects.create(user=member.user)
    elsewhere = password_login(member)  # say, a phone left on a bus
    here = password_login(member)
    new_password = "a-brand-new-long-passphrase"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=member.user).exists()
    profile = reverse("accounts:profile")
    assert here.get(profile).status_code == 200  # the session that changed it stays
    assert elsewhere.get(profile).status_code == 302  # every other one is logged out
    assert AuditEvent.objects.filter(
        action="security.password_changed", target=f"user:{member.user.pk}"
    ).exists()
