"""A personal goal is changed and checked in by its member alone: not a facilitator who may
see it, not a member of the group it is shared with, not a coordinator. Group goals by the
group's facilitators alone. Whoever may not gets PermissionDenied and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied

from sameboat.goals.models import Goal, GoalCheckIn, GoalKind, GoalVisibility
from sameboat.goals.services import goal_check_in, goal_update


def test_nobody_but_the_member_checks_in_or_edits_their_goal(
    make_goal, confidential, insider, peer, counsellor, coordinator
) -> None:
    goal = make_goal(group=confidential, by=insider, visibility=GoalVisibility.GROUP)
    for other in (peer, counsellor, coordinator):
        with pytest.raises(PermissionDenied):
            goal_check_in(goal=goal, by=other, level=2)
        with pytest.raises(PermissionDenied):
            goal_update(goal=goal, by=other, fields={"title": "Theirs now"})
    assert not GoalCheckIn.objects.exists()
    assert Goal.objects.get().title == "Get out of the house"
    assert goal_check_in(goal=goal, by=insider, level=1).by == insider


def test_only_the_groups_facilitators_set_and_check_in_group_goals(
    make_goal, confidential, insider, counsellor, coordinator
) -> None:
    for other in (insider, coordinator):
        with pytest.raises(PermissionDenied):
            make_goal(group=confidential, by=other, kind=GoalKind.GROUP)
    goal = make_goal(group=confidential, by=counsellor, kind=GoalKind.GROUP, title="Meet weekly")
    assert goal.owner is None and goal.visibility == GoalVisibility.GROUP
    with pytest.raises(PermissionDenied):
        goal_check_in(goal=goal, by=insider, level=1)
    assert not GoalCheckIn.objects.exists()
    goal_check_in(goal=goal, by=counsellor, level=1)
    assert GoalCheckIn.objects.get().by == counsellor


def test_nobody_outside_the_group_sets_a_personal_goal_in_it(
    make_goal, confidential, coordinator, make_member
) -> None:
    for stranger in (coordinator, make_member()):
        with pytest.raises(PermissionDenied):
            make_goal(group=confidential, by=stranger)
    assert not Goal.objects.exists()
