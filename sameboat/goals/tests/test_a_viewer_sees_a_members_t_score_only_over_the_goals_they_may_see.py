"""A member's T-score, as anyone else sees it, is computed over the goals that viewer may see,
and says over how many: hidden goals change nothing anyone else is shown. The mean of the
members' T-scores is made of those same scores, so it hides nothing either."""

import math

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.goals import gas
from sameboat.goals.models import GoalVisibility
from sameboat.goals.services import goal_check_in


@pytest.fixture
def goals(make_goal, confidential, insider, peer):
    hidden = make_goal(group=confidential, by=insider, title="Secret goal")
    for_facilitators = make_goal(
        group=confidential,
        by=insider,
        title="Facilitators goal",
        visibility=GoalVisibility.FACILITATORS,
    )
    shared = make_goal(
        group=confidential, by=insider, title="Shared goal", visibility=GoalVisibility.GROUP
    )
    goal_check_in(goal=hidden, by=insider, level=2)
    goal_check_in(goal=for_facilitators, by=insider, level=-2)
    goal_check_in(goal=shared, by=insider, level=1)
    peer_goal = make_goal(
        group=confidential, by=peer, title="Peer goal", visibility=GoalVisibility.GROUP
    )
    goal_check_in(goal=peer_goal, by=peer, level=-1)
    return hidden, for_facilitators, shared


EXPECTED = {
    "insider": (gas.t_score([(2, 1), (-2, 1), (1, 1)]), 3),
    "counsellor": (gas.t_score([(-2, 1), (1, 1)]), 2),
    "peer": (gas.t_score([(1, 1)]), 1),
}


def _t_scores(viewer, group) -> dict:
    api = APIClient()
    api.force_authenticate(viewer.user)
    return api.get(f"/api/v1/networks/riverside/groups/{group.pk}/goals/t-scores/").json()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_viewer_gets_the_score_over_the_goals_they_see(
    goals, confidential, insider, counsellor, peer, name
) -> None:
    viewer = {"insider": insider, "counsellor": counsellor, "peer": peer}[name]
    t, count = EXPECTED[name]
    body = _t_scores(viewer, confidential)
    row = next(row for row in body["members"] if row["member"]["id"] == insider.pk)
    assert math.isclose(row["t_score"], t)
    assert row["goal_count"] == count

    client = Client()
    client.force_login(viewer.user)
    url = reverse(
        "goals:member",
        kwargs={"network": "riverside", "group_id": confidential.pk, "member_id": insider.pk},
    )
    page = client.get(url).content.decode()
    assert f"T-score: {t:.1f}" in page
    if viewer != insider:
        assert f"over the {count} goal" in page
        assert "Secret goal" not in page
    if viewer == peer:
        assert "Facilitators goal" not in page


def test_the_mean_is_of_the_scores_each_viewer_sees(goals, confidential, peer, counsellor):
    for viewer in (peer, counsellor):
        body = _t_scores(viewer, confidential)
        scores = [row["t_score"] for row in body["members"]]
        assert math.isclose(body["members_mean"]["t_score"], sum(scores) / len(scores))
        assert body["members_mean"]["member_count"] == 2
    assert body["members_mean"]["goal_count"] == 3  # the counsellor: two of Ines's, one of Pat's


def test_the_group_page_never_names_a_goal_hidden_from_the_viewer(goals, confidential, peer):
    client = Client()
    client.force_login(peer.user)
    page = client.get(
        reverse("goals:group", kwargs={"network": "riverside", "group_id": confidential.pk})
    ).content.decode()
    assert "Shared goal" in page
    assert "Secret goal" not in page and "Facilitators goal" not in page
