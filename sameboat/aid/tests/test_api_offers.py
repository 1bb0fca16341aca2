"""Offers through the API: offering help, and taking an offer up."""

from typing import Any

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.aid.models import Match, MatchStatus, Offer, PostStatus
from sameboat.aid.services import PostFields, offer_create
from sameboat.networks.models import Category, Member, Network

LIST = reverse("api-offer-list", kwargs={"network_slug": "riverside"})


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def detail(offer: Offer, suffix: str = "") -> str:
    url = reverse("api-offer-detail", kwargs={"network_slug": "riverside", "pk": offer.pk})
    return f"{url}{suffix}/" if suffix else url


def test_member_offers_help(helper: Member, food: Category) -> None:
    response = api(helper).post(
        LIST,
        {"category": food.pk, "title": "Cooking on Sundays", "languages": ["fr"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "urgency" not in body
    assert body["languages"] == ["fr"]
    assert Offer.objects.get(pk=body["id"]).member == helper


def test_offer_has_no_urgency_to_set(helper: Member, food: Category) -> None:
    response = api(helper).post(
        LIST, {"category": food.pk, "title": "Soup", "urgency": 4}, format="json"
    )
    assert response.status_code == 201  # an unknown field is ignored, as DRF does


def test_invalid_offer_writes_nothing(helper: Member, other_network: Network) -> None:
    foreign = Category.objects.get(network=other_network, slug="food")
    response = api(helper).post(LIST, {"category": foreign.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"category", "title"}
    assert not Offer.objects.exists()


def test_member_asks_to_receive_an_offer(member: Member, helper: Member, offer: Offer) -> None:
    response = api(member).post(detail(offer, "request"), {"message": "Please"}, format="json")
    assert response.status_code == 201, response.json()
    match = Match.objects.get(pk=response.json()["id"])
    assert (match.helper, match.receiver, match.status) == (helper, member, MatchStatus.PROPOSED)
    assert response.json()["my_side"] == "receiver"


def test_author_cannot_request_their_own_offer(helper: Member, offer: Offer) -> None:
    assert api(helper).post(detail(offer, "request")).status_code == 400
    assert not Match.objects.exists()


def test_paused_offer_is_hidden_from_others_and_cannot_be_requested(
    member: Member, helper: Member, offer: Offer
) -> None:
    assert api(helper).post(detail(offer, "pause")).status_code == 200
    assert api(member).get(detail(offer)).status_code == 404
    assert api(member).post(detail(offer, "request")).status_code == 404
    assert api(member).get(LIST).json()["count"] == 0
    assert api(helper).get(LIST).json()["count"] == 1
    offer.refresh_from_db()
    assert offer.status == PostStatus.PAUSED


def test_author_changes_an_offer(helper: Member, offer: Offer) -> None:
    response = api(helper).patch(detail(offer), {"details": "Vegetarian"}, format="json")
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.details == "Vegetarian"


def test_offer_list_query_count_does_not_grow_with_data(
    make_member: MakeMember, member: Member, food: Category, django_assert_max_num_queries: Any
) -> None:
    client = api(member)
    authors = [make_member() for _ in range(3)]

    def add(count: int) -> None:
        for index in range(count):
            offer_create(
                member=authors[index % 3], fields=PostFields(category=food, title=f"O{index}")
            )

    add(3)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 3
    add(27)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 30
