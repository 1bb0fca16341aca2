"""The ask pages: list with filters, detail, create, edit and the life-cycle buttons."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.aid.models import Ask, Match, PostStatus, Urgency, Visibility
from sameboat.aid.services import PostFields, ask_create, post_transition
from sameboat.core.models import Language
from sameboat.networks.models import AreaKind, Category, ServiceArea
from sameboat.networks.services import service_area_create


def url(name: str, **kwargs: object) -> str:
    return reverse(f"aid:{name}", kwargs={"network": "riverside", **kwargs})


def valid_ask(food: Category, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "A lift to the clinic",
        "category": food.pk,
        "urgency": Urgency.HIGH,
        "details": "Tuesday morning",
        "visibility": Visibility.NETWORK,
        "languages": ["en", "es"],
    }
    data.update(overrides)
    return data


# Creating


def test_member_posts_an_ask_through_the_page(client, member, food):
    client.force_login(member.user)
    response = client.post(url("ask_create"), valid_ask(food), follow=True)
    ask = Ask.objects.get()
    assert response.redirect_chain[-1][0] == url("ask_detail", pk=ask.pk)
    assert ask.member == member and ask.urgency == Urgency.HIGH
    assert sorted(language.code for language in ask.languages.all()) == ["en", "es"]
    assert "Your ask is posted." in response.content.decode()


def test_ask_without_a_title_is_refused_with_a_message_and_nothing_saved(client, member, food):
    client.force_login(member.user)
    response = client.post(url("ask_create"), valid_ask(food, title="   "))
    assert response.status_code == 400
    assert "Give it a short title." in response.content.decode()
    assert not Ask.objects.exists()


def test_ask_ending_before_it_starts_is_refused_with_a_message(client, member, food):
    client.force_login(member.user)
    data = valid_ask(food, starts_on="2026-12-10", ends_on="2026-12-01")
    response = client.post(url("ask_create"), data)
    assert response.status_code == 400
    assert "The end date must not be before the start date." in response.content.decode()
    assert not Ask.objects.exists()


def test_ask_in_a_category_of_another_network_is_refused(client, member, other_network):
    foreign = Category.objects.get(network=other_network, slug="food")
    client.force_login(member.user)
    response = client.post(url("ask_create"), valid_ask(foreign))
    assert response.status_code == 400
    assert "Choose a category of this network." in response.content.decode()
    assert not Ask.objects.exists()


def test_garbage_urgency_and_dates_give_400_not_500(client, member, food):
    client.force_login(member.user)
    data = valid_ask(food, urgency="soon", starts_on="yesterday", languages=["xx"])
    response = client.post(url("ask_create"), data)
    assert response.status_code == 400
    assert not Ask.objects.exists()


# Listing and filtering


def titles(response) -> str:
    return response.content.decode()


def test_ask_list_shows_open_asks_by_default(client, member, helper, food):
    ask_create(member=member, fields=PostFields(category=food, title="Still open"))
    closed = ask_create(member=member, fields=PostFields(category=food, title="Long done"))
    post_transition(post=closed, by=member, action="close")
    client.force_login(helper.user)
    page = titles(client.get(url("ask_list")))
    assert "Still open" in page and "Long done" not in page
    page = titles(client.get(url("ask_list"), {"status": "closed"}))
    assert "Long done" in page and "Still open" not in page
    page = titles(client.get(url("ask_list"), {"status": ""}))
    assert "Long done" in page and "Still open" in page


def test_category_filter_includes_its_subcategories(client, member, network, food):
    groceries = Category.objects.get(network=network, slug="food-groceries")
    housing = Category.objects.get(network=network, slug="housing")
    ask_create(member=member, fields=PostFields(category=groceries, title="Bread and milk"))
    ask_create(member=member, fields=PostFields(category=housing, title="Fix a tap"))
    client.force_login(member.user)
    page = titles(client.get(url("ask_list"), {"category": food.pk}))
    assert "Bread and milk" in page and "Fix a tap" not in page


def test_area_filter_includes_the_areas_inside_it(client, member, network, food):
    city = service_area_create(network=network, name="Riverside", kind=AreaKind.CITY)
    north = service_area_create(
        network=network, name="Northbank", kind=AreaKind.NEIGHBOURHOOD, parent=city
    )
    elsewhere = service_area_create(network=network, name="Elsewhere", kind=AreaKind.CITY)
    ask_create(member=member, fields=PostFields(category=food, title="Near the bridge", area=north))
    ask_create(member=member, fields=PostFields(category=food, title="Far away", area=elsewhere))
    client.force_login(member.user)
    page = titles(client.get(url("ask_list"), {"area": city.pk}))
    assert "Near the bridge" in page and "Far away" not in page


def test_urgency_and_language_filters(client, member, food):
    spanish = Language.objects.get(code="es")
    ask_create(
        member=member,
        fields=PostFields(category=food, title="Hoy mismo", languages=(spanish,)),
        urgency=Urgency.URGENT,
    )
    ask_create(
        member=member, fields=PostFields(category=food, title="Some day"), urgency=Urgency.LOW
    )
    client.force_login(member.user)
    page = titles(client.get(url("ask_list"), {"urgency": Urgency.URGENT}))
    assert "Hoy mismo" in page and "Some day" not in page
    page = titles(client.get(url("ask_list"), {"language": "es"}))
    assert "Hoy mismo" in page and "Some day" not in page


def test_an_impossible_filter_gives_400_with_the_form(client, member, other_network):
    foreign = Category.objects.get(network=other_network, slug="food")
    client.force_login(member.user)
    response = client.get(url("ask_list"), {"category": foreign.pk, "urgency": "soon"})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


def test_htmx_filtering_returns_only_the_results(client, member, ask):
    client.force_login(member.user)
    response = client.get(url("ask_list"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert ask.title in page and "<h1>" not in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, member, ask):
    client.force_login(member.user)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    page = client.get(url("ask_list"), headers=headers).content.decode()
    assert "<h1>" in page and ask.title in page


def test_ask_list_is_paginated_twenty_a_page(client, member, food):
    for n in range(25):
        ask_create(member=member, fields=PostFields(category=food, title=f"Ask number {n:02d}"))
    client.force_login(member.user)
    first = titles(client.get(url("ask_list")))
    second = titles(client.get(url("ask_list"), {"page": 2}))
    assert first.count('class="card"') == 20 and second.count('class="card"') == 5
    assert "Page 1 of 2" in first


# Who sees what


def test_coordinators_only_ask_is_hidden_from_other_members(
    client, member, helper, coordinator, food
):
    private = ask_create(
        member=member,
        fields=PostFields(
            category=food, title="Private matter", visibility=Visibility.COORDINATORS
        ),
    )
    client.force_login(helper.user)
    assert "Private matter" not in titles(client.get(url("ask_list")))
    assert client.get(url("ask_detail", pk=private.pk)).status_code == 404
    assert client.post(url("ask_answer", pk=private.pk)).status_code == 404
    client.force_login(coordinator.user)
    assert "Private matter" in titles(client.get(url("ask_list")))
    assert client.get(url("ask_detail", pk=private.pk)).status_code == 200
    client.force_login(member.user)
    assert client.get(url("ask_detail", pk=private.pk)).status_code == 200


def test_paused_ask_is_hidden_from_other_members(client, member, helper, ask):
    client.force_login(member.user)
    response = client.post(url("ask_transition", pk=ask.pk), {"action": "pause"})
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == PostStatus.PAUSED
    client.force_login(helper.user)
    assert client.get(url("ask_detail", pk=ask.pk)).status_code == 404


# Editing and the life-cycle buttons


def test_edit_form_is_prefilled_and_saves(client, member, ask, network):
    meals = Category.objects.get(network=network, slug="food-meals")
    client.force_login(member.user)
    page = titles(client.get(url("ask_edit", pk=ask.pk)))
    assert 'value="Groceries on Friday"' in page
    data = valid_ask(meals, title="Groceries on Saturday")
    response = client.post(url("ask_edit", pk=ask.pk), data)
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.title == "Groceries on Saturday" and ask.category == meals


def test_invalid_edit_gives_400_and_changes_nothing(client, member, ask, food):
    client.force_login(member.user)
    response = client.post(url("ask_edit", pk=ask.pk), valid_ask(food, title=""))
    assert response.status_code == 400
    ask.refresh_from_db()
    assert ask.title == "Groceries on Friday"


def test_another_member_cannot_edit_pause_or_close_an_ask(client, helper, ask, food):
    client.force_login(helper.user)
    assert client.get(url("ask_edit", pk=ask.pk)).status_code == 403
    assert client.post(url("ask_edit", pk=ask.pk), valid_ask(food)).status_code == 403
    for action in ("pause", "close"):
        response = client.post(url("ask_transition", pk=ask.pk), {"action": action})
        assert response.status_code == 403
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN and ask.title == "Groceries on Friday"
    assert "Manage this ask" not in titles(client.get(url("ask_detail", pk=ask.pk)))


def test_coordinator_may_close_and_reopen_any_ask(client, coordinator, ask):
    client.force_login(coordinator.user)
    client.post(url("ask_transition", pk=ask.pk), {"action": "close"})
    ask.refresh_from_db()
    assert ask.status == PostStatus.CLOSED
    response = client.post(url("ask_transition", pk=ask.pk), {"action": "reopen"}, follow=True)
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN
    assert "Reopened" in response.content.decode()


def test_an_impossible_transition_gives_400_with_a_message(client, member, ask):
    client.force_login(member.user)
    response = client.post(url("ask_transition", pk=ask.pk), {"action": "resume"})
    assert response.status_code == 400
    assert "cannot be changed that way" in response.content.decode()
    response = client.post(url("ask_transition", pk=ask.pk), {"action": "explode"})
    assert response.status_code == 400


def test_closed_ask_cannot_be_edited(client, member, ask, food):
    post_transition(post=ask, by=member, action="close")
    client.force_login(member.user)
    response = client.post(url("ask_edit", pk=ask.pk), valid_ask(food))
    assert response.status_code == 400
    assert "can no longer be edited" in response.content.decode()


def test_transition_buttons_are_get_proof(client, member, ask):
    client.force_login(member.user)
    assert client.get(url("ask_transition", pk=ask.pk)).status_code == 405


# Answering


def test_member_offers_help_through_the_page(client, helper, ask):
    client.force_login(helper.user)
    page = titles(client.get(url("ask_detail", pk=ask.pk)))
    assert "I can help" in page
    response = client.post(url("ask_answer", pk=ask.pk), {"message": "Friday works"})
    match = Match.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("match_detail", pk=match.pk)
    assert match.helper == helper and match.message == "Friday works"
    page = titles(client.get(url("ask_detail", pk=ask.pk)))
    assert "I can help" not in page and "You are already matched on this." in page


def test_author_sees_no_help_button_and_cannot_answer_own_ask(client, member, ask):
    client.force_login(member.user)
    assert "I can help" not in titles(client.get(url("ask_detail", pk=ask.pk)))
    response = client.post(url("ask_answer", pk=ask.pk), {"message": ""})
    assert response.status_code == 400
    assert "not open for offers of help" in response.content.decode()
    assert not Match.objects.exists()


# Query counts


def make_asks(member, food, network, count: int) -> None:
    # Called twice on one network: the area is made once, then found.
    area = ServiceArea.objects.filter(network=network, name="Northbank").first() or (
        service_area_create(network=network, name="Northbank", kind=AreaKind.NEIGHBOURHOOD)
    )
    english = Language.objects.get(code="en")
    groceries = Category.objects.get(network=network, slug="food-groceries")
    for n in range(count):
        ask_create(
            member=member,
            fields=PostFields(
                category=groceries if n % 2 else food,
                title=f"Ask {n}",
                area=area,
                languages=(english,),
            ),
        )


def test_ask_list_makes_as_many_queries_for_30_asks_as_for_3(
    client, member, make_member, food, network, django_assert_num_queries
):
    make_asks(member, food, network, 3)
    client.force_login(make_member().user)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url("ask_list")).status_code == 200
    for _n in range(9):
        make_asks(make_member(), food, network, 3)
    with django_assert_num_queries(len(three)):
        assert client.get(url("ask_list")).status_code == 200
