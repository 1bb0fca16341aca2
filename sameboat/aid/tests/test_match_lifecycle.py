from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sameboat.aid.models import Ask, Match, MatchStatus, PostStatus
from sameboat.aid.services import (
    match_accept,
    match_cancel,
    match_complete,
    match_complete_once,
    match_decline,
    match_feedback,
    match_offer_help,
    match_pair,
    match_request_offer,
)
from sameboat.ledger.models import Entry, Exchange
from sameboat.networks.models import Member


def accepted_match(ask: Ask, member: Member, helper: Member) -> Match:
    match = match_offer_help(ask=ask, helper=helper)
    return match_accept(match=match, by=member)


def test_helper_offering_help_has_accepted_and_receiver_must_accept(ask, member, helper):
    match = match_offer_help(ask=ask, helper=helper, message="I'm free Friday")
    assert match.status == MatchStatus.PROPOSED
    assert match.has_accepted(helper) and not match.has_accepted(member)
    match = match_accept(match=match, by=member)
    assert match.status == MatchStatus.ACCEPTED
    ask.refresh_from_db()
    assert ask.status == PostStatus.MATCHED


def test_member_cannot_offer_help_with_own_ask(ask, member):
    with pytest.raises(ValidationError):
        match_offer_help(ask=ask, helper=member)
    assert not Match.objects.exists()


def test_member_cannot_offer_help_twice_on_the_same_ask(ask, helper):
    match_offer_help(ask=ask, helper=helper)
    with pytest.raises(ValidationError):
        match_offer_help(ask=ask, helper=helper)
    assert Match.objects.count() == 1


def test_requesting_an_offer_waits_for_the_helper(offer, member, helper):
    match = match_request_offer(offer=offer, receiver=member)
    assert match.helper == helper and match.has_accepted(member)
    match = match_accept(match=match, by=helper)
    assert match.status == MatchStatus.ACCEPTED


def test_coordinator_pairing_needs_both_sides_to_accept(ask, offer, coordinator, member, helper):
    match = match_pair(by=coordinator, ask=ask, offer=offer)
    assert match.helper == helper and match.receiver == member
    match = match_accept(match=match, by=helper)
    assert match.status == MatchStatus.PROPOSED
    match = match_accept(match=match, by=member)
    assert match.status == MatchStatus.ACCEPTED


def test_plain_member_cannot_pair(ask, offer, facilitator):
    with pytest.raises(PermissionDenied):
        match_pair(by=facilitator, ask=ask, offer=offer)


def test_coordinator_cannot_pair_across_networks(ask, outsider):
    with pytest.raises((PermissionDenied, ValidationError)):
        match_pair(by=outsider, ask=ask, helper=outsider)


def test_a_third_person_cannot_accept(ask, helper, facilitator):
    match = match_offer_help(ask=ask, helper=helper)
    with pytest.raises(PermissionDenied):
        match_accept(match=match, by=facilitator)


def test_declining_keeps_the_ask_open(ask, member, helper):
    match = match_offer_help(ask=ask, helper=helper)
    match = match_decline(match=match, by=member)
    assert match.status == MatchStatus.DECLINED
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN


def test_cancelling_an_accepted_match_reopens_the_ask(ask, member, helper):
    match = accepted_match(ask, member, helper)
    match_cancel(match=match, by=helper)
    ask.refresh_from_db()
    assert ask.status == PostStatus.OPEN


def test_completion_posts_one_exchange_from_receiver_to_helper(ask, member, helper):
    match = accepted_match(ask, member, helper)
    exchange = match_complete(
        match=match, by=helper, hours=Decimal("1.5"), key="k1", feedback="Lovely"
    )
    assert exchange.amount == 150
    assert exchange.provider == helper and exchange.receiver == member
    amounts = {entry.account.member_id: entry.amount for entry in exchange.entries.all()}
    assert amounts == {helper.pk: 150, member.pk: -150}
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED and match.hours == Decimal("1.5")
    assert match.helper_feedback == "Lovely"
    ask.refresh_from_db()
    assert ask.status == PostStatus.FULFILLED


def test_a_retried_completion_posts_nothing_more(ask, member, helper):
    match = accepted_match(ask, member, helper)
    first = match_complete(match=match, by=helper, hours=Decimal("2"), key="same")
    again = match_complete(match=match, by=helper, hours=Decimal("2"), key="same")
    assert first.pk == again.pk
    assert Exchange.objects.count() == 1 and Entry.objects.count() == 2


def test_a_twin_request_that_loaded_the_match_before_the_first_finished_is_told_it_replayed(
    ask, member, helper
):
    # Two identical requests read the accepted match at the same instant; the one that loses
    # the race on the match's lock must learn that it did not post the exchange.
    match = accepted_match(ask, member, helper)
    twin = Match.objects.get(pk=match.pk)
    first = match_complete_once(match=match, by=helper, hours=Decimal("2"), key="same")
    second = match_complete_once(match=twin, by=helper, hours=Decimal("2"), key="same")
    assert twin.status == MatchStatus.ACCEPTED
    assert (first.created, second.created) == (True, False)
    assert first.exchange.pk == second.exchange.pk
    assert Exchange.objects.count() == 1


def test_a_second_completion_with_a_new_key_is_refused(ask, member, helper):
    match = accepted_match(ask, member, helper)
    match_complete(match=match, by=helper, hours=Decimal("2"), key="first")
    with pytest.raises(ValidationError):
        match_complete(match=match, by=member, hours=Decimal("3"), key="second")
    assert Exchange.objects.count() == 1 and Entry.objects.count() == 2


@pytest.mark.parametrize("hours", ["0", "-1", "0.001", "201", "NaN"])
def test_impossible_hours_post_nothing(ask, member, helper, hours):
    match = accepted_match(ask, member, helper)
    with pytest.raises(ValidationError):
        match_complete(match=match, by=helper, hours=Decimal(hours), key="k")
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
    assert not Exchange.objects.exists() and not Entry.objects.exists()


def test_a_proposed_match_cannot_be_completed(ask, helper):
    match = match_offer_help(ask=ask, helper=helper)
    with pytest.raises(ValidationError):
        match_complete(match=match, by=helper, hours=Decimal("1"), key="k")
    assert not Exchange.objects.exists()


def test_each_side_may_leave_feedback_after_completion(ask, member, helper):
    match = accepted_match(ask, member, helper)
    match_complete(match=match, by=helper, hours=Decimal("1"), key="k")
    match_feedback(match=match, by=member, feedback="Thank you, it meant a lot")
    match.refresh_from_db()
    assert match.receiver_feedback == "Thank you, it meant a lot"
