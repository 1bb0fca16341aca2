"""When a member leaves a group, nobody else sees their personal goals any more, whatever
they chose before; they still see them on their own goals page, but cannot change them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sameboat import policy
from sameboat.goals import selectors
from sameboat.goals.models import GoalVisibility
from sameboat.goals.services import goal_check_in
from sameboat.groups.selectors import membership_of
from sameboat.groups.services import group_leave


def test_a_leavers_goals_drop_out_of_everyone_elses_view(
    make_goal, confidential, insider, peer, counsellor
) -> None:
    goal = make_goal(group=confidential, by=insider, visibility=GoalVisibility.GROUP)
    group_leave(membership=membership_of(group=confidential, member=insider))
    for other in (peer, counsellor):
        membership = membership_of(group=confidential, member=other)
        assert not selectors.goals_visible(
            group=confidential, viewer=other, membership=membership
        ).exists()
        fetched = selectors.goal_get(group=confidential, pk=goal.pk)
        assert not policy.can_see_goal(
            other, confidential, membership, fetched, owner_belongs=selectors.owner_belongs(fetched)
        )
    with pytest.raises(PermissionDenied):
        goal_check_in(goal=goal, by=insider, level=1)

    client = Client()
    client.force_login(insider.user)
    page = client.get(reverse("goals:mine", kwargs={"network": "riverside"}))
    assert page.status_code == 200
    assert "Get out of the house" in page.content.decode()
    assert "You have left this group" in page.content.decode()
    url = reverse(
        "goals:detail",
        kwargs={"network": "riverside", "group_id": confidential.pk, "goal_id": goal.pk},
    )
    assert client.get(url).status_code == 404  # a confidential group they left is closed
