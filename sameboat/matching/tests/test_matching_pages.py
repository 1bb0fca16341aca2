"""The coordinator's matching page and its actions: Find matches, the review queue (one by
one and in bulk), another helper for a proposal, and the network's settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.aid.models import Match, MatchStatus, ReviewState, Urgency
from sameboat.matching.models import DeclinedPair, MatchingRun, RunStatus
from sameboat.matching.services import matching_run
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    make_ask,
    make_asker,
    make_helper,
    place,
    run_tasks_at_once,
)
from sameboat.networks.models import MatchingMode


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


@pytest.fixture
def immediate_tasks(settings):
    run_tasks_at_once(settings)


def url(name: str, **kwargs: object) -> str:
    return reverse(f"matching:{name}", kwargs={"network": "riverside", **kwargs})


def _proposals(network, make_member, coordinator, food, count: int) -> list[Match]:
    for n in range(count):
        make_helper(make_member, [food], km_north=0.5 * (n % 4))
        make_ask(place(make_member(), 0.3 * (n % 5)), food, f"Ask number {n}")
    matching_run(network=network, by=coordinator)
    return engine_proposals(network)


def test_coordinator_page_shows_the_queue_with_reasons(
    client, network, make_member, coordinator, asker, food
):
    helper = make_helper(make_member, [food], km_north=1, display_name="Bongani")
    make_ask(asker, food, "Groceries for Amina", urgency=Urgency.URGENT)
    matching_run(network=network, by=coordinator)
    client.force_login(coordinator.user)

    page = client.get(url("coordinate")).content.decode()

    assert "Groceries for Amina" in page and helper.display_name in page
    assert "1.1 km away" in page and "urgent: needed today" in page
    assert "Today" in page  # the urgency
    assert "Release selected" in page and "Reject selected" in page
    (proposal,) = engine_proposals(network)
    assert f'<label for="proposal-{proposal.pk}" class="visually-hidden">' in page


def test_coordinator_page_says_why_asks_cannot_be_matched(
    client, network, make_member, coordinator, asker, food
):
    make_ask(asker, network.categories.get(slug="childcare"), "Someone for the kids")
    make_ask(make_member(), food, "Nowhere to be found")
    matching_run(network=network, by=coordinator)
    client.force_login(coordinator.user)

    page = client.get(url("coordinate")).content.decode()

    assert "Someone for the kids" in page
    assert "Nobody helps with this category yet" in page
    assert "We do not know where it is" in page


def test_coordinator_page_shows_helpers_load_and_the_last_runs(
    client, network, make_member, coordinator, asker, food
):
    make_helper(make_member, [food], km_north=1, capacity=4, display_name="Bongani")
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    client.force_login(coordinator.user)

    page = client.get(url("coordinate")).content.decode()

    assert "Helpers&#x27; load this week" in page or "Helpers' load this week" in page
    assert "<td>Bongani</td><td>4</td><td>0</td><td>4</td>" in page
    assert "Last runs" in page and "Done" in page


def test_find_matches_runs_through_the_task_worker(
    client, network, make_member, coordinator, asker, food, immediate_tasks
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    client.force_login(coordinator.user)

    response = client.post(url("run"), follow=True)

    assert response.redirect_chain == [(url("coordinate"), 302)]
    assert "Matching proposed 1 match. 0 asks could not be matched." in response.content.decode()
    run = MatchingRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.started_by == coordinator


def test_find_matches_with_the_database_worker_queues_the_run(
    client, network, coordinator, asker, food
):
    from django_tasks_db.models import DBTaskResult

    client.force_login(coordinator.user)
    response = client.post(url("run"), follow=True)
    assert "Matching is under way" in response.content.decode()
    run = MatchingRun.objects.get()
    assert run.status == RunStatus.QUEUED
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk]
    # Pressing again while it waits does not queue a second run.
    client.post(url("run"))
    assert MatchingRun.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_release_one_proposal(client, network, make_member, coordinator, food):
    first, second = _proposals(network, make_member, coordinator, food, 2)
    client.force_login(coordinator.user)

    response = client.post(url("review"), {"release_one": first.pk, "page": "1"})

    assert response.status_code == 302 and response["Location"] == url("coordinate") + "?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.review_state == ReviewState.RELEASED and first.reviewed_by == coordinator
    assert second.review_state == ReviewState.PENDING


def test_reject_one_proposal(client, network, make_member, coordinator, food):
    (proposal,) = _proposals(network, make_member, coordinator, food, 1)
    client.force_login(coordinator.user)

    client.post(url("review"), {"reject_one": proposal.pk})

    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.CANCELLED
    assert DeclinedPair.objects.filter(ask=proposal.ask, helper=proposal.helper).exists()


def test_release_and_reject_in_bulk(client, network, make_member, coordinator, food):
    proposals = _proposals(network, make_member, coordinator, food, 4)
    client.force_login(coordinator.user)

    client.post(url("review"), {"bulk": "release", "proposals": [p.pk for p in proposals[:2]]})
    client.post(url("review"), {"bulk": "reject", "proposals": [p.pk for p in proposals[2:]]})

    states = [Match.objects.get(pk=p.pk).review_state for p in proposals]
    assert states == [ReviewState.RELEASED] * 2 + [ReviewState.REJECTED] * 2


def test_bad_review_input_is_a_400_and_writes_nothing(
    client, network, make_member, coordinator, food
):
    first, second = _proposals(network, make_member, coordinator, food, 2)
    client.force_login(coordinator.user)
    client.post(url("review"), {"reject_one": second.pk})

    cases = [
        ({"bulk": "release"}, "Tick at least one proposal first."),
        ({}, "Choose what to do: release or reject."),
        ({"bulk": "release", "proposals": ["x"]}, "That is not a proposal on this page."),
        ({"bulk": "explode", "proposals": [first.pk]}, "Select a valid choice."),
        ({"release_one": "99999999999999999999"}, "Ensure this value"),
        # One of the two is no longer waiting: neither is released.
        ({"bulk": "release", "proposals": [first.pk, second.pk]}, "no longer wait for review"),
    ]
    for data, message in cases:
        response = client.post(url("review"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    first.refresh_from_db()
    assert first.review_state == ReviewState.PENDING


def test_another_helper_lists_only_those_who_could_help_and_releases(
    client, network, make_member, coordinator, asker, food
):
    make_helper(make_member, [food], km_north=0.2, display_name="First")
    make_helper(make_member, [food], km_north=30, display_name="Faraway")
    make_helper(make_member, [food], km_north=1, capacity=0, display_name="Full")
    second = make_helper(make_member, [food], km_north=2, display_name="Second")
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    assert proposal.helper.display_name == "First"
    client.force_login(coordinator.user)

    page = client.get(url("proposal", pk=proposal.pk)).content.decode()

    assert "Second, 2.2 km away" in page
    options = page[page.index('<select name="helper"') : page.index("</select>")]
    assert "Second" in options
    assert "Faraway" not in options and "Full" not in options and "First" not in options
    response = client.post(url("proposal", pk=proposal.pk), {"helper": second.pk})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.helper == second and proposal.review_state == ReviewState.RELEASED
    assert proposal.proposed_by == coordinator
    assert DeclinedPair.objects.filter(
        ask=proposal.ask, helper__user__display_name="First"
    ).exists()


def test_another_helper_refuses_someone_not_listed(
    client, network, make_member, coordinator, asker, food
):
    make_helper(make_member, [food], km_north=0.2)
    faraway = make_helper(make_member, [food], km_north=30)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    client.force_login(coordinator.user)

    for value in (faraway.pk, asker.pk, "abc", ""):
        response = client.post(url("proposal", pk=proposal.pk), {"helper": value})
        assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.review_state == ReviewState.PENDING


def test_a_proposal_no_longer_waiting_has_no_page(client, network, make_member, coordinator, food):
    (proposal,) = _proposals(network, make_member, coordinator, food, 1)
    client.force_login(coordinator.user)
    client.post(url("review"), {"release_one": proposal.pk})
    assert client.get(url("proposal", pk=proposal.pk)).status_code == 404


def test_members_and_facilitators_get_404_and_change_nothing(
    client, network, make_member, coordinator, member, facilitator, food
):
    (proposal,) = _proposals(network, make_member, coordinator, food, 1)
    for person in (member, facilitator):
        client.force_login(person.user)
        assert client.get(url("coordinate")).status_code == 404
        assert client.get(url("proposal", pk=proposal.pk)).status_code == 404
        assert client.post(url("run")).status_code == 404
        assert client.post(url("review"), {"release_one": proposal.pk}).status_code == 404
        assert (
            client.post(url("settings"), {"mode": "direct", "every_minutes": 5}).status_code == 404
        )
    proposal.refresh_from_db()
    assert proposal.review_state == ReviewState.PENDING
    assert MatchingRun.objects.count() == 1


def test_a_coordinator_of_another_network_gets_404(client, network, outsider):
    client.force_login(outsider.user)
    assert client.get(url("coordinate")).status_code == 404
    assert client.post(url("run")).status_code == 404


def test_admin_changes_settings_and_a_coordinator_may_not(
    client, network, coordinator, admin_member
):
    client.force_login(coordinator.user)
    page = client.get(url("coordinate")).content.decode()
    assert "An admin of the network chooses" in page
    assert client.post(url("settings"), {"mode": "direct", "every_minutes": 5}).status_code == 403

    client.force_login(admin_member.user)
    response = client.post(url("settings"), {"mode": "direct", "every_minutes": "15"})
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.matching_mode == MatchingMode.DIRECT and network.matching_every_minutes == 15

    for data in (
        {"mode": "sometimes", "every_minutes": 5},
        {"mode": "review", "every_minutes": -1},
        {"mode": "review"},
    ):
        response = client.post(url("settings"), data)
        assert response.status_code == 400
        assert "Nothing was saved" in response.content.decode()
    network.refresh_from_db()
    assert network.matching_mode == MatchingMode.DIRECT and network.matching_every_minutes == 15


def test_get_on_an_action_is_405(client, coordinator):
    client.force_login(coordinator.user)
    for name in ("run", "review", "settings"):
        assert client.get(url(name)).status_code == 405


def test_coordinator_page_makes_as_many_queries_for_many_proposals_as_for_few(
    client, network, make_member, coordinator, admin_member, food, django_assert_num_queries
):
    def grow(count: int) -> None:
        for n in range(count):
            make_helper(make_member, [food], km_north=0.5 * (n % 4), capacity=3)
            make_ask(place(make_member(), 0.3 * (n % 5)), food, f"Ask {n}")
        make_ask(make_member(), food, "Nowhere")  # one unmatched each time
        matching_run(network=network, by=coordinator)

    grow(2)
    client.force_login(admin_member.user)  # the admin also gets the settings form
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("coordinate")).status_code == 200
    grow(12)
    assert len(engine_proposals(network)) >= 12
    with django_assert_num_queries(len(few)):
        assert client.get(url("coordinate")).status_code == 200


def test_another_helper_page_makes_as_many_queries_for_many_helpers_as_for_few(
    client, network, make_member, coordinator, asker, food, django_assert_num_queries
):
    make_helper(make_member, [food], km_north=0.1)
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("proposal", pk=proposal.pk)).status_code == 200
    for n in range(10):
        make_helper(make_member, [food], km_north=0.2 * n)
    with django_assert_num_queries(len(few)):
        assert client.get(url("proposal", pk=proposal.pk)).status_code == 200


def test_out_of_range_numbers_are_a_400_never_a_500(
    client, network, make_member, coordinator, asker, food
):
    make_helper(make_member, [food], km_north=0.2)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    client.force_login(coordinator.user)
    huge = "99999999999999999999"
    assert client.post(url("proposal", pk=proposal.pk), {"helper": huge}).status_code == 400
    assert client.post(url("review"), {"bulk": "reject", "proposals": [huge]}).status_code == 400
    assert client.get(url("coordinate"), {"page": huge}).status_code == 200
    assert client.post(url("blocks"), {"member": huge}).status_code == 400
    assert client.post(url("blocks"), {"unblock": huge}).status_code == 400
    bad = {"travel_km": "NaN", "weekly_capacity": huge, "latitude": "Infinity", "longitude": "1"}
    assert client.post(url("preferences"), bad).status_code == 400
    proposal.refresh_from_db()
    assert proposal.review_state == ReviewState.PENDING
