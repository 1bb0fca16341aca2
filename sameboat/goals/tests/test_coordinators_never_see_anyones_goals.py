"""A coordinator's or admin's role opens no goals: not of a confidential group (which they
know exists, but nothing inside it: 404), not of an open group (403), not through the API.
Someone who is not told a confidential group exists gets 404 for every page of its goals."""

import pytest
from django.test import Client
from django.urls import reverse

from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.groups.services import group_member_add


@pytest.fixture
def shared_goals(make_goal, confidential, open_group, insider, counsellor, make_member):
    olu = make_member(display_name="Olu")
    group_member_add(group=open_group, member=olu)
    return {
        confidential: make_goal(group=confidential, by=insider, visibility=GoalVisibility.GROUP),
        open_group: make_goal(
            group=open_group, by=counsellor, kind=GoalKind.GROUP, title="Cook weekly"
        ),
    }, olu


def _statuses(member, group, goal, owner_id) -> set[int]:
    client = Client()
    client.force_login(member.user)
    base = {"network": "riverside", "group_id": group.pk}
    urls = [
        reverse("goals:group", kwargs=base),
        reverse("goals:create_personal", kwargs=base),
        reverse("goals:detail", kwargs={**base, "goal_id": goal.pk}),
        reverse("goals:member", kwargs={**base, "member_id": owner_id}),
        f"/api/v1/networks/riverside/groups/{group.pk}/goals/t-scores/",
    ]
    return {client.get(url).status_code for url in urls}


def test_coordinators_and_admins_get_403_for_every_goal_page(
    shared_goals, confidential, open_group, insider, coordinator, admin_member
) -> None:
    goals, olu = shared_goals
    for viewer in (coordinator, admin_member):
        assert _statuses(viewer, confidential, goals[confidential], insider.pk) == {404}
        assert _statuses(viewer, open_group, goals[open_group], olu.pk) == {403}


def test_a_member_not_told_of_a_confidential_group_gets_404(
    shared_goals, confidential, insider, member, facilitator
) -> None:
    goals, _olu = shared_goals
    for viewer in (member, facilitator):
        assert _statuses(viewer, confidential, goals[confidential], insider.pk) == {404}


def test_the_coordinators_own_goals_page_shows_nothing_of_others(shared_goals, coordinator) -> None:
    client = Client()
    client.force_login(coordinator.user)
    page = client.get(reverse("goals:mine", kwargs={"network": "riverside"})).content.decode()
    assert "Get out of the house" not in page and "Cook weekly" not in page
    assert "You have no personal goals yet." in page
