"""The whole loop of mutual aid through the API, and what each side sees of a match."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.aid.models import Ask, Match, MatchStatus, Offer, PostStatus
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
)
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.networks.models import Category, Member, Network, Role

SLUG = {"network_slug": "riverside"}
MATCHES = reverse("api-match-list", kwargs=SLUG)
ASKS = reverse("api-ask-list", kwargs=SLUG)
EXCHANGES = reverse("api-exchange-list", kwargs=SLUG)


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def match_url(match_id: int, action: str = "") -> str:
    url = reverse("api-match-detail", kwargs={**SLUG, "pk": match_id})
    return f"{url}{action}/" if action else url


def balance(member: Member) -> int:
    return Account.objects.get(member=member).balance


def test_the_whole_loop_through_the_api(member: Member, helper: Member, food: Category) -> None:
    asker, giver = api(member), api(helper)

    # Amina asks; Bongani offers to help.
    created = asker.post(ASKS, {"category": food.pk, "title": "Groceries"}, format="json")
    assert created.status_code == 201
    ask_id = created.json()["id"]
    help_url = reverse("api-ask-help", kwargs={**SLUG, "pk": ask_id})
    offered = giver.post(help_url, {"message": "I have a car"}, format="json")
    assert offered.status_code == 201
    match_id = offered.json()["id"]

    # Amina sees the proposal in her matches and accepts; contact details appear only now.
    mine = asker.get(MATCHES).json()["results"]
    assert [m["id"] for m in mine] == [match_id]
    assert mine[0]["contact"] is None
    assert mine[0]["can"]["accept"] is True
    # The helper accepted by offering; only Amina has yet to.
    assert giver.get(match_url(match_id)).json()["can"]["accept"] is False
    accepted = asker.post(match_url(match_id, "accept"))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["contact"]["email"] == helper.user.email
    assert giver.get(match_url(match_id)).json()["contact"]["email"] == member.user.email
    assert Ask.objects.get(pk=ask_id).status == PostStatus.MATCHED

    # Bongani marks it done with a key; the exchange is posted once.
    complete_url = match_url(match_id, "complete")
    body = {"hours": "1.5", "feedback": "Good company", "key": "done-1"}
    done = giver.post(complete_url, body, format="json")
    assert done.status_code == 201, done.json()
    exchange = done.json()
    assert exchange["amount"] == 150
    assert exchange["hours"] == "1.50"
    assert exchange["provider"]["id"] == helper.pk
    assert exchange["receiver"]["id"] == member.pk
    assert exchange["match"] == match_id
    assert balance(helper) == 150
    assert balance(member) == -150

    # Both see the exchange.
    for client in (asker, giver):
        listed = client.get(EXCHANGES).json()["results"]
        assert [e["id"] for e in listed] == [exchange["id"]]
        one = client.get(reverse("api-exchange-detail", kwargs={**SLUG, "pk": exchange["id"]}))
        assert one.status_code == 200

    # A retry with the same key returns the same exchange and posts nothing.
    replay = giver.post(complete_url, body, format="json")
    assert replay.status_code == 200
    assert replay.json()["id"] == exchange["id"]
    assert Exchange.objects.count() == 1
    assert Entry.objects.count() == 2

    # A second completion with a new key is refused and posts nothing.
    again = giver.post(complete_url, {**body, "key": "done-2"}, format="json")
    assert again.status_code == 400
    again_other_side = asker.post(complete_url, {**body, "key": "done-3"}, format="json")
    assert again_other_side.status_code == 400
    assert Exchange.objects.count() == 1
    assert Entry.objects.count() == 2
    assert balance(helper) == 150

    match = Match.objects.get(pk=match_id)
    assert match.status == MatchStatus.COMPLETED
    assert match.hours == Decimal("1.50")
    assert match.helper_feedback == "Good company"
    assert Ask.objects.get(pk=ask_id).status == PostStatus.FULFILLED

    # The receiver says how it went.
    feedback = asker.post(
        match_url(match_id, "feedback"), {"feedback": "Thank you!"}, format="json"
    )
    assert feedback.status_code == 200
    assert feedback.json()["receiver_feedback"] == "Thank you!"


@pytest.fixture
def accepted(ask: Ask, member: Member, helper: Member) -> Match:
    return match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)


def test_key_may_come_in_the_idempotency_key_header(helper: Member, accepted: Match) -> None:
    client = api(helper)
    first = client.post(
        match_url(accepted.pk, "complete"), {"hours": "2"}, format="json", HTTP_IDEMPOTENCY_KEY="h1"
    )
    assert first.status_code == 201
    replay = client.post(
        match_url(accepted.pk, "complete"), {"hours": "2"}, format="json", HTTP_IDEMPOTENCY_KEY="h1"
    )
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]
    assert Exchange.objects.count() == 1


def test_completion_without_a_key_is_refused(helper: Member, accepted: Match) -> None:
    response = api(helper).post(match_url(accepted.pk, "complete"), {"hours": "2"}, format="json")
    assert response.status_code == 400
    assert "key" in response.json()
    assert not Exchange.objects.exists()
    accepted.refresh_from_db()
    assert accepted.status == MatchStatus.ACCEPTED


def test_body_key_and_header_that_differ_are_refused(helper: Member, accepted: Match) -> None:
    response = api(helper).post(
        match_url(accepted.pk, "complete"),
        {"hours": "2", "key": "a"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="b",
    )
    assert response.status_code == 400
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    "hours", ["0", "-1", "abc", "NaN", "Infinity", "1.555", "201", "", None, "1e400"]
)
def test_bad_hours_are_a_field_error_and_post_nothing(
    helper: Member, accepted: Match, hours: str | None
) -> None:
    body: dict[str, Any] = {"key": "k"}
    if hours is not None:
        body["hours"] = hours
    response = api(helper).post(match_url(accepted.pk, "complete"), body, format="json")
    assert response.status_code == 400
    assert "hours" in response.json()
    assert not Exchange.objects.exists()
    accepted.refresh_from_db()
    assert accepted.status == MatchStatus.ACCEPTED


def test_one_persons_key_does_not_collide_with_anothers(
    make_member: MakeMember, food: Category, member: Member, helper: Member, accepted: Match
) -> None:
    other_asker, other_helper = make_member(), make_member()
    other_ask = ask_create(member=other_asker, fields=PostFields(category=food, title="Soup"))
    other = match_accept(match=match_offer_help(ask=other_ask, helper=other_helper), by=other_asker)
    body = {"hours": "1", "key": "same-key"}
    assert (
        api(helper).post(match_url(accepted.pk, "complete"), body, format="json").status_code == 201
    )
    response = api(other_helper).post(match_url(other.pk, "complete"), body, format="json")
    assert response.status_code == 201
    assert Exchange.objects.count() == 2


def test_a_key_is_scoped_to_its_match_so_two_completions_both_post(
    make_member: MakeMember, food: Category, member: Member, helper: Member, accepted: Match
) -> None:
    second_ask = ask_create(member=member, fields=PostFields(category=food, title="Soup"))
    second = match_accept(match=match_offer_help(ask=second_ask, helper=helper), by=member)
    body = {"hours": "1", "key": "same-key"}
    client = api(helper)
    assert client.post(match_url(accepted.pk, "complete"), body, format="json").status_code == 201
    # Completing another match is another request, even under a reused key.
    assert client.post(match_url(second.pk, "complete"), body, format="json").status_code == 201
    assert client.post(match_url(second.pk, "complete"), body, format="json").status_code == 200
    assert Exchange.objects.count() == 2


def test_contact_details_are_null_until_both_accept(
    member: Member, helper: Member, coordinator: Member, ask: Ask
) -> None:
    match = match_offer_help(ask=ask, helper=helper)
    for viewer in (member, helper, coordinator):
        assert api(viewer).get(match_url(match.pk)).json()["contact"] is None
    match_accept(match=match, by=member)
    assert api(member).get(match_url(match.pk)).json()["contact"] == {
        "display_name": "Bongani",
        "email": helper.user.email,
        "phone": "",
        "contact_preference": "email",
    }
    assert api(helper).get(match_url(match.pk)).json()["contact"]["display_name"] == "Amina"
    # A coordinator sees the match, never the contact details of its two sides.
    assert api(coordinator).get(match_url(match.pk)).json()["contact"] is None


def test_third_member_cannot_see_or_act_on_a_match(
    make_member: MakeMember, facilitator: Member, accepted: Match
) -> None:
    stranger = api(make_member())
    assert stranger.get(match_url(accepted.pk)).status_code == 404
    assert stranger.post(match_url(accepted.pk, "cancel")).status_code == 404
    body = {"hours": "1", "key": "x"}
    assert stranger.post(match_url(accepted.pk, "complete"), body, format="json").status_code == 404
    assert api(facilitator).get(match_url(accepted.pk)).status_code == 404
    assert not Exchange.objects.exists()


def test_coordinator_cannot_complete_someone_elses_match(
    coordinator: Member, accepted: Match
) -> None:
    body = {"hours": "1", "key": "x"}
    response = api(coordinator).post(match_url(accepted.pk, "complete"), body, format="json")
    assert response.status_code == 403
    assert not Exchange.objects.exists()


def test_a_side_declines_and_the_ask_stays_open(member: Member, helper: Member, ask: Ask) -> None:
    match = match_offer_help(ask=ask, helper=helper)
    response = api(member).post(match_url(match.pk, "decline"))
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN


def test_coordinator_cancels_an_accepted_match(coordinator: Member, accepted: Match) -> None:
    response = api(coordinator).post(match_url(accepted.pk, "cancel"))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_feedback_before_completion_is_a_400(member: Member, accepted: Match) -> None:
    response = api(member).post(
        match_url(accepted.pk, "feedback"), {"feedback": "Hi"}, format="json"
    )
    assert response.status_code == 400


def test_member_sees_only_their_own_matches(
    make_member: MakeMember, food: Category, member: Member, coordinator: Member, accepted: Match
) -> None:
    a, b = make_member(), make_member()
    match_offer_help(
        ask=ask_create(member=a, fields=PostFields(category=food, title="T")), helper=b
    )
    assert [m["id"] for m in api(member).get(MATCHES).json()["results"]] == [accepted.pk]
    # Without ?all a coordinator, too, sees only their own; with it, every match.
    assert api(coordinator).get(MATCHES).json()["count"] == 0
    assert api(coordinator).get(MATCHES, {"all": "true"}).json()["count"] == 2
    assert api(coordinator).get(MATCHES, {"all": "true", "status": "proposed"}).json()["count"] == 1
    assert api(member).get(MATCHES, {"status": "accepted"}).json()["count"] == 1
    assert api(member).get(MATCHES, {"status": "proposed"}).json()["count"] == 0


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR])
def test_members_get_403_for_every_match_of_the_network(
    make_member: MakeMember, role: Role
) -> None:
    assert api(make_member(role)).get(MATCHES, {"all": "true"}).status_code == 403


def test_coordinator_pairs_an_ask_with_an_offer(
    coordinator: Member, member: Member, helper: Member, ask: Ask, offer: Offer
) -> None:
    response = api(coordinator).post(
        MATCHES, {"ask": ask.pk, "offer": offer.pk, "message": "You two live close"}, format="json"
    )
    assert response.status_code == 201, response.json()
    match = Match.objects.get(pk=response.json()["id"])
    assert (match.helper, match.receiver, match.proposed_by) == (helper, member, coordinator)
    assert match.status == MatchStatus.PROPOSED
    assert response.json()["my_side"] is None
    # Both sides are asked to accept.
    assert api(member).get(match_url(match.pk)).json()["can"]["accept"] is True
    assert api(helper).get(match_url(match.pk)).json()["can"]["accept"] is True


def test_coordinator_pairs_an_ask_with_a_member(
    admin_member: Member, helper: Member, ask: Ask
) -> None:
    response = api(admin_member).post(MATCHES, {"ask": ask.pk, "helper": helper.pk}, format="json")
    assert response.status_code == 201
    assert Match.objects.get().helper == helper


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR])
def test_members_cannot_pair(make_member: MakeMember, role: Role, helper: Member, ask: Ask) -> None:
    response = api(make_member(role)).post(
        MATCHES, {"ask": ask.pk, "helper": helper.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Match.objects.exists()


def test_pairing_with_ids_of_another_network_is_a_field_error(
    coordinator: Member, outsider: Member, other_network: Network, ask: Ask
) -> None:
    theirs = ask_create(
        member=outsider,
        fields=PostFields(
            category=Category.objects.get(network=other_network, slug="food"), title="Theirs"
        ),
    )
    response = api(coordinator).post(
        MATCHES, {"ask": theirs.pk, "helper": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"ask", "helper"}
    response = api(coordinator).post(MATCHES, {"ask": ask.pk}, format="json")
    assert response.status_code == 400
    assert "helper" in response.json()
    assert not Match.objects.exists()


def test_match_list_query_count_does_not_grow_with_data(
    make_member: MakeMember,
    member: Member,
    coordinator: Member,
    food: Category,
    django_assert_max_num_queries: Any,
) -> None:
    client, own = api(coordinator), api(member)

    def add(count: int) -> None:
        for index in range(count):
            ask = ask_create(member=member, fields=PostFields(category=food, title=f"Ask {index}"))
            match_accept(match=match_offer_help(ask=ask, helper=make_member()), by=member)

    add(3)
    with django_assert_max_num_queries(4):
        assert client.get(MATCHES, {"all": "true"}).json()["count"] == 3
    add(27)
    with django_assert_max_num_queries(4):
        assert client.get(MATCHES, {"all": "true"}).json()["count"] == 30
    # The member's own list shows the other sides' contact details: one audit INSERT more
    # (`contact.view`, one event for the page), however many matches it shows.
    with django_assert_max_num_queries(5):
        assert own.get(MATCHES).json()["count"] == 30


def test_completion_of_a_match_of_another_network_is_404(
    outsider: Member, other_network: Network, make_member: MakeMember, helper: Member
) -> None:
    food = Category.objects.get(network=other_network, slug="food")
    other = make_member(in_network=other_network)
    theirs = match_accept(
        match=match_offer_help(
            ask=ask_create(member=outsider, fields=PostFields(category=food, title="T")),
            helper=other,
        ),
        by=outsider,
    )
    body = {"hours": "1", "key": "x"}
    assert (
        api(helper).post(match_url(theirs.pk, "complete"), body, format="json").status_code == 404
    )
    assert not Exchange.objects.exists()
    assert match_complete  # the service is reached only through the scoped view
