"""The goal pages: a member sets a personal goal with its five levels, edits it and checks it
in; a facilitator sets a group goal; bad input is a 400 with the message beside the field, and
nothing is written."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sameboat.goals.models import Goal, GoalCheckIn, GoalKind, GoalVisibility

from .conftest import LEVELS

FIELDS = {
    "level_minus_2": LEVELS[-2],
    "level_minus_1": LEVELS[-1],
    "level_0": LEVELS[0],
    "level_plus_1": LEVELS[1],
    "level_plus_2": LEVELS[2],
}


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _url(name: str, group, **kwargs) -> str:
    return reverse(f"goals:{name}", kwargs={"network": "riverside", "group_id": group.pk, **kwargs})


def _form(**overrides) -> dict:
    return {
        "title": "Get out of the house",
        **FIELDS,
        "baseline": "-1",
        "weight": "1",
        "visibility": GoalVisibility.FACILITATORS,
        "set_on": timezone.localdate().isoformat(),
        **overrides,
    }


def test_a_member_sets_edits_and_checks_in_a_personal_goal(confidential, insider) -> None:
    client = _client(insider)
    assert client.get(_url("create_personal", confidential)).status_code == 200
    response = client.post(_url("create_personal", confidential), _form())
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", confidential, goal_id=goal.pk)
    assert (goal.kind, goal.owner, goal.visibility) == (
        GoalKind.PERSONAL,
        insider,
        GoalVisibility.FACILITATORS,
    )
    detail = client.get(response["Location"]).content.decode()
    assert LEVELS[2] in detail and "Record the check-in" in detail

    edit_url = _url("edit", confidential, goal_id=goal.pk)
    assert client.get(edit_url).status_code == 200
    edit = _form(title="Out and about", weight="2", status="active")
    del edit["set_on"]
    assert client.post(edit_url, edit).status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.weight) == ("Out and about", Decimal("2.00"))

    check_in = _url("check_in", confidential, goal_id=goal.pk)
    today = timezone.localdate().isoformat()
    assert (
        client.post(check_in, {"level": "1", "on": today, "note": "Good week"}).status_code == 302
    )
    assert GoalCheckIn.objects.get().level == 1
    page = client.get(_url("detail", confidential, goal_id=goal.pk)).content.decode()
    assert "Good week" in page

    # Once checked in, the edit form shows the scale but does not take it.
    locked = client.get(edit_url).content.decode()
    assert "disabled" in locked
    assert client.post(edit_url, {**edit, "weight": "5", "level_0": "Changed"}).status_code == 302
    goal.refresh_from_db()
    assert (goal.weight, goal.level_0) == (Decimal("2.00"), LEVELS[0])


def test_bad_input_on_the_pages_is_a_400_that_writes_nothing(confidential, insider) -> None:
    client = _client(insider)
    url = _url("create_personal", confidential)
    for overrides, message in (
        ({"level_plus_2": ""}, "Describe this level too"),
        ({"weight": "0"}, "above 0"),
        ({"weight": "-1"}, "above 0"),
        ({"baseline": "3"}, "valid choice"),
        ({"title": ""}, "Say in a few words"),
        ({"visibility": "everyone"}, "valid choice"),
    ):
        response = client.post(url, _form(**overrides))
        assert response.status_code == 400, overrides
        assert message in response.content.decode(), overrides
        assert "Nothing was saved" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_bad_check_in_is_a_400_that_writes_nothing(make_goal, confidential, insider) -> None:
    goal = make_goal(group=confidential, by=insider)
    client = _client(insider)
    url = _url("check_in", confidential, goal_id=goal.pk)
    today = timezone.localdate().isoformat()
    for data in (
        {"level": "3", "on": today},
        {"level": "", "on": today},
        {"level": "1", "on": "2999-01-01"},
    ):
        assert client.post(url, data).status_code == 400
    assert not GoalCheckIn.objects.exists()


def test_a_facilitator_sets_a_group_goal_and_a_member_cannot(confidential, counsellor, insider):
    url = _url("create_group", confidential)
    assert _client(insider).get(url).status_code == 403
    assert _client(insider).post(url, _form()).status_code == 403
    assert not Goal.objects.exists()
    response = _client(counsellor).post(url, _form(visibility=""))
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.kind, goal.owner, goal.visibility) == (GoalKind.GROUP, None, GoalVisibility.GROUP)
    # Every member of the group sees it on the group's goals page.
    page = _client(insider).get(_url("group", confidential)).content.decode()
    assert "Get out of the house" in page
