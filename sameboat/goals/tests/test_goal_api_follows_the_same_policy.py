"""The goals API: the same policy and the same rules as the pages. Goals are listed, set,
read and changed; check-ins listed and made; bad input is a 400 with the field at fault and
nothing written; a group you may not know of is 404, one you are not in 403."""

import pytest
from rest_framework.test import APIClient

from sameboat.goals.models import Goal, GoalCheckIn, GoalKind, GoalVisibility
from sameboat.goals.services import goal_check_in
from sameboat.groups.selectors import membership_of
from sameboat.groups.services import group_leave

from .conftest import LEVELS

LEVEL_LIST = [{"level": level, "description": text} for level, text in LEVELS.items()]


def _api(member=None) -> APIClient:
    client = APIClient()
    if member is not None:
        client.force_authenticate(member.user)
    return client


def _base(group) -> str:
    return f"/api/v1/networks/riverside/groups/{group.pk}/goals/"


def _body(**overrides) -> dict:
    return {"kind": "personal", "title": "Walk", "levels": LEVEL_LIST, **overrides}


def test_a_member_sets_reads_changes_and_checks_in_a_goal(confidential, insider) -> None:
    api = _api(insider)
    created = api.post(_base(confidential), _body(weight="1.5", baseline=-2), format="json")
    assert created.status_code == 201, created.json()
    goal = created.json()
    assert goal["kind"] == "personal" and goal["owner"]["id"] == insider.pk
    assert goal["visibility"] == "only_me"  # the safest choice unless the member chooses
    assert goal["weight"] == "1.50" and goal["level_now"] == -2
    assert [level["description"] for level in goal["levels"]] == list(LEVELS.values())
    one = f"{_base(confidential)}{goal['id']}/"
    assert api.get(one).json()["title"] == "Walk"

    changed = api.patch(one, {"title": "Walk more", "visibility": "group"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["visibility"] == "group"

    check_ins = f"{one}check-ins/"
    made = api.post(check_ins, {"level": 1, "note": "Twice"}, format="json")
    assert made.status_code == 201
    assert made.json()["by"]["id"] == insider.pk
    assert api.get(check_ins).json()["results"][0]["level"] == 1
    assert api.get(one).json()["level_now"] == 1
    assert api.get(one).json()["check_in_count"] == 1

    # The scale is fixed now.
    refused = api.patch(one, {"weight": "3"}, format="json")
    assert refused.status_code == 400
    assert "weight" in refused.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"levels": LEVEL_LIST[:4]}, "levels"),
        ({"levels": [*LEVEL_LIST[:4], {"level": 1, "description": "Twice"}]}, "levels"),
        ({"levels": [*LEVEL_LIST[:4], {"level": 2, "description": ""}]}, "levels"),
        ({"levels": [*LEVEL_LIST[:4], {"level": 3, "description": "Beyond"}]}, "levels"),
        ({"weight": "0"}, "weight"),
        ({"weight": "-2"}, "weight"),
        ({"baseline": 3}, "baseline"),
        ({"visibility": "everyone"}, "visibility"),
        ({"kind": "team"}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_that_writes_nothing(confidential, insider, overrides, field) -> None:
    response = _api(insider).post(_base(confidential), _body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Goal.objects.exists()


@pytest.mark.parametrize("level", [3, -3, "high", None, 1.5])
def test_a_check_in_off_the_scale_is_a_400(make_goal, confidential, insider, level) -> None:
    goal = make_goal(group=confidential, by=insider)
    url = f"{_base(confidential)}{goal.pk}/check-ins/"
    response = _api(insider).post(url, {"level": level}, format="json")
    assert response.status_code == 400
    assert "level" in response.json()
    assert not GoalCheckIn.objects.exists()


def test_group_goals_are_the_facilitators_to_set(confidential, counsellor, insider) -> None:
    body = _body(kind="group", visibility="only_me")
    assert _api(insider).post(_base(confidential), body, format="json").status_code == 403
    created = _api(counsellor).post(_base(confidential), body, format="json")
    assert created.status_code == 201
    assert created.json()["visibility"] == "group" and created.json()["owner"] is None
    assert Goal.objects.get().kind == GoalKind.GROUP


def test_the_list_holds_what_the_caller_may_see(
    make_goal, confidential, counsellor, insider, peer
) -> None:
    make_goal(group=confidential, by=counsellor, kind=GoalKind.GROUP, title="Meet")
    make_goal(group=confidential, by=insider, title="Mine alone")
    make_goal(group=confidential, by=insider, title="Ours", visibility=GoalVisibility.GROUP)

    def titles(member, query: str = "") -> set[str]:
        results = _api(member).get(_base(confidential) + query).json()["results"]
        return {row["title"] for row in results}

    assert titles(insider) == {"Meet", "Mine alone", "Ours"}
    assert titles(peer) == {"Meet", "Ours"}
    assert titles(peer, "?kind=personal") == {"Ours"}
    assert _api(peer).get(_base(confidential) + "?kind=nope").status_code == 400


def test_statuses_for_those_outside_the_group(
    make_goal, confidential, open_group, insider, member, coordinator, outsider
) -> None:
    goal = make_goal(group=confidential, by=insider, visibility=GoalVisibility.GROUP)
    for path in ("", f"{goal.pk}/", f"{goal.pk}/check-ins/", "t-scores/"):
        url = _base(confidential) + path
        assert _api().get(url).status_code == 401
        assert _api(outsider).get(url).status_code == 404
        assert _api(member).get(url).status_code == 404
        assert _api(coordinator).get(url).status_code == 404
    # An open group is open to the network; its goals are for its members.
    assert _api(member).get(_base(open_group)).status_code == 403
    assert _api(member).post(_base(open_group), _body(), format="json").status_code == 403
    assert not Goal.objects.filter(group=open_group).exists()


def test_my_goals_across_groups_include_those_of_groups_left(
    make_goal, confidential, open_group, insider
) -> None:
    from sameboat.groups.services import group_member_add

    group_member_add(group=open_group, member=insider)
    make_goal(group=confidential, by=insider, title="Recovery goal")
    food = make_goal(group=open_group, by=insider, title="Food goal")
    goal_check_in(goal=food, by=insider, level=2)
    group_leave(membership=membership_of(group=confidential, member=insider))
    rows = _api(insider).get("/api/v1/networks/riverside/my-goals/").json()["results"]
    assert [(row["group"]["name"], row["title"], row["level_now"]) for row in rows] == [
        ("Food circle", "Food goal", 2),
        ("Recovery circle", "Recovery goal", -1),
    ]
