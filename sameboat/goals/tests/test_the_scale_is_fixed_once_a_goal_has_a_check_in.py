"""A goal's levels, baseline and weight can change until its first check-in, and not after:
the check-ins were scored on that scale. Its title, visibility and status still can."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sameboat.goals.models import Goal, GoalStatus, GoalVisibility
from sameboat.goals.services import goal_check_in, goal_update


def test_the_scale_changes_before_the_first_check_in_only(make_goal, confidential, insider):
    goal = make_goal(group=confidential, by=insider)
    goal_update(goal=goal, by=insider, fields={"weight": "2", "level_0": "Out four times"})
    goal.refresh_from_db()
    assert (goal.weight, goal.level_0) == (Decimal("2.00"), "Out four times")

    goal_check_in(goal=goal, by=insider, level=0)
    for fields in ({"weight": "3"}, {"baseline": 0}, {"level_plus_2": "Something else"}):
        with pytest.raises(ValidationError, match="cannot change once the goal has a check-in"):
            goal_update(goal=goal, by=insider, fields=fields)
    # Sending the scale unchanged is no change.
    goal_update(goal=goal, by=insider, fields={"weight": "2.00", "baseline": -1})
    updated = goal_update(
        goal=goal,
        by=insider,
        fields={"title": "Out and about", "visibility": GoalVisibility.GROUP},
    )
    assert updated.title == "Out and about"
    fresh = Goal.objects.get()
    assert (fresh.weight, fresh.baseline, fresh.level_0) == (Decimal("2.00"), -1, "Out four times")
    assert fresh.visibility == GoalVisibility.GROUP


def test_bad_changes_are_refused_with_nothing_written(make_goal, confidential, insider):
    goal = make_goal(group=confidential, by=insider)
    for fields, field in (
        ({"weight": "0", "title": "New"}, "weight"),
        ({"level_minus_2": ""}, "level_minus_2"),
        ({"status": "finished"}, "status"),
        ({"visibility": "everyone"}, "visibility"),
        ({"owner": 5}, "non_field_errors"),
    ):
        with pytest.raises(ValidationError) as caught:
            goal_update(goal=goal, by=insider, fields=fields)
        assert field in caught.value.message_dict
    fresh = Goal.objects.get()
    assert (fresh.title, fresh.weight, fresh.status) == (
        "Get out of the house",
        Decimal("1.00"),
        GoalStatus.ACTIVE,
    )
