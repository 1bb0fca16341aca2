"""In a network that reviews proposals, the two members see nothing of one until a
coordinator releases it; in a network that does not, they see it at once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sameboat.aid.models import MatchStatus, ReviewState
from sameboat.aid.selectors import (
    match_get,
    matches_for_post,
    matches_listed,
    matches_of,
    matches_visible,
    matches_waiting_on,
)
from sameboat.aid.services import match_accept, match_complete
from sameboat.ledger.models import Exchange
from sameboat.matching.services import matching_run, proposals_release
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    make_ask,
    make_asker,
    make_helper,
    set_mode,
)
from sameboat.networks.models import MatchingMode


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


def _proposed(network, make_member, coordinator, asker, food):
    helper = make_helper(make_member, [food], km_north=1)
    ask = make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    return helper, ask, proposal


def test_members_do_not_see_a_proposal_waiting_for_review(
    client, network, make_member, coordinator, asker, food
):
    helper, ask, proposal = _proposed(network, make_member, coordinator, asker, food)
    assert proposal.review_state == ReviewState.PENDING

    for side in (helper, asker):
        assert not matches_of(member=side).exists()
        assert not matches_waiting_on(member=side).exists()
        assert not matches_visible(network=network, viewer=side).exists()
        assert not matches_listed(network=network, viewer=side).exists()
        assert not matches_for_post(post=ask, viewer=side).exists()
        client.force_login(side.user)
        url = reverse("aid:match_detail", kwargs={"network": network.slug, "pk": proposal.pk})
        assert client.get(url).status_code == 404
        api = f"/api/v1/networks/{network.slug}/matches/"
        assert client.get(api).json()["count"] == 0
        assert client.get(f"{api}{proposal.pk}/").status_code == 404
        assert client.post(f"{api}{proposal.pk}/accept/").status_code == 404
        dashboard = client.get(reverse("networks:dashboard", kwargs={"network": network.slug}))
        assert "Nothing is waiting for you." in dashboard.content.decode()

    # Coordinators see it, on the ask and among all matches, to review it.
    assert matches_for_post(post=ask, viewer=coordinator).get() == proposal
    assert matches_visible(network=network, viewer=coordinator).get() == proposal
    assert match_get(network=network, viewer=coordinator, pk=proposal.pk) == proposal


def test_released_then_accepted_by_both_then_completed_as_any_match(
    client, network, make_member, coordinator, asker, food
):
    helper, ask, proposal = _proposed(network, make_member, coordinator, asker, food)

    proposals_release(network=network, by=coordinator, ids=[proposal.pk])

    for side in (helper, asker):
        assert list(matches_waiting_on(member=side)) == [proposal]
    client.force_login(asker.user)
    url = reverse("aid:match_detail", kwargs={"network": network.slug, "pk": proposal.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Accept" in page.content.decode()
    assert (
        client.post(
            reverse("aid:match_accept", kwargs={"network": network.slug, "pk": proposal.pk})
        ).status_code
        == 302
    )
    match = match_accept(match=proposal, by=helper)
    assert match.status == MatchStatus.ACCEPTED
    ask.refresh_from_db()
    assert ask.status == "matched"

    exchange = match_complete(match=match, by=helper, hours=Decimal("1.5"), key="done")
    match.refresh_from_db()
    assert match.status == MatchStatus.COMPLETED
    assert Exchange.objects.get() == exchange and exchange.amount == 150


def test_in_direct_mode_members_see_a_proposal_at_once(
    client, network, make_member, coordinator, asker, food
):
    set_mode(network, MatchingMode.DIRECT)
    helper, _ask, proposal = _proposed(network, make_member, coordinator, asker, food)

    assert proposal.review_state == ReviewState.RELEASED
    for side in (helper, asker):
        assert list(matches_waiting_on(member=side)) == [proposal]
    client.force_login(helper.user)
    url = reverse("aid:match_detail", kwargs={"network": network.slug, "pk": proposal.pk})
    assert client.get(url).status_code == 200


def test_a_member_who_coordinates_is_not_asked_to_accept_before_review(
    network, make_member, asker, food
):
    from sameboat import policy
    from sameboat.networks.models import Role

    coordinator = make_helper(make_member, [food], km_north=1, role=Role.COORDINATOR)
    make_ask(asker, food)
    matching_run(network=network, by=coordinator)
    (proposal,) = engine_proposals(network)
    assert proposal.helper == coordinator
    assert not matches_waiting_on(member=coordinator).exists()
    assert not policy.can_accept_match(coordinator, proposal)
    assert not policy.can_decline_match(coordinator, proposal)


def test_both_members_are_told_when_a_proposal_is_released_and_not_before(
    network, make_member, coordinator, asker, food, django_capture_on_commit_callbacks
):
    from sameboat.notifications.models import Notification, NotificationKind

    with django_capture_on_commit_callbacks(execute=True):
        helper, _ask, proposal = _proposed(network, make_member, coordinator, asker, food)
    assert not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        proposals_release(network=network, by=coordinator, ids=[proposal.pk])

    told = Notification.objects.filter(match=proposal, kind=NotificationKind.MATCH_PROPOSED)
    assert {n.user_id for n in told} == {helper.user_id, asker.user_id}


def test_in_direct_mode_both_members_are_told_at_once(
    network, make_member, coordinator, asker, food, django_capture_on_commit_callbacks
):
    from sameboat.notifications.models import Notification

    set_mode(network, MatchingMode.DIRECT)
    with django_capture_on_commit_callbacks(execute=True):
        helper, _ask, proposal = _proposed(network, make_member, coordinator, asker, food)
    told = Notification.objects.filter(match=proposal)
    assert {n.user_id for n in told} == {helper.user_id, asker.user_id}
