"""The matching API: run it, read its runs, list the proposals with their reasons, release or
reject one. Coordinators and admins only: 403 for members, 404 for outsiders, 401 for the
anonymous."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from sameboat.aid.models import MatchStatus, ReviewState
from sameboat.matching.models import DeclinedPair, MatchingRun, RunStatus
from sameboat.matching.services import matching_run
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    make_ask,
    make_asker,
    make_helper,
    run_tasks_at_once,
)

BASE = "/api/v1/networks/riverside/matching"


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


@pytest.fixture
def immediate_tasks(settings):
    run_tasks_at_once(settings)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def proposal(network, make_member, coordinator, asker, food):
    make_helper(make_member, [food], km_north=1, display_name="Bongani")
    make_ask(asker, food, "Groceries for Amina")
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    return proposal


def visitors(request: pytest.FixtureRequest) -> dict[str, Any]:
    names = ("outsider", "member", "facilitator", "coordinator", "admin_member")
    return {"anonymous": None, **{name: request.getfixturevalue(name) for name in names}}


EXPECTED_GET = {
    "anonymous": 401,
    "outsider": 404,
    "member": 403,
    "facilitator": 403,
    "coordinator": 200,
    "admin_member": 200,
}


@pytest.mark.parametrize("path", ["runs/", "runs/{run}/", "proposals/"])
def test_reading_answers_each_role(api, request, proposal, path):
    run = MatchingRun.objects.get()
    for name, person in visitors(request).items():
        api.force_authenticate(person.user if person else None)
        response = api.get(f"{BASE}/{path.format(run=run.pk)}")
        assert response.status_code == EXPECTED_GET[name], (name, path)


@pytest.mark.parametrize("action", ["release", "reject"])
def test_reviewing_answers_each_role_and_only_coordinators_change_anything(
    api, request, proposal, action
):
    expected = {**EXPECTED_GET, "admin_member": 404}  # the coordinator already answered it
    for name, person in visitors(request).items():
        api.force_authenticate(person.user if person else None)
        response = api.post(f"{BASE}/proposals/{proposal.pk}/{action}/")
        assert response.status_code == expected[name], name
        if name in ("anonymous", "outsider", "member", "facilitator"):
            proposal.refresh_from_db()
            assert proposal.review_state == ReviewState.PENDING


def test_running_answers_each_role(api, request, network, immediate_tasks):
    expected = {**EXPECTED_GET, "coordinator": 201, "admin_member": 201}
    for name, person in visitors(request).items():
        api.force_authenticate(person.user if person else None)
        assert api.post(f"{BASE}/runs/").status_code == expected[name], name
    assert MatchingRun.objects.count() == 2


def test_run_now_returns_the_finished_run(
    api, coordinator, asker, food, make_member, immediate_tasks
):
    make_helper(make_member, [food], km_north=1)
    make_ask(asker, food)
    api.force_authenticate(coordinator.user)

    response = api.post(f"{BASE}/runs/")

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == RunStatus.SUCCEEDED and data["trigger"] == "person"
    assert data["started_by"]["display_name"] == "Carmen"
    assert data["stats"]["proposed"] == 1 and data["error"] == ""
    assert api.get(f"{BASE}/runs/{data['id']}/").json() == data
    assert api.get(f"{BASE}/runs/").json()["results"] == [data]


def test_run_now_with_the_database_worker_is_202_queued(api, coordinator):
    api.force_authenticate(coordinator.user)
    response = api.post(f"{BASE}/runs/")
    assert response.status_code == 202 and response.json()["status"] == RunStatus.QUEUED


def test_proposals_list_their_reasons(api, coordinator, proposal):
    api.force_authenticate(coordinator.user)
    (item,) = api.get(f"{BASE}/proposals/").json()["results"]
    assert item["id"] == proposal.pk
    assert item["ask"]["title"] == "Groceries for Amina" and item["ask"]["urgency"] == 2
    assert item["helper"]["display_name"] == "Bongani"
    assert item["receiver"]["display_name"] == "Amina"
    assert "1.1 km away" in item["reasons"] and "1.1 km away" in item["reason_codes"]
    assert 1.0 < item["distance_km"] < 1.2 and item["days_waiting"] >= 0
    assert item["run"] == proposal.run_id


def test_each_reason_the_engine_gives_is_said_again_through_the_translations():
    from sameboat.matching.selectors import reason_text

    phrases = {
        "less than 100 m away": "less than 100 m away",
        "1.1 km away": "1.1 km away",
        "both speak Somali and English": "both speak Somali and English",
        "can help with this kind of help": "can help with this kind of help",
        "can help with food": "can help with food",
        "has an open offer for it": "has an open offer for it",
        "can offer step-free access": "can offer step-free access",
        "available when it is needed": "available when it is needed",
        "urgent: today": "urgent: needed today",
        "needed in the next day or two": "needed in the next day or two",
        "waiting 1 day": "waiting 1 day",
        "waiting 3 days": "waiting 3 days",
        "has room: 1 of 2 matches free this week": "has room: 1 of 2 matches free this week",
        "has room: 1 of 1 matches free this week": "has room: 1 of 1 match free this week",
        "a phrase of a newer engine": "a phrase of a newer engine",
    }
    assert {phrase: str(reason_text(phrase)) for phrase in phrases} == phrases


def test_release_then_the_proposal_leaves_the_queue(api, coordinator, proposal):
    api.force_authenticate(coordinator.user)
    response = api.post(f"{BASE}/proposals/{proposal.pk}/release/")
    assert response.status_code == 200 and response.json()["id"] == proposal.pk
    proposal.refresh_from_db()
    assert proposal.review_state == ReviewState.RELEASED
    assert api.get(f"{BASE}/proposals/").json()["count"] == 0
    assert api.post(f"{BASE}/proposals/{proposal.pk}/release/").status_code == 404


def test_reject_records_the_declined_pair(api, coordinator, proposal):
    api.force_authenticate(coordinator.user)
    assert api.post(f"{BASE}/proposals/{proposal.pk}/reject/").status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.CANCELLED
    assert DeclinedPair.objects.filter(ask=proposal.ask, helper=proposal.helper).exists()


def test_an_unknown_or_foreign_id_is_404(api, coordinator, proposal, other_network, outsider):
    api.force_authenticate(coordinator.user)
    assert api.post(f"{BASE}/proposals/999999/release/").status_code == 404
    assert api.get(f"{BASE}/runs/999999/").status_code == 404
    foreign = matching_run(network=other_network, by=outsider)
    assert api.get(f"{BASE}/runs/{foreign.pk}/").status_code == 404


def test_proposals_list_makes_as_many_queries_for_many_as_for_few(
    api, network, make_member, coordinator, food, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sameboat.aid.services import PostFields, offer_create
    from sameboat.matching.tests.product_fixtures import place

    def grow(count: int) -> None:
        for n in range(count):
            helper = make_helper(make_member, [food], km_north=0.3 * n, capacity=3)
            offer_create(member=helper, fields=PostFields(category=food, title=f"Offer {n}"))
            make_ask(place(make_member(), 0.2 * n), food, f"Ask {n}")
        matching_run(network=network, by=coordinator)

    grow(2)
    api.force_authenticate(coordinator.user)
    with CaptureQueriesContext(connection) as few:
        assert api.get(f"{BASE}/proposals/").status_code == 200
    grow(10)
    with django_assert_num_queries(len(few)):
        results = api.get(f"{BASE}/proposals/").json()["results"]
    assert len(results) >= 10 and all(item["offer"] for item in results)
