"""Asks through the API: writing one, finding them, changing them, answering them."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.aid.models import Ask, Match, MatchStatus, PostStatus, Urgency, Visibility
from sameboat.aid.services import PostFields, ask_create
from sameboat.core.models import Language
from sameboat.networks.models import AreaKind, Category, Member, Network, Role
from sameboat.networks.services import service_area_create

LIST = reverse("api-ask-list", kwargs={"network_slug": "riverside"})


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def detail(ask: Ask, suffix: str = "") -> str:
    url = reverse("api-ask-detail", kwargs={"network_slug": "riverside", "pk": ask.pk})
    return f"{url}{suffix}/" if suffix else url


def test_member_asks_for_help(member: Member, food: Category, network: Network) -> None:
    area = service_area_create(network=network, name="Old Town", kind=AreaKind.NEIGHBOURHOOD)
    response = api(member).post(
        LIST,
        {
            "category": food.pk,
            "title": "  Groceries on Friday ",
            "details": "Two bags from the market.",
            "area": area.pk,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-04",
            "languages": ["so", "en"],
            "visibility": "coordinators",
            "urgency": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    ask = Ask.objects.get(pk=body["id"])
    assert ask.member == member
    assert ask.title == "Groceries on Friday"
    assert ask.area == area
    assert ask.ends_on == date(2026, 12, 4)
    assert ask.urgency == Urgency.HIGH
    assert ask.visibility == Visibility.COORDINATORS
    assert sorted(body["languages"]) == ["en", "so"]
    assert body["category"] == {"id": food.pk, "slug": "food", "name": food.name}
    assert body["area"] == {"id": area.pk, "name": "Old Town"}
    assert body["member"] == {"id": member.pk, "display_name": "Amina"}
    assert body["status"] == "open"
    assert body["can"] == {"edit": True, "answer": False}


def test_only_category_and_title_are_needed(member: Member, food: Category) -> None:
    response = api(member).post(LIST, {"category": food.pk, "title": "A lift"}, format="json")
    assert response.status_code == 201
    assert response.json()["urgency"] == Urgency.NORMAL
    assert response.json()["visibility"] == "network"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"category": None}, "category"),
        ({"category": "food"}, "category"),
        ({"category": 10**30}, "category"),
        ({"starts_on": "2026-12-04", "ends_on": "2026-12-01"}, "ends_on"),
        ({"starts_on": "2026-13-45"}, "starts_on"),
        ({"languages": ["en", "xx"]}, "languages"),
        ({"languages": "en"}, "languages"),
        ({"visibility": "everyone"}, "visibility"),
        ({"urgency": 9}, "urgency"),
        ({"area": 10**6}, "area"),
    ],
)
def test_invalid_ask_is_a_field_error_and_writes_nothing(
    member: Member, food: Category, change: dict[str, Any], field: str
) -> None:
    body = {"category": food.pk, "title": "Groceries", **change}
    body = {key: value for key, value in body.items() if value is not None}
    response = api(member).post(LIST, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Ask.objects.exists()


def test_category_and_area_of_another_network_are_refused(
    member: Member, other_network: Network
) -> None:
    foreign_category = Category.objects.get(network=other_network, slug="food")
    foreign_area = service_area_create(network=other_network, name="Hill", kind=AreaKind.CITY)
    response = api(member).post(
        LIST,
        {"category": foreign_category.pk, "title": "Groceries", "area": foreign_area.pk},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"category", "area"}
    # The same words as for an id that exists nowhere: nothing about the other network.
    assert "does not exist" in response.json()["category"][0]
    assert not Ask.objects.exists()


def test_body_that_is_not_an_object_is_a_400(member: Member) -> None:
    response = api(member).post(LIST, [1, 2], format="json")
    assert response.status_code == 400
    assert not Ask.objects.exists()


def test_list_shows_what_the_viewer_may_see(
    member: Member, helper: Member, coordinator: Member, food: Category
) -> None:
    ask_create(member=member, fields=PostFields(category=food, title="Open to all"))
    ask_create(
        member=member,
        fields=PostFields(category=food, title="Private", visibility=Visibility.COORDINATORS),
    )
    titles = {a["title"] for a in api(helper).get(LIST).json()["results"]}
    assert titles == {"Open to all"}
    assert {a["title"] for a in api(member).get(LIST).json()["results"]} == {
        "Open to all",
        "Private",
    }
    assert api(coordinator).get(LIST).json()["count"] == 2


def test_private_ask_is_404_for_other_members(
    member: Member, helper: Member, food: Category
) -> None:
    private = ask_create(
        member=member,
        fields=PostFields(category=food, title="Private", visibility=Visibility.COORDINATORS),
    )
    assert api(helper).get(detail(private)).status_code == 404
    assert api(member).get(detail(private)).status_code == 200


def test_list_filters(member: Member, network: Network, food: Category) -> None:
    housing = Category.objects.get(network=network, slug="housing")
    somali = Language.objects.get(code="so")
    ask_create(
        member=member,
        fields=PostFields(category=food, title="Food in Somali", languages=(somali,)),
        urgency=Urgency.URGENT,
    )
    ask_create(member=member, fields=PostFields(category=housing, title="A room"))
    client = api(member)

    def titles(**query: object) -> set[str]:
        response = client.get(LIST, query)
        assert response.status_code == 200, response.json()
        return {a["title"] for a in response.json()["results"]}

    assert titles() == {"Food in Somali", "A room"}
    assert titles(category=housing.pk) == {"A room"}
    assert titles(language="so") == {"Food in Somali"}
    assert titles(urgency=4) == {"Food in Somali"}
    assert titles(status="closed") == set()


@pytest.mark.parametrize(
    "query",
    [{"category": "food"}, {"urgency": "7"}, {"status": "gone"}, {"area": "-1"}],
)
def test_bad_filter_is_a_400(member: Member, query: dict[str, str]) -> None:
    response = api(member).get(LIST, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_author_changes_an_ask_and_keeps_what_they_do_not_name(
    member: Member, ask: Ask, network: Network
) -> None:
    ask.languages.set([Language.objects.get(code="en")])
    response = api(member).patch(
        detail(ask), {"title": "Groceries on Saturday", "urgency": 4}, format="json"
    )
    assert response.status_code == 200, response.json()
    ask.refresh_from_db()
    assert ask.title == "Groceries on Saturday"
    assert ask.urgency == Urgency.URGENT
    assert ask.category.slug == "food"
    assert list(ask.languages.values_list("code", flat=True)) == ["en"]


def test_other_member_cannot_change_an_ask(helper: Member, ask: Ask) -> None:
    response = api(helper).patch(detail(ask), {"title": "Mine now"}, format="json")
    assert response.status_code == 403
    ask.refresh_from_db()
    assert ask.title == "Groceries on Friday"


def test_coordinator_can_change_an_ask(coordinator: Member, ask: Ask) -> None:
    response = api(coordinator).patch(detail(ask), {"details": "Bring bags"}, format="json")
    assert response.status_code == 200


def test_invalid_change_writes_nothing(member: Member, ask: Ask) -> None:
    response = api(member).patch(
        detail(ask),
        {"title": "New title", "starts_on": "2026-12-04", "ends_on": "2026-12-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()
    ask.refresh_from_db()
    assert ask.title == "Groceries on Friday"


def test_put_is_not_offered(member: Member, ask: Ask, food: Category) -> None:
    response = api(member).put(detail(ask), {"category": food.pk, "title": "X"}, format="json")
    assert response.status_code == 405


def test_author_pauses_resumes_closes_and_reopens(member: Member, ask: Ask) -> None:
    client = api(member)
    for action, status in [
        ("pause", "paused"),
        ("resume", "open"),
        ("close", "closed"),
        ("reopen", "open"),
    ]:
        response = client.post(detail(ask, action))
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status


def test_transition_from_the_wrong_status_is_a_400(member: Member, ask: Ask) -> None:
    response = api(member).post(detail(ask, "resume"))
    assert response.status_code == 400
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN


def test_other_member_cannot_close_an_ask(helper: Member, ask: Ask) -> None:
    assert api(helper).post(detail(ask, "close")).status_code == 403
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN


def test_member_offers_help_and_gets_the_match(helper: Member, ask: Ask) -> None:
    response = api(helper).post(detail(ask, "help"), {"message": "I have a car"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    match = Match.objects.get(pk=body["id"])
    assert match.helper == helper
    assert match.status == MatchStatus.PROPOSED
    assert body["my_side"] == "helper"
    assert body["message"] == "I have a car"
    assert body["contact"] is None


def test_offering_help_twice_or_with_ones_own_ask_is_a_400(
    member: Member, helper: Member, ask: Ask
) -> None:
    assert api(helper).post(detail(ask, "help")).status_code == 201
    assert api(helper).post(detail(ask, "help")).status_code == 400
    assert api(member).post(detail(ask, "help")).status_code == 400
    assert Match.objects.count() == 1


def test_ask_of_another_network_is_404_even_with_its_id(
    outsider: Member, other_network: Network, member: Member
) -> None:
    theirs = ask_create(
        member=outsider,
        fields=PostFields(
            category=Category.objects.get(network=other_network, slug="food"), title="Theirs"
        ),
    )
    # The id exists, but in another network: from here it is not found.
    assert api(member).get(detail(theirs)).status_code == 404
    assert api(member).post(detail(theirs, "help")).status_code == 404


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "0"])
def test_odd_ids_are_404(member: Member, pk: str) -> None:
    assert api(member).get(f"{LIST}{pk}/").status_code == 404


def test_list_query_count_does_not_grow_with_data(
    make_member: MakeMember,
    member: Member,
    food: Category,
    network: Network,
    django_assert_max_num_queries: Any,
) -> None:
    area = service_area_create(network=network, name="Old Town", kind=AreaKind.NEIGHBOURHOOD)
    languages = tuple(Language.objects.filter(code__in=["en", "so"]))
    authors = [make_member(Role.MEMBER) for _ in range(3)]
    client = api(member)

    def add(count: int) -> None:
        for index in range(count):
            ask_create(
                member=authors[index % 3],
                fields=PostFields(
                    category=food, title=f"Ask {index}", area=area, languages=languages
                ),
            )

    add(3)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 3
    add(27)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 30


@pytest.mark.parametrize("field", ["category", "area"])
def test_filter_by_an_id_beyond_any_database_integer_is_a_400(
    member: Member, ask: Ask, field: str
) -> None:
    response = api(member).get(LIST, {field: "9" * 30})
    assert response.status_code == 400
    assert set(response.json()) == {field}
