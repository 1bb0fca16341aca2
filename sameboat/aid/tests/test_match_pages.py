"""The match pages: who sees what, the answer buttons, completion and feedback."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.aid.models import Ask, Match, MatchStatus, PostStatus
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
    match_request_offer,
    offer_create,
)
from sameboat.ledger.models import Entry, Exchange
from sameboat.networks.models import Member


def url(name: str, **kwargs: object) -> str:
    return reverse(f"aid:{name}", kwargs={"network": "riverside", **kwargs})


def accepted_match(ask: Ask, member: Member, helper: Member) -> Match:
    match = match_offer_help(ask=ask, helper=helper)
    return match_accept(match=match, by=member)


def form_key(page: str) -> str:
    found = re.search(r'name="key" value="([0-9a-f]+)"', page)
    assert found, "the completion form carries its key"
    return found.group(1)


# Contact details


def test_contact_details_are_hidden_until_both_accept(client, member, helper, ask):
    helper.user.phone = "+44 7700 900123"
    helper.user.save(update_fields=["phone"])
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(member.user)
    page = client.get(url("match_detail", pk=match.pk)).content.decode()
    assert helper.user.email not in page and "900123" not in page
    assert "once you have both accepted" in page

    response = client.post(url("match_accept", pk=match.pk), follow=True)
    page = response.content.decode()
    assert "You both accepted" in page
    assert helper.user.email in page and "+44 7700 900123" in page
    assert "Prefers" in page


def test_contact_details_are_shown_to_both_sides_after_acceptance(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    client.force_login(helper.user)
    page = client.get(url("match_detail", pk=match.pk)).content.decode()
    assert member.user.email in page


def test_coordinator_sees_a_match_but_never_the_contact_details(
    client, member, helper, coordinator, ask
):
    match = accepted_match(ask, member, helper)
    client.force_login(coordinator.user)
    response = client.get(url("match_detail", pk=match.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert member.user.email not in page and helper.user.email not in page
    assert "shared only between the two people" in page


def test_another_member_gets_404_for_a_match(client, member, helper, make_member, ask):
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(make_member().user)
    assert client.get(url("match_detail", pk=match.pk)).status_code == 404
    assert client.post(url("match_accept", pk=match.pk)).status_code == 404
    assert client.post(url("match_cancel", pk=match.pk)).status_code == 404


# Answering a proposal


def test_receiver_declines_and_the_ask_stays_open(client, member, helper, ask):
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(member.user)
    response = client.post(url("match_decline", pk=match.pk))
    assert response.status_code == 302
    match.refresh_from_db()
    ask.refresh_from_db()
    assert match.status == MatchStatus.DECLINED and ask.status == PostStatus.OPEN


def test_accepting_twice_is_refused_with_a_message(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    client.force_login(member.user)
    response = client.post(url("match_accept", pk=match.pk))
    assert response.status_code == 400
    assert "Only a proposed match can be accepted." in response.content.decode()


def test_coordinator_who_is_not_a_side_cannot_accept(client, member, helper, coordinator, ask):
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(coordinator.user)
    assert client.post(url("match_accept", pk=match.pk)).status_code == 403
    match.refresh_from_db()
    assert match.receiver_accepted_at is None


def test_coordinator_may_cancel_any_match(client, member, helper, coordinator, ask):
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(coordinator.user)
    assert client.post(url("match_cancel", pk=match.pk)).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED


# Completion


def test_completing_twice_with_the_same_form_posts_one_exchange(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    client.force_login(helper.user)
    key = form_key(client.get(url("match_detail", pk=match.pk)).content.decode())
    data = {"hours": "1.5", "feedback": "Lovely to meet", "key": key}
    first = client.post(url("match_complete", pk=match.pk), data)
    second = client.post(url("match_complete", pk=match.pk), data)
    assert first.status_code == 302 and second.status_code == 302
    assert Exchange.objects.count() == 1
    assert Entry.objects.count() == 2
    exchange = Exchange.objects.get()
    assert exchange.amount == 150 and exchange.provider == helper and exchange.receiver == member
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED and match.helper_feedback == "Lovely to meet"


def test_each_showing_of_the_form_has_a_fresh_key(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    client.force_login(helper.user)
    first = form_key(client.get(url("match_detail", pk=match.pk)).content.decode())
    second = form_key(client.get(url("match_detail", pk=match.pk)).content.decode())
    assert first != second


def test_a_second_completion_is_refused_with_a_message(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    match_complete(match=match, by=helper, hours=Decimal("2"), key="first")
    client.force_login(member.user)
    response = client.post(url("match_complete", pk=match.pk), {"hours": "3", "key": "another-key"})
    assert response.status_code == 400
    assert "This match is already marked done." in response.content.decode()
    assert Exchange.objects.count() == 1


def test_invalid_hours_give_400_and_post_nothing(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    client.force_login(helper.user)
    for hours in ("0", "-1", "abc", "5000"):
        response = client.post(url("match_complete", pk=match.pk), {"hours": hours, "key": "k1"})
        assert response.status_code == 400, hours
    response = client.post(url("match_complete", pk=match.pk), {"hours": "1"})
    assert response.status_code == 400
    assert not Exchange.objects.exists()
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED


def test_coordinator_who_is_not_a_side_cannot_complete_or_give_feedback(
    client, member, helper, coordinator, ask
):
    match = accepted_match(ask, member, helper)
    client.force_login(coordinator.user)
    page = client.get(url("match_detail", pk=match.pk)).content.decode()
    assert 'name="key"' not in page
    response = client.post(url("match_complete", pk=match.pk), {"hours": "1", "key": "k"})
    assert response.status_code == 403
    assert client.post(url("match_feedback", pk=match.pk), {"feedback": "ok"}).status_code == 403
    assert not Exchange.objects.exists()


def test_a_proposed_match_cannot_be_completed(client, member, helper, ask):
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(helper.user)
    page = client.get(url("match_detail", pk=match.pk)).content.decode()
    assert 'name="key"' not in page
    response = client.post(url("match_complete", pk=match.pk), {"hours": "1", "key": "k"})
    assert response.status_code == 400
    assert not Exchange.objects.exists()


def test_feedback_after_completion(client, member, helper, ask):
    match = accepted_match(ask, member, helper)
    match_complete(match=match, by=helper, hours=Decimal("1"), key="done")
    client.force_login(member.user)
    response = client.post(url("match_feedback", pk=match.pk), {"feedback": "Thank you!"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.receiver_feedback == "Thank you!"
    response = client.post(url("match_feedback", pk=match.pk), {"feedback": "  "})
    assert response.status_code == 400
    assert "Write a few words" in response.content.decode()


# Lists


def test_match_list_filters_by_status(client, member, helper, ask, offer):
    match_offer_help(ask=ask, helper=helper)
    match_request_offer(offer=offer, receiver=member)
    other_ask = ask_create(
        member=member, fields=PostFields(category=ask.category, title="Dog walk")
    )
    accepted_match(other_ask, member, helper)
    client.force_login(member.user)
    page = client.get(url("match_list"), {"status": "accepted"}).content.decode()
    assert "Dog walk" in page and "Groceries on Friday" not in page
    page = client.get(url("match_list")).content.decode()
    assert "Dog walk" in page and "Groceries on Friday" in page and "I can cook meals" in page
    assert client.get(url("match_list"), {"status": "nonsense"}).status_code == 400


def test_coordinator_can_list_every_match_and_members_only_their_own(
    client, member, helper, coordinator, make_member, ask
):
    match_offer_help(ask=ask, helper=helper)
    client.force_login(coordinator.user)
    assert "Groceries on Friday" not in client.get(url("match_list")).content.decode()
    page = client.get(url("match_list"), {"all": "on"}).content.decode()
    assert "Groceries on Friday" in page and "Every match in the network" in page
    client.force_login(make_member().user)
    page = client.get(url("match_list"), {"all": "on"}).content.decode()
    assert "Groceries on Friday" not in page


def make_matches(member: Member, helper: Member, food, count: int) -> None:
    for n in range(count):
        ask = ask_create(member=member, fields=PostFields(category=food, title=f"Need {n}"))
        match_offer_help(ask=ask, helper=helper)
        offer = offer_create(member=helper, fields=PostFields(category=food, title=f"Give {n}"))
        match_request_offer(offer=offer, receiver=member)


def test_match_list_makes_as_many_queries_for_30_matches_as_for_3(
    client, member, helper, food, django_assert_num_queries
):
    make_matches(member, helper, food, 2)
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("match_list")).status_code == 200
    make_matches(member, helper, food, 14)
    with django_assert_num_queries(len(few)):
        assert client.get(url("match_list")).status_code == 200


def test_mine_makes_as_many_queries_for_30_items_as_for_3(
    client, member, helper, food, django_assert_num_queries
):
    # Both ways round: the member has asks, offers, and proposals waiting on them.
    make_matches(member, helper, food, 1)
    make_matches(helper, member, food, 1)
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("mine")).status_code == 200
    make_matches(member, helper, food, 15)
    make_matches(helper, member, food, 15)
    with django_assert_num_queries(len(few)):
        response = client.get(url("mine"))
    page = response.content.decode()
    assert page.count('class="card"') == 16 + 16 + 32
