"""Between full runs, a network that matches on a schedule matches new asks and offers as
they come, through the task worker, without re-solving the network or touching the
proposals already made."""

import pytest

from sameboat.aid.models import Match, MatchSource
from sameboat.aid.services import PostFields, offer_create
from sameboat.matching.services import matching_match_new, matching_run
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    make_ask,
    make_asker,
    make_helper,
)

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def scheduled(network, settings):
    """A network that matches every hour, with tasks run as they are enqueued."""
    settings.TASKS = IMMEDIATE
    network.matching_every_minutes = 60
    network.save(update_fields=["matching_every_minutes"])
    return network


def test_a_new_ask_is_matched_as_it_is_posted(
    scheduled, make_member, food, django_capture_on_commit_callbacks
):
    helper = make_helper(make_member, [food], km_north=1)
    asker = make_asker(make_member)
    with django_capture_on_commit_callbacks(execute=True):
        ask = make_ask(asker, food)
    (proposal,) = engine_proposals(scheduled)
    assert (proposal.ask, proposal.helper) == (ask, helper)
    assert proposal.run is None and proposal.reasons


def test_a_new_offer_meets_the_asks_still_waiting(
    scheduled, make_member, food, django_capture_on_commit_callbacks
):
    asker = make_asker(make_member)
    ask = make_ask(asker, food)  # nobody can help yet
    assert not engine_proposals(scheduled)
    newcomer = make_helper(make_member, [], km_north=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        offer_create(member=newcomer, fields=PostFields(category=food, title="Shopping runs"))
    (proposal,) = engine_proposals(scheduled)
    assert (proposal.ask, proposal.helper) == (ask, newcomer)
    assert proposal.offer is not None


def test_matching_what_is_new_keeps_earlier_proposals_and_capacity(
    network, make_member, coordinator, food
):
    helper = make_helper(make_member, [food], km_north=1, capacity=1)
    first = make_ask(make_asker(make_member), food)
    matching_run(network=network, by=coordinator)
    second = make_ask(make_asker(make_member), food)

    assert matching_match_new(network_id=network.pk, ask_ids=[second.pk]) == []
    (kept,) = engine_proposals(network)
    assert kept.ask == first and kept.helper == helper  # the helper's one place is taken


def test_a_network_without_a_schedule_waits_for_a_run(
    network, make_member, food, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = IMMEDIATE
    make_helper(make_member, [food], km_north=1)
    with django_capture_on_commit_callbacks(execute=True):
        make_ask(make_asker(make_member), food)
    assert not Match.objects.filter(source=MatchSource.ENGINE).exists()


def test_a_failure_writes_nothing(network, make_member, food, monkeypatch):
    # Standing in for an engine failure (a solver error), to see that nothing is written.
    from sameboat.matching import engine

    make_helper(make_member, [food], km_north=1)
    ask = make_ask(make_asker(make_member), food)

    def broken(*args, **kwargs):
        raise RuntimeError("solver failed")

    monkeypatch.setattr(engine, "solve_incremental", broken)
    assert matching_match_new(network_id=network.pk, ask_ids=[ask.pk]) == []
    assert not Match.objects.exists()


def test_a_helper_through_dated_offers_is_available_only_then(network, make_member, food):
    from datetime import date

    from sameboat.matching.selectors import engine_input

    dated = make_helper(make_member, [], km_north=0.5)
    offer_create(
        member=dated,
        fields=PostFields(
            category=food,
            title="Cooking in December",
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 20),
        ),
    )
    always = make_helper(make_member, [food], km_north=0.7)
    helpers = {h.member_id: h for h in engine_input(network=network).helpers}
    assert helpers[dated.pk].window == (date(2026, 12, 1), date(2026, 12, 20))
    assert helpers[always.pk].window == (None, None)
