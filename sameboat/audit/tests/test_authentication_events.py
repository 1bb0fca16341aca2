"""ASVS 7.2.1: logins, failed logins, lockouts and API tokens are audited, by account id only:
never the address typed, and nothing at all about an address that belongs to nobody."""

from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import PASSWORD
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Member

LOGIN_URL = reverse("account_login")
TOKEN_URL = reverse("api-token")
STRANGER = "nobody-here@example.org"


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def assert_no_address(event: AuditEvent, *addresses: str) -> None:
    stored = repr(model_to_dict(event))
    for address in addresses:
        assert address not in stored
        assert address.split("@")[0] not in stored


def test_a_login_is_recorded_with_the_person_by_id(member: Member) -> None:
    Client().post(LOGIN_URL, {"login": member.user.email, "password": PASSWORD})
    [event] = events("security.login")
    assert event.actor_ref == member.user.pk
    assert event.target == f"user:{member.user.pk}"
    assert event.detail == {}
    assert_no_address(event, member.user.email)


def test_a_failed_login_names_a_known_account_by_id_only(member: Member) -> None:
    Client().post(LOGIN_URL, {"login": member.user.email, "password": "a-wrong-guess"})
    [event] = events("security.login_failed")
    assert event.actor_ref is None  # whoever typed it, not necessarily the account's owner
    assert event.target == f"user:{member.user.pk}"
    assert event.detail == {}
    assert_no_address(event, member.user.email)
    assert not events("security.login")


def test_a_failed_login_with_an_unknown_address_records_no_identifier(member: Member) -> None:
    Client().post(LOGIN_URL, {"login": STRANGER, "password": "a-wrong-guess"})
    [event] = events("security.login_failed")
    assert event.actor_ref is None
    assert event.target == ""
    assert event.detail == {}
    assert_no_address(event, STRANGER)


def test_a_wrong_password_through_the_api_is_a_failed_login_too(member: Member) -> None:
    APIClient().post(
        TOKEN_URL, {"email": member.user.email, "password": "a-wrong-guess"}, format="json"
    )
    [event] = events("security.login_failed")
    assert event.target == f"user:{member.user.pk}"


def test_issuing_an_api_token_is_recorded(member: Member) -> None:
    response = APIClient().post(
        TOKEN_URL, {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    [event] = events("security.api_token_issued")
    assert event.actor_ref == member.user.pk
    assert event.target == f"user:{member.user.pk}"
    assert event.detail == {"created": True}
    assert response.json()["token"] not in repr(model_to_dict(event))
    assert_no_address(event, member.user.email)


def test_a_lockout_at_the_api_is_recorded_without_the_address(member: Member) -> None:
    client = APIClient()
    body = {"email": member.user.email, "password": "a-wrong-guess"}
    statuses = [client.post(TOKEN_URL, body, format="json").status_code for _ in range(6)]
    assert statuses[-1] == 429
    assert len(events("security.login_failed")) == 5
    [event] = events("security.login_locked")
    assert event.target == ""
    assert event.detail == {"via": "api"}
    assert_no_address(event, member.user.email)


def test_a_lockout_on_the_login_page_is_recorded_without_the_address(member: Member) -> None:
    client = Client()
    body = {"login": member.user.email, "password": "a-wrong-guess"}
    for _ in range(6):
        client.post(reverse("account_login"), body)
    [event] = events("security.login_locked")
    assert event.detail == {"via": "web"}
    assert_no_address(event, member.user.email)
    # Locked out: even the right password is refused for now, and that is not a login.
    client.post(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    assert not events("security.login")
