"""Exchanges through the API: who sees them, how amounts read, and reversing one."""

from decimal import Decimal
from typing import Any

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.aid.models import Ask
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
)
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.networks.models import Category, Member, Role

SLUG = {"network_slug": "riverside"}
LIST = reverse("api-exchange-list", kwargs=SLUG)


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def detail(exchange_id: int, suffix: str = "") -> str:
    url = reverse("api-exchange-detail", kwargs={**SLUG, "pk": exchange_id})
    return f"{url}{suffix}/" if suffix else url


def exchange_for(ask: Ask, receiver: Member, helper: Member, hours: str, key: str) -> Exchange:
    match = match_accept(match=match_offer_help(ask=ask, helper=helper), by=receiver)
    return match_complete(match=match, by=helper, hours=Decimal(hours), key=key)


def test_sides_and_coordinators_see_an_exchange_others_do_not(
    make_member: MakeMember, member: Member, helper: Member, coordinator: Member, ask: Ask
) -> None:
    exchange = exchange_for(ask, member, helper, "1.25", "k")
    for viewer in (member, helper, coordinator, make_member(Role.ADMIN)):
        response = api(viewer).get(detail(exchange.pk))
        assert response.status_code == 200
        body = response.json()
        assert body["amount"] == 125
        assert body["hours"] == "1.25"
        assert body["unit"] == "hours"
        assert body["provider"] == {"id": helper.pk, "display_name": "Bongani"}
        assert body["receiver"] == {"id": member.pk, "display_name": "Amina"}
        assert body["reverses"] is None
        assert body["reversed_by"] is None
    for viewer in (make_member(), make_member(Role.FACILITATOR)):
        assert api(viewer).get(detail(exchange.pk)).status_code == 404
        assert api(viewer).get(LIST).json()["count"] == 0


def test_coordinator_reverses_an_exchange_once(
    member: Member, helper: Member, coordinator: Member, ask: Ask
) -> None:
    exchange = exchange_for(ask, member, helper, "2", "k")
    client = api(coordinator)
    response = client.post(detail(exchange.pk, "reverse"), {"memo": "Typo"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == -200
    assert body["hours"] == "-2.00"
    assert body["reverses"] == exchange.pk
    assert body["memo"] == "Typo"
    assert client.get(detail(exchange.pk)).json()["reversed_by"] == body["id"]
    assert Account.objects.get(member=helper).balance == 0
    assert Account.objects.get(member=member).balance == 0

    # Twice is refused and posts nothing; so is reversing the reversal.
    assert client.post(detail(exchange.pk, "reverse")).status_code == 400
    assert client.post(detail(body["id"], "reverse")).status_code == 400
    assert Exchange.objects.count() == 2
    assert Entry.objects.count() == 4


def test_members_and_facilitators_get_403_for_reversing(
    make_member: MakeMember, member: Member, helper: Member, ask: Ask
) -> None:
    exchange = exchange_for(ask, member, helper, "2", "k")
    for viewer in (member, helper, make_member(Role.FACILITATOR)):
        assert api(viewer).post(detail(exchange.pk, "reverse")).status_code == 403
    assert Exchange.objects.count() == 1


def test_memo_too_long_is_a_field_error(
    member: Member, helper: Member, coordinator: Member, ask: Ask
) -> None:
    exchange = exchange_for(ask, member, helper, "2", "k")
    response = api(coordinator).post(
        detail(exchange.pk, "reverse"), {"memo": "x" * 201}, format="json"
    )
    assert response.status_code == 400
    assert "memo" in response.json()
    assert Exchange.objects.count() == 1


def test_exchange_list_query_count_does_not_grow_with_data(
    make_member: MakeMember,
    member: Member,
    coordinator: Member,
    food: Category,
    django_assert_max_num_queries: Any,
) -> None:
    client, own = api(coordinator), api(member)

    def add(count: int) -> None:
        for index in range(count):
            ask = ask_create(member=member, fields=PostFields(category=food, title=f"A{index}"))
            exchange_for(ask, member, make_member(), "1", f"key-{Exchange.objects.count()}")

    add(3)
    with django_assert_max_num_queries(4):
        assert client.get(LIST).json()["count"] == 3
    add(27)
    with django_assert_max_num_queries(4):
        assert client.get(LIST).json()["count"] == 30
    with django_assert_max_num_queries(4):
        assert own.get(LIST).json()["count"] == 30
