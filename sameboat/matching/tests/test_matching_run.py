"""A matching run, end to end on the real database and the real engine: what it proposes,
what it refuses to propose, what it keeps and replaces on the next run, and that a failed run
changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sameboat.aid.models import Match, MatchStatus, ReviewState, Urgency
from sameboat.aid.services import match_accept, match_decline
from sameboat.matching import engine
from sameboat.matching.models import (
    DeclinedPair,
    MatchingRun,
    RunStatus,
    RunTrigger,
    RunUnmatched,
    UnmatchedReason,
)
from sameboat.matching.selectors import engine_input
from sameboat.matching.services import (
    block_create,
    matching_run,
    proposals_reject,
    proposals_release,
)
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    groceries_of,
    make_ask,
    make_asker,
    make_helper,
    place,
    speaks,
)
from sameboat.networks.models import Role


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


@pytest.fixture
def groceries(network):
    return groceries_of(network)


def test_a_run_proposes_the_nearby_helper_with_reasons(
    network, make_member, coordinator, asker, food
):
    helper = make_helper(make_member, [food], km_north=1, display_name="Bongani")
    ask = make_ask(asker, food)

    run = matching_run(network=network, by=coordinator)

    assert run.status == RunStatus.SUCCEEDED and run.trigger == RunTrigger.PERSON
    (proposal,) = engine_proposals(network)
    assert (proposal.ask, proposal.helper, proposal.receiver) == (ask, helper, asker)
    assert proposal.status == MatchStatus.PROPOSED
    assert proposal.review_state == ReviewState.PENDING  # the network reviews by default
    assert proposal.run == run and proposal.proposed_by is None
    assert 1.0 <= proposal.distance_km <= 1.2
    assert "1.1 km away" in proposal.reasons
    assert any(reason.startswith("can help with") for reason in proposal.reasons)
    assert run.stats["proposed"] == 1 and run.stats["asks"] == 1 and run.stats["helpers"] == 1


def test_a_run_keeps_every_hard_rule(network, make_member, coordinator, asker, food, groceries):
    """Only one of these people may help Amina with groceries, in Somali."""
    speaks(asker, "so")
    ask = make_ask(asker, groceries, languages=["so"])
    transport = network.categories.get(slug="transport")
    make_helper(make_member, [transport], km_north=0.5, languages=["so"])  # wrong category
    make_helper(make_member, [food], km_north=6, languages=["so"])  # too far for 3 km
    make_helper(make_member, [food], km_north=0.5, languages=["en"])  # no shared language
    make_helper(make_member, [food], km_north=0.5, languages=["so"], capacity=0)  # no room
    blocked = make_helper(make_member, [food], km_north=0.5, languages=["so"])
    block_create(member=asker, blocked=blocked)
    asker.helps_with.set([food])  # never with herself
    good = make_helper(make_member, [food], km_north=2.5, languages=["so"], display_name="Good")

    matching_run(network=network, by=coordinator)

    (proposal,) = engine_proposals(network)
    assert proposal.ask == ask and proposal.helper == good
    assert "both speak Somali" in proposal.reasons


def test_a_helper_at_capacity_this_week_is_not_proposed(
    network, make_member, coordinator, asker, food
):
    helper = make_helper(make_member, [food], km_north=1, capacity=1)
    held = make_ask(make_member(), food, "Held already")
    match_accept(match=_pair(held, helper, coordinator), by=held.member)
    make_ask(asker, food)

    run = matching_run(network=network, by=coordinator)

    assert engine_proposals(network) == []
    (unmatched,) = RunUnmatched.objects.filter(run=run)
    assert unmatched.reason == UnmatchedReason.ALL_AT_CAPACITY


def test_each_unmatched_ask_is_stored_with_its_reason(
    network, make_member, coordinator, asker, food
):
    nowhere = make_member()  # no point, no area: matching cannot place the ask
    lost = make_ask(nowhere, food, "Somewhere")
    lonely = make_ask(asker, network.categories.get(slug="childcare"), "Childcare")
    make_helper(make_member, [food], km_north=1)

    run = matching_run(network=network, by=coordinator)

    reasons = dict(RunUnmatched.objects.filter(run=run).values_list("ask_id", "reason"))
    assert reasons == {
        lost.pk: UnmatchedReason.NO_LOCATION,
        lonely.pk: UnmatchedReason.NO_HELPER_FOR_CATEGORY,
    }


def test_only_the_latest_runs_unmatched_asks_are_kept(
    network, make_member, coordinator, asker, food
):
    make_ask(asker, food)
    first = matching_run(network=network, by=coordinator)
    second = matching_run(network=network, by=coordinator)
    assert not RunUnmatched.objects.filter(run=first).exists()
    assert RunUnmatched.objects.filter(run=second).count() == 1


def test_an_area_centre_places_a_member_without_a_point(network, make_member, coordinator, food):
    from sameboat.networks.models import AreaKind, ServiceArea

    city = ServiceArea.objects.create(
        network=network,
        name="Riverside",
        kind=AreaKind.CITY,
        latitude="-33.92000",
        longitude="18.42000",
    )
    block = ServiceArea.objects.create(
        network=network, name="Block 9", kind=AreaKind.BLOCK, parent=city
    )
    asker = make_member()
    asker.service_area = block  # the block has no centre of its own: its city's stands in
    asker.save(update_fields=["service_area"])
    make_ask(asker, food)
    helper = make_helper(make_member, [food], km_north=1)

    matching_run(network=network, by=coordinator)

    assert [p.helper for p in engine_proposals(network)] == [helper]


def test_a_rerun_keeps_a_proposal_it_proposes_again_and_does_not_duplicate_it(
    network, make_member, coordinator, asker, food
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (first,) = engine_proposals(network)

    second_run = matching_run(network=network, by=coordinator)

    (again,) = engine_proposals(network)
    assert again.pk == first.pk and again.run == second_run
    assert second_run.stats["kept"] == 1 and second_run.stats["new"] == 0


def test_a_rerun_replaces_only_proposals_nobody_acted_on(
    network, make_member, coordinator, asker, food
):
    near = make_helper(make_member, [food], km_north=1, capacity=5, display_name="Near")
    other_asker = place(make_member(), 0.2)
    third_asker = place(make_member(), 0.3)
    untouched_ask = make_ask(asker, food, "Untouched")
    released_ask = make_ask(other_asker, food, "Released")
    accepted_ask = make_ask(third_asker, food, "Accepted by one side")
    matching_run(network=network, by=coordinator)
    by_ask = {p.ask_id: p for p in engine_proposals(network)}
    assert set(by_ask) == {untouched_ask.pk, released_ask.pk, accepted_ask.pk}
    proposals_release(network=network, by=coordinator, ids=[by_ask[released_ask.pk].pk])
    accepted = by_ask[accepted_ask.pk]
    proposals_release(network=network, by=coordinator, ids=[accepted.pk])
    match_accept(match=accepted, by=near)

    # Someone nearer turns up: the next run would rather give every ask to them.
    nearer = make_helper(make_member, [food], km_north=0.1, capacity=5, display_name="Nearer")
    matching_run(network=network, by=coordinator)

    now = {p.ask_id: p for p in engine_proposals(network) if p.status == MatchStatus.PROPOSED}
    assert now[untouched_ask.pk].helper == nearer  # replaced
    assert now[released_ask.pk].pk == by_ask[released_ask.pk].pk  # reviewed: survives
    assert now[released_ask.pk].helper == near
    assert now[accepted_ask.pk].pk == accepted.pk  # one side accepted: survives
    assert not Match.objects.filter(pk=by_ask[untouched_ask.pk].pk).exists()


def test_a_rerun_in_direct_mode_calls_off_a_shown_proposal_it_no_longer_makes(
    network, make_member, coordinator, asker, food
):
    from sameboat.matching.tests.product_fixtures import set_mode
    from sameboat.networks.models import MatchingMode

    set_mode(network, MatchingMode.DIRECT)
    make_helper(make_member, [food], km_north=2)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (shown,) = engine_proposals(network)
    assert shown.review_state == ReviewState.RELEASED

    nearer = make_helper(make_member, [food], km_north=0.1)
    matching_run(network=network, by=coordinator)

    shown.refresh_from_db()
    assert shown.status == MatchStatus.CANCELLED  # a member following a link reads why
    (current,) = [p for p in engine_proposals(network) if p.status == MatchStatus.PROPOSED]
    assert current.helper == nearer


def test_a_rejected_pair_is_never_proposed_again(network, make_member, coordinator, asker, food):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)

    proposals_reject(network=network, by=coordinator, ids=[proposal.pk])
    run = matching_run(network=network, by=coordinator)

    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.CANCELLED
    assert proposal.review_state == ReviewState.REJECTED
    assert DeclinedPair.objects.filter(ask=proposal.ask, helper=proposal.helper).exists()
    assert [p.pk for p in engine_proposals(network)] == [proposal.pk]
    assert RunUnmatched.objects.get(run=run).reason == UnmatchedReason.BLOCKED_OR_DECLINED


def test_a_pair_a_member_declined_is_never_proposed_again(
    network, make_member, coordinator, asker, food
):
    helper = make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    proposals_release(network=network, by=coordinator, ids=[proposal.pk])

    match_decline(match=proposal, by=helper)
    matching_run(network=network, by=coordinator)

    assert [p.pk for p in engine_proposals(network)] == [proposal.pk]  # nothing new
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.DECLINED


def test_blocking_withdraws_unseen_proposals_and_keeps_the_pair_apart(
    network, make_member, coordinator, asker, food
):
    helper = make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    assert len(engine_proposals(network)) == 1

    block_create(member=helper, blocked=asker)  # the helper blocks: it works both ways
    assert engine_proposals(network) == []
    matching_run(network=network, by=coordinator)
    assert engine_proposals(network) == []


def test_an_ask_someone_already_answered_is_left_to_them(
    network, make_member, coordinator, asker, food
):
    from sameboat.aid.services import match_offer_help

    make_helper(make_member, [food], km_north=0.5)
    volunteer = make_helper(make_member, [food], km_north=2)
    ask = make_ask(asker, food)
    match_offer_help(ask=ask, helper=volunteer)  # "I can help", waiting on Amina

    matching_run(network=network, by=coordinator)

    assert engine_proposals(network) == []


def test_a_failed_run_is_recorded_and_leaves_the_previous_proposals(
    network, make_member, coordinator, asker, food, monkeypatch
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    before = [(p.pk, p.run_id, p.status) for p in engine_proposals(network)]
    make_helper(make_member, [food], km_north=0.1)

    # The one stand-in in these tests: the engine is made to fail, to see the product cope
    # with a failure it cannot otherwise provoke on valid data.
    def broken(*args: object, **kwargs: object) -> engine.Result:
        raise RuntimeError("the solver fell over")

    monkeypatch.setattr(engine, "solve", broken)
    run = matching_run(network=network, by=coordinator)

    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: the solver fell over"
    assert run.finished_at is not None
    assert [(p.pk, p.run_id, p.status) for p in engine_proposals(network)] == before


def test_load_counts_what_a_helper_holds_and_did_this_week(
    network, make_member, coordinator, asker, food
):
    from sameboat.matching.selectors import helper_loads

    helper = make_helper(make_member, [food], km_north=1, capacity=3)
    held = make_ask(make_member(), food, "Held")
    match_accept(match=_pair(held, helper, coordinator), by=held.member)
    old = make_ask(make_member(), food, "Done long ago")
    done = _pair(old, helper, coordinator)
    Match.objects.filter(pk=done.pk).update(
        status=MatchStatus.COMPLETED, ended_at=timezone.now() - timedelta(days=8)
    )
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)  # an untouched proposal: not a load yet

    assert helper_loads(network=network, now=timezone.now()) == {helper.pk: 1}
    (helper_input,) = engine_input(network=network).helpers
    assert helper_input.load == 1 and helper_input.capacity == 3


def test_urgent_and_old_asks_win_scarce_help(network, make_member, coordinator, food):
    make_helper(make_member, [food], km_north=0, capacity=1)
    calm = make_ask(place(make_member(), 0.1), food, "Whenever", urgency=Urgency.LOW)
    urgent = make_ask(place(make_member(), 0.2), food, "Today", urgency=Urgency.URGENT)

    run = matching_run(network=network, by=coordinator)

    assert [p.ask for p in engine_proposals(network)] == [urgent]
    assert RunUnmatched.objects.get(run=run).ask == calm


def test_a_second_run_waits_for_the_first_and_both_succeed(
    network, make_member, coordinator, asker, food
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    runs = [matching_run(network=network, by=coordinator) for _ in range(2)]
    assert [run.status for run in runs] == [RunStatus.SUCCEEDED] * 2
    assert len(engine_proposals(network)) == 1
    assert MatchingRun.objects.count() == 2


def test_only_coordinators_may_run_matching(network, member, facilitator):
    from django.core.exceptions import PermissionDenied

    for person in (member, facilitator):
        with pytest.raises(PermissionDenied):
            matching_run(network=network, by=person)
    assert not MatchingRun.objects.exists()


def test_a_coordinator_of_another_network_may_not_run_this_one(network, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        matching_run(network=network, by=outsider)


def _pair(ask, helper, coordinator) -> Match:
    from sameboat.aid.services import match_pair

    match = match_pair(by=coordinator, ask=ask, helper=helper)
    return match_accept(match=match, by=helper)


def test_helpers_and_asks_from_members_who_left_are_ignored(
    network, make_member, coordinator, asker, food
):
    gone = make_helper(make_member, [food], km_north=0.5, role=Role.MEMBER)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    make_ask(asker, food)
    data = engine_input(network=network)
    assert data.helpers == [] and len(data.asks) == 1


def test_accessibility_needs_and_dates_reach_the_engine(
    network, make_member, coordinator, asker, food
):
    from datetime import date

    from sameboat.aid.models import Ask

    stairs = make_ask(asker, food, "Step-free, please", accessibility=["step_free"])
    make_helper(make_member, [food], km_north=1)

    run = matching_run(network=network, by=coordinator)

    assert RunUnmatched.objects.get(run=run).reason == UnmatchedReason.ACCESSIBILITY_NOT_MET
    dated = make_ask(asker, food, "In January")
    Ask.objects.filter(pk=dated.pk).update(starts_on=date(2030, 1, 1), ends_on=date(2030, 1, 5))
    windows = {ask.id: ask.window for ask in engine_input(network=network).asks}
    assert windows[dated.pk] == (date(2030, 1, 1), date(2030, 1, 5))
    Ask.objects.filter(pk=dated.pk).update(status="closed")

    step_free = make_helper(make_member, [food], km_north=2, accessibility=["step_free"])
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    assert proposal.ask == stairs and proposal.helper == step_free
    assert "can offer step-free access" in proposal.reasons


def test_asks_for_coordinators_only_are_matched_too(network, make_member, coordinator, asker, food):
    from sameboat.aid.models import Visibility
    from sameboat.aid.services import PostFields, ask_create

    private = ask_create(
        member=asker,
        fields=PostFields(category=food, title="Private", visibility=Visibility.COORDINATORS),
    )
    make_helper(make_member, [food], km_north=1)
    matching_run(network=network, by=coordinator)
    assert [p.ask for p in engine_proposals(network)] == [private]
