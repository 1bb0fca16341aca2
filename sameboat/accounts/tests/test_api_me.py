"""A person's own profile through the API: read it, change it, see their networks."""

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sameboat.accounts.models import ContactPreference
from sameboat.networks.models import Member, Network, Role
from sameboat.networks.services import member_add

ME_URL = reverse("api-me")


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_member_sees_their_profile_and_memberships(member: Member, other_network: Network) -> None:
    member_add(network=other_network, user=member.user, role=Role.FACILITATOR)
    body = api(member).get(ME_URL).json()
    assert body["email"] == member.user.email
    assert body["display_name"] == "Amina"
    assert body["languages"] == []
    assert body["contact_preference"] == "email"
    assert sorted((m["network"], m["role"]) for m in body["memberships"]) == [
        ("hilltop", "facilitator"),
        ("riverside", "member"),
    ]


def test_left_network_is_not_listed(member: Member, other_network: Network) -> None:
    left = member_add(network=other_network, user=member.user)
    left.is_active = False
    left.save(update_fields=["is_active"])
    body = api(member).get(ME_URL).json()
    assert [m["network"] for m in body["memberships"]] == ["riverside"]


def test_member_changes_name_and_languages_and_keeps_the_rest(member: Member) -> None:
    member.user.strengths = "Cooking"
    member.user.save(update_fields=["strengths"])
    response = api(member).patch(
        ME_URL, {"display_name": "Amina K.", "languages": ["so", "en"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["display_name"] == "Amina K."
    assert sorted(response.json()["languages"]) == ["en", "so"]
    member.user.refresh_from_db()
    assert member.user.display_name == "Amina K."
    assert member.user.strengths == "Cooking"
    assert sorted(member.user.languages.values_list("code", flat=True)) == ["en", "so"]


def test_email_cannot_be_changed_here(member: Member) -> None:
    old = member.user.email
    response = api(member).patch(ME_URL, {"email": "new@example.org"}, format="json")
    assert response.status_code == 200
    member.user.refresh_from_db()
    assert member.user.email == old


def test_phone_preference_without_a_phone_is_a_field_error_and_writes_nothing(
    member: Member,
) -> None:
    response = api(member).patch(
        ME_URL, {"contact_preference": "phone", "display_name": "Changed"}, format="json"
    )
    assert response.status_code == 400
    assert "phone" in response.json()
    member.user.refresh_from_db()
    assert member.user.contact_preference == ContactPreference.EMAIL
    assert member.user.display_name == "Amina"


def test_unknown_language_and_blank_name_are_field_errors(member: Member) -> None:
    response = api(member).patch(
        ME_URL, {"languages": ["en", "xx-nowhere"], "display_name": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"languages", "display_name"}
    assert not member.user.languages.exists()


def test_anonymous_gets_401(db: None) -> None:
    assert APIClient().get(ME_URL).status_code == 401
    assert APIClient().patch(ME_URL, {"display_name": "X"}, format="json").status_code == 401


def test_put_is_not_offered(member: Member) -> None:
    assert api(member).put(ME_URL, {"display_name": "X"}, format="json").status_code == 405
