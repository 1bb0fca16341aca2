"""Getting an API token with an email and password, and giving it back."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import PASSWORD
from sameboat.networks.models import Member

TOKEN_URL = reverse("api-token")
ME_URL = reverse("api-me")


# Login attempts are counted in the cache; conftest's _fresh_cache starts each test from none.


def test_member_gets_a_token_that_works_for_the_api(member: Member) -> None:
    client = APIClient()
    response = client.post(
        TOKEN_URL, {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=member.user).key == token

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(ME_URL)
    assert me.status_code == 200
    assert me.json()["email"] == member.user.email


def test_asking_twice_returns_the_same_token(member: Member) -> None:
    client = APIClient()
    body = {"email": member.user.email, "password": PASSWORD}
    first = client.post(TOKEN_URL, body, format="json").json()["token"]
    second = client.post(TOKEN_URL, body, format="json").json()["token"]
    assert first == second
    assert Token.objects.filter(user=member.user).count() == 1


def test_email_is_matched_without_regard_to_case(member: Member) -> None:
    response = APIClient().post(
        TOKEN_URL, {"email": member.user.email.upper(), "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_wrong_password_gets_400_with_a_clear_message_and_no_token(member: Member) -> None:
    response = APIClient().post(
        TOKEN_URL, {"email": member.user.email, "password": "not-the-password"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to log in with that email and password."]
    }
    assert not Token.objects.filter(user=member.user).exists()


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(db: None) -> None:
    response = APIClient().post(
        TOKEN_URL, {"email": "nobody@example.org", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to log in with that email and password."]
    }


def test_deactivated_person_gets_no_token(member: Member) -> None:
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    response = APIClient().post(
        TOKEN_URL, {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "a@example.org"},
        {"password": PASSWORD},
        {"email": "not-an-email", "password": "x"},
    ],
)
def test_incomplete_login_gets_field_errors(db: None, body: dict[str, str]) -> None:
    response = APIClient().post(TOKEN_URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) <= {"email", "password"}


def test_a_body_that_is_not_an_object_is_a_400(db: None) -> None:
    response = APIClient().post(TOKEN_URL, ["a", "b"], format="json")
    assert response.status_code == 400


def test_delete_revokes_the_callers_token(member: Member) -> None:
    token = Token.objects.create(user=member.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=member.user).exists()
    assert client.get(ME_URL).status_code == 401


def test_anonymous_cannot_revoke_and_is_challenged(db: None) -> None:
    response = APIClient().delete(TOKEN_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_refused(db: None) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(ME_URL).status_code == 401


def test_password_guessing_is_slowed_down(member: Member) -> None:
    client = APIClient()
    body = {"email": member.user.email, "password": "guess"}
    # allauth's "login_failed" limit, shared with the login page: 5 wrong in 5 minutes.
    statuses = [client.post(TOKEN_URL, body, format="json").status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
    # The right password is refused too for now: the limit is on the account, not the guess.
    right = client.post(
        TOKEN_URL, {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert right.status_code == 429
