"""Networks through the API: one's own networks, their categories and areas, the member
directory for coordinators, and each member's giving and receiving."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.aid.models import Ask
from sameboat.aid.services import match_accept, match_complete, match_offer_help
from sameboat.networks.models import AreaKind, Category, Member, Network, Role
from sameboat.networks.services import member_add, member_update, service_area_create

SLUG = {"network_slug": "riverside"}
MEMBERS = reverse("api-member-list", kwargs=SLUG)


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def reciprocity_url(member: Member) -> str:
    return reverse("api-member-reciprocity", kwargs={**SLUG, "pk": member.pk})


def test_member_lists_only_their_own_networks(
    member: Member, other_network: Network, make_member: MakeMember
) -> None:
    make_member(in_network=other_network)
    body = api(member).get(reverse("api-network-list")).json()
    assert body["count"] == 1
    assert body["results"][0]["slug"] == "riverside"
    assert body["results"][0]["role"] == "member"


def test_network_detail_with_the_callers_role(coordinator: Member) -> None:
    response = api(coordinator).get(reverse("api-network-detail", kwargs=SLUG))
    assert response.status_code == 200
    assert response.json()["name"] == "Riverside Mutual Aid"
    assert response.json()["role"] == "coordinator"


def test_outsider_and_former_member_get_404_for_the_network(
    outsider: Member, member: Member
) -> None:
    url = reverse("api-network-detail", kwargs=SLUG)
    assert api(outsider).get(url).status_code == 404
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert api(member).get(url).status_code == 404
    assert api(member).get(reverse("api-ask-list", kwargs=SLUG)).status_code == 404


def test_categories_and_areas_are_the_networks_own(
    member: Member, network: Network, other_network: Network
) -> None:
    city = service_area_create(network=network, name="Riverside", kind=AreaKind.CITY)
    service_area_create(network=network, name="Old Town", kind=AreaKind.NEIGHBOURHOOD, parent=city)
    service_area_create(network=other_network, name="Hill", kind=AreaKind.CITY)
    client = api(member)

    listed: dict[int, dict[str, Any]] = {}
    url: str | None = reverse("api-category-list", kwargs=SLUG)
    while url:  # every page
        page = client.get(url).json()
        listed |= {row["id"]: row for row in page["results"]}
        url = page["next"]
    own = Category.objects.filter(network=network)
    assert set(listed) == set(own.values_list("id", flat=True))
    child = own.filter(parent__slug="food").first()
    assert child is not None
    assert listed[child.pk] == {
        "id": child.pk,
        "slug": child.slug,
        "name": child.name,
        "parent": child.parent_id,
    }

    areas = client.get(reverse("api-area-list", kwargs=SLUG)).json()["results"]
    assert {(a["name"], a["kind"], a["parent"]) for a in areas} == {
        ("Riverside", "city", None),
        ("Old Town", "neighbourhood", city.pk),
    }


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_see_the_member_directory(
    make_member: MakeMember, network: Network, member: Member, role: Role
) -> None:
    area = service_area_create(network=network, name="Old Town", kind=AreaKind.NEIGHBOURHOOD)
    member_update(member=member, service_area=area, helps_with=[])
    response = api(make_member(role)).get(MEMBERS)
    assert response.status_code == 200
    rows = {row["display_name"]: row for row in response.json()["results"]}
    assert rows["Amina"]["role"] == "member"
    assert rows["Amina"]["area"] == {"id": area.pk, "name": "Old Town"}
    assert "email" not in rows["Amina"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR])
def test_members_get_403_for_the_member_directory(make_member: MakeMember, role: Role) -> None:
    assert api(make_member(role)).get(MEMBERS).status_code == 403


def test_outsider_gets_404_for_the_member_directory(outsider: Member) -> None:
    assert api(outsider).get(MEMBERS).status_code == 404


def test_left_members_are_not_in_the_directory(coordinator: Member, member: Member) -> None:
    member.is_active = False
    member.save(update_fields=["is_active"])
    names = {r["display_name"] for r in api(coordinator).get(MEMBERS).json()["results"]}
    assert "Amina" not in names


def test_member_directory_query_count_does_not_grow(
    make_member: MakeMember,
    coordinator: Member,
    network: Network,
    django_assert_max_num_queries: Any,
) -> None:
    area = service_area_create(network=network, name="Old Town", kind=AreaKind.NEIGHBOURHOOD)
    client = api(coordinator)

    def add(count: int) -> None:
        for _ in range(count):
            member_update(member=make_member(), service_area=area, helps_with=[])

    add(2)
    with django_assert_max_num_queries(4):
        assert client.get(MEMBERS).json()["count"] == 3
    add(27)
    with django_assert_max_num_queries(4):
        assert client.get(MEMBERS).json()["count"] == 30


@pytest.fixture
def exchanged(member: Member, helper: Member, ask: Ask) -> None:
    match = match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)
    match_complete(match=match, by=helper, hours=Decimal("1.5"), key="k")


def test_member_sees_their_own_reciprocity(member: Member, exchanged: None) -> None:
    response = api(member).get(reciprocity_url(member))
    assert response.status_code == 200
    body = response.json()
    assert body["member"] == {"id": member.pk, "display_name": "Amina"}
    assert (body["given_amount"], body["received_amount"], body["net_amount"]) == (0, 150, -150)
    assert (body["given_hours"], body["received_hours"], body["net_hours"]) == (
        "0.00",
        "1.50",
        "-1.50",
    )
    assert body["balance"] == "receives_more"
    assert body["received_percent"] == 100
    assert body["counterparts"] == [
        {
            "name": "Bongani",
            "given_to_amount": 0,
            "given_to_hours": "0.00",
            "received_from_amount": 150,
            "received_from_hours": "1.50",
        }
    ]


def test_coordinator_sees_a_members_reciprocity(
    coordinator: Member, helper: Member, exchanged: None
) -> None:
    body = api(coordinator).get(reciprocity_url(helper)).json()
    assert body["given_amount"] == 150
    assert body["balance"] == "gives_more"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR])
def test_others_get_403_for_a_members_reciprocity(
    make_member: MakeMember, member: Member, role: Role
) -> None:
    assert api(make_member(role)).get(reciprocity_url(member)).status_code == 403


def test_reciprocity_of_a_member_of_another_network_is_404(
    coordinator: Member, outsider: Member, member: Member, other_network: Network
) -> None:
    # Even for the same person: their membership elsewhere is not found from here.
    elsewhere = member_add(network=other_network, user=member.user)
    assert api(coordinator).get(reciprocity_url(outsider)).status_code == 404
    assert api(member).get(reciprocity_url(elsewhere)).status_code == 404
