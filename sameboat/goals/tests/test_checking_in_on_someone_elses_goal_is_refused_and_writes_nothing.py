"""Checking in on, or editing, someone else's personal goal is refused: 403 when the goal is
shared with you, 404 when it is not (you do not learn it exists); nothing is written. The
same through the API."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.goals.models import Goal, GoalCheckIn, GoalVisibility


@pytest.fixture
def goals(make_goal, confidential, insider):
    return {
        visibility: make_goal(group=confidential, by=insider, visibility=visibility)
        for visibility in GoalVisibility
    }


def _page_status(member, group, goal, name: str, data=None) -> int:
    client = Client()
    client.force_login(member.user)
    url = reverse(
        f"goals:{name}",
        kwargs={"network": "riverside", "group_id": group.pk, "goal_id": goal.pk},
    )
    return client.post(url, data or {}).status_code


def _api_status(member, group, goal, path: str, data) -> int:
    api = APIClient()
    api.force_authenticate(member.user)
    url = f"/api/v1/networks/riverside/groups/{group.pk}/goals/{goal.pk}/{path}"
    if path:
        return api.post(url, data, format="json").status_code
    return api.patch(url, data, format="json").status_code


@pytest.mark.parametrize(
    ("who", "visibility", "expected"),
    [
        ("peer", GoalVisibility.ONLY_ME, 404),
        ("peer", GoalVisibility.FACILITATORS, 404),
        ("peer", GoalVisibility.GROUP, 403),
        ("counsellor", GoalVisibility.ONLY_ME, 404),
        ("counsellor", GoalVisibility.FACILITATORS, 403),
        ("counsellor", GoalVisibility.GROUP, 403),
        ("coordinator", GoalVisibility.GROUP, 404),  # not in the confidential group: nothing inside
        ("member", GoalVisibility.GROUP, 404),  # does not know the group exists
    ],
)
def test_someone_elses_goal_cannot_be_checked_in_or_edited(
    goals, confidential, peer, counsellor, coordinator, member, who, visibility, expected
) -> None:
    other = {"peer": peer, "counsellor": counsellor, "coordinator": coordinator, "member": member}[
        who
    ]
    goal = goals[visibility]
    today = timezone.localdate().isoformat()
    assert (
        _page_status(other, confidential, goal, "check_in", {"level": "2", "on": today}) == expected
    )
    assert _page_status(other, confidential, goal, "edit", {"title": "Mine now"}) == expected
    assert _api_status(other, confidential, goal, "check-ins/", {"level": 2}) == expected
    assert _api_status(other, confidential, goal, "", {"title": "Mine now"}) == expected
    assert not GoalCheckIn.objects.exists()
    # Titles are encrypted at rest: compared here, not by the database.
    assert {g.title for g in Goal.objects.all()} == {"Get out of the house"}
