"""Every goals page and list makes as many queries with many goals, check-ins and members as
with a few: the T-scores are computed from goals fetched once, with their check-ins."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.goals.services import goal_check_in
from sameboat.groups.services import group_member_add

START = timezone.localdate() - timedelta(days=30)


def _grow(make_goal, group, counsellor, people, count: int) -> None:
    for n in range(count):
        group_goal = make_goal(
            group=group, by=counsellor, kind=GoalKind.GROUP, title=f"Group {n}", set_on=START
        )
        goal_check_in(goal=group_goal, by=counsellor, level=n % 5 - 2)
        for person in people:
            goal = make_goal(
                group=group,
                by=person,
                title=f"Goal {n}",
                visibility=list(GoalVisibility)[n % 3],
                set_on=START,
            )
            goal_check_in(goal=goal, by=person, level=1, on=START + timedelta(days=n))
            goal_check_in(goal=goal, by=person, level=2)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_goal_pages_and_api_do_not_grow_with_goals_and_members(
    make_goal, confidential, counsellor, insider, peer, make_member
) -> None:
    people = [insider, peer]
    # Three rounds, so each viewer already sees someone else's goal before the growth (that
    # reading is written to the audit log: one INSERT, then and after).
    _grow(make_goal, confidential, counsellor, people, 3)
    base = {"network": "riverside", "group_id": confidential.pk}
    api_base = f"/api/v1/networks/riverside/groups/{confidential.pk}/goals/"
    urls = [
        reverse("goals:mine", kwargs={"network": "riverside"}),
        reverse("goals:group", kwargs=base),
        reverse("goals:member", kwargs={**base, "member_id": insider.pk}),
    ]
    api_urls = [api_base, f"{api_base}t-scores/", "/api/v1/networks/riverside/my-goals/"]
    for viewer in (insider, counsellor):
        page, api = Client(), APIClient()
        page.force_login(viewer.user)
        api.force_authenticate(viewer.user)
        before = [_count(page, url) for url in urls] + [_count(api, url) for url in api_urls]
        newcomer = make_member()
        group_member_add(group=confidential, member=newcomer)
        people.append(newcomer)
        _grow(make_goal, confidential, counsellor, people, 6)
        after = [_count(page, url) for url in urls] + [_count(api, url) for url in api_urls]
        assert after == before, viewer


def test_a_goals_page_does_not_grow_with_its_check_ins(make_goal, confidential, insider):
    goal = make_goal(group=confidential, by=insider, set_on=START)
    goal_check_in(goal=goal, by=insider, level=0)
    client, api = Client(), APIClient()
    client.force_login(insider.user)
    api.force_authenticate(insider.user)
    url = reverse(
        "goals:detail",
        kwargs={"network": "riverside", "group_id": confidential.pk, "goal_id": goal.pk},
    )
    api_url = f"/api/v1/networks/riverside/groups/{confidential.pk}/goals/{goal.pk}/"
    few = (_count(client, url), _count(api, api_url), _count(api, f"{api_url}check-ins/"))
    for day in range(10):
        goal_check_in(goal=goal, by=insider, level=day % 5 - 2, on=START + timedelta(days=day))
    assert (_count(client, url), _count(api, api_url), _count(api, f"{api_url}check-ins/")) == few
