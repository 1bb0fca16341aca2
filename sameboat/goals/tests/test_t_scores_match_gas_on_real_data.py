"""The T-scores on the pages and in the API are `gas.t_score` of the goals' current levels and
weights, for the group's goals and for each member's, computed from what is in the database;
a dropped goal does not count."""

import math
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.goals import gas, selectors
from sameboat.goals.models import GoalKind, GoalStatus, GoalVisibility
from sameboat.goals.services import goal_check_in, goal_update
from sameboat.groups.selectors import membership_of


def test_scores_are_gas_t_scores_of_the_levels_now(
    make_goal, confidential, insider, counsellor
) -> None:
    start = timezone.localdate() - timedelta(days=20)
    walk = make_goal(group=confidential, by=insider, weight="2", baseline=-2, set_on=start)
    sleep = make_goal(group=confidential, by=insider, title="Sleep", weight="1", set_on=start)
    talk = make_goal(group=confidential, by=insider, title="Call a friend", weight="0.5")
    dropped = make_goal(group=confidential, by=insider, title="Run", weight="3")
    goal_check_in(goal=walk, by=insider, level=0, on=start + timedelta(days=5))
    goal_check_in(goal=sleep, by=insider, level=1, on=start + timedelta(days=6))
    goal_check_in(goal=walk, by=insider, level=2, on=start + timedelta(days=7))
    goal_check_in(goal=dropped, by=insider, level=-2)
    goal_update(goal=dropped, by=insider, fields={"status": GoalStatus.DROPPED})
    expected = gas.t_score([(2, 2.0), (1, 1.0), (-1, 0.5)])

    membership = membership_of(group=confidential, member=insider)
    goals = list(selectors.goals_visible(group=confidential, viewer=insider, membership=membership))
    scored = selectors.score_goals(goals)
    assert math.isclose(scored.t_score or 0, expected)
    assert scored.goal_count == 3  # the dropped goal is listed, not counted
    assert len(scored.rows) == 4
    # The history: the two goals set on `start`, three check-ins, the two set today.
    assert [round(p.t_score, 6) for p in scored.history] == [
        round(t, 6)
        for t in (
            gas.t_score([(-2, 2.0)]),
            gas.t_score([(-2, 2.0), (-1, 1.0)]),
            gas.t_score([(0, 2.0), (-1, 1.0)]),
            gas.t_score([(0, 2.0), (1, 1.0)]),
            gas.t_score([(2, 2.0), (1, 1.0)]),
            gas.t_score([(2, 2.0), (1, 1.0), (-1, 0.5)]),
        )
    ]
    assert talk.pk == scored.history[-1].goal.pk

    client = Client()
    client.force_login(insider.user)
    page = client.get(
        reverse("goals:group", kwargs={"network": "riverside", "group_id": confidential.pk})
    ).content.decode()
    assert f"T-score: {expected:.1f}" in page

    api = APIClient()
    api.force_authenticate(insider.user)
    body = api.get(f"/api/v1/networks/riverside/groups/{confidential.pk}/goals/t-scores/").json()
    (mine,) = body["members"]
    assert math.isclose(mine["t_score"], expected)
    assert mine["goal_count"] == 3
    assert body["group"] == {"t_score": None, "goal_count": 0, "history": []}
    assert "50" in body["meaning"]


def test_the_groups_score_is_over_its_group_goals(make_goal, confidential, counsellor, peer):
    meet = make_goal(group=confidential, by=counsellor, kind=GoalKind.GROUP, title="Meet")
    share = make_goal(
        group=confidential, by=counsellor, kind=GoalKind.GROUP, title="Share", weight="3"
    )
    goal_check_in(goal=meet, by=counsellor, level=1)
    goal_check_in(goal=share, by=counsellor, level=-2)
    make_goal(group=confidential, by=peer, visibility=GoalVisibility.GROUP)  # not a group goal
    api = APIClient()
    api.force_authenticate(peer.user)
    body = api.get(f"/api/v1/networks/riverside/groups/{confidential.pk}/goals/t-scores/").json()
    assert math.isclose(body["group"]["t_score"], gas.t_score([(1, 1.0), (-2, 3.0)]))
    assert body["group"]["goal_count"] == 2
    assert [point["event"] for point in body["group"]["history"]] == [
        "set",
        "set",
        "check_in",
        "check_in",
    ]
