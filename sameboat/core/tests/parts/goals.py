"""This app's objects in the permission-table scenario.

The scenario's confidential group gets a group goal and a personal goal of `author` (one of
its members) shared with the whole group, with a check-in. None of the visitors is in that
group: a member or facilitator of the network does not know the group exists (404); a
coordinator or admin knows it exists but is not in it, and goals are for a group's active
members (403). Coordinators never see anyone's goals. The visitors' own goals page is theirs
(200), empty here."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.goals.services import goal_check_in, goal_create

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ("goal",)


LEVELS = {
    -2: "Not going out at all",
    -1: "Out once a week",
    0: "Out three times a week",
    1: "Out most days",
    2: "Out every day",
}


def add(base: dict[str, Any]) -> dict[str, object]:
    group = base["confidential"]
    goal_create(
        group=group,
        by=base["counsellor"],
        kind=GoalKind.GROUP,
        title="Meet every week",
        levels=LEVELS,
    )
    personal = goal_create(
        group=group,
        by=base["author"],
        kind=GoalKind.PERSONAL,
        title="Get out of the house",
        levels=LEVELS,
        visibility=GoalVisibility.GROUP,
        set_on=timezone.localdate() - timedelta(days=7),
    )
    goal_check_in(goal=personal, by=base["author"], level=0)
    return {"goal_id": personal.pk, "goal": personal.pk}
