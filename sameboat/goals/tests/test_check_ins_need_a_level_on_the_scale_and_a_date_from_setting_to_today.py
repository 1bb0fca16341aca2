"""A check-in records a level from -2 to +2 on a day from the goal's setting to today, on an
active goal; anything else gets a clear message and nothing is written."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sameboat.goals.models import GoalCheckIn, GoalStatus
from sameboat.goals.services import goal_check_in, goal_update


@pytest.fixture
def goal(make_goal, confidential, insider):
    return make_goal(
        group=confidential, by=insider, set_on=timezone.localdate() - timedelta(days=10)
    )


def _fails(goal, insider, field: str, message: str, **kwargs) -> None:
    kwargs.setdefault("level", 1)
    with pytest.raises(ValidationError) as caught:
        goal_check_in(goal=goal, by=insider, **kwargs)
    assert message in " ".join(caught.value.message_dict[field]), caught.value.message_dict
    assert not GoalCheckIn.objects.exists()


@pytest.mark.parametrize("level", [3, -3, 10, True, 1.5, "1"])
def test_a_level_off_the_scale_is_refused(goal, insider, level) -> None:
    _fails(goal, insider, "level", "five levels", level=level)


def test_a_check_in_in_the_future_is_refused(goal, insider) -> None:
    _fails(goal, insider, "on", "future", on=timezone.localdate() + timedelta(days=1))


def test_a_check_in_before_the_goal_was_set_is_refused(goal, insider) -> None:
    _fails(goal, insider, "on", "before the goal was set", on=goal.set_on - timedelta(days=1))


def test_a_dropped_goal_takes_no_check_ins(goal, insider) -> None:
    goal_update(goal=goal, by=insider, fields={"status": GoalStatus.DROPPED})
    _fails(goal, insider, "non_field_errors", "only an active goal")


def test_a_good_check_in_is_recorded_with_who_made_it(goal, insider) -> None:
    row = goal_check_in(goal=goal, by=insider, level=0, note=" Went out twice ")
    assert (row.level, row.on, row.note, row.by) == (
        0,
        timezone.localdate(),
        "Went out twice",
        insider,
    )
    assert goal_check_in(goal=goal, by=insider, level=2, on=goal.set_on).on == goal.set_on
