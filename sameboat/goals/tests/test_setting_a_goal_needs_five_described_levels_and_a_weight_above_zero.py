"""Bad input when setting a goal gets a clear message on the field at fault, and nothing is
written: four levels, a level left undescribed, a weight of zero or below, a baseline off
the scale, an unknown visibility, a date still to come."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sameboat.goals.models import Goal, GoalKind, GoalVisibility

from .conftest import LEVELS


def _fails(make_goal, group, by, field: str, message: str, **kwargs) -> None:
    with pytest.raises(ValidationError) as caught:
        make_goal(group=group, by=by, **kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert not Goal.objects.exists()


def test_four_levels_are_not_enough(make_goal, confidential, insider) -> None:
    four = {level: text for level, text in LEVELS.items() if level != 2}
    _fails(make_goal, confidential, insider, "levels", "exactly five levels", levels=four)


def test_a_level_outside_the_scale_is_not_a_level(make_goal, confidential, insider) -> None:
    odd = {**{k: v for k, v in LEVELS.items() if k != 2}, 3: "Beyond"}
    _fails(make_goal, confidential, insider, "levels", "exactly five levels", levels=odd)


@pytest.mark.parametrize("blank", ["", "   "])
def test_every_level_needs_a_description(make_goal, confidential, insider, blank) -> None:
    _fails(
        make_goal,
        confidential,
        insider,
        "level_plus_1",
        "Describe this level too",
        levels={**LEVELS, 1: blank},
    )


@pytest.mark.parametrize("weight", [0, "0", Decimal("-1"), -0.5, "NaN", "inf", "abc", 101])
def test_the_weight_must_be_above_zero(make_goal, confidential, insider, weight) -> None:
    _fails(make_goal, confidential, insider, "weight", "above 0", weight=weight)


def test_the_weight_has_at_most_two_decimals(make_goal, confidential, insider) -> None:
    _fails(make_goal, confidential, insider, "weight", "two decimals", weight="1.005")


@pytest.mark.parametrize("baseline", [3, -3, True, 0.5])
def test_the_baseline_is_one_of_the_five_levels(make_goal, confidential, insider, baseline) -> None:
    _fails(make_goal, confidential, insider, "baseline", "five levels", baseline=baseline)


def test_visibility_is_one_of_the_three_choices(make_goal, confidential, insider) -> None:
    _fails(make_goal, confidential, insider, "visibility", "Choose who", visibility="everyone")


def test_a_goal_is_not_set_in_the_future(make_goal, confidential, insider) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    _fails(make_goal, confidential, insider, "set_on", "to come", set_on=tomorrow)


def test_a_title_is_needed(make_goal, confidential, insider) -> None:
    _fails(make_goal, confidential, insider, "title", "few words", title="  ")


def test_a_kind_other_than_group_or_personal_is_refused(make_goal, confidential, insider) -> None:
    _fails(make_goal, confidential, insider, "kind", "group goal or a personal", kind="team")


def test_good_input_sets_the_goal_with_its_five_levels(make_goal, confidential, insider) -> None:
    goal = make_goal(
        group=confidential,
        by=insider,
        weight="2.5",
        baseline=-2,
        visibility=GoalVisibility.FACILITATORS,
    )
    assert goal.kind == GoalKind.PERSONAL and goal.owner == insider
    assert goal.weight == Decimal("2.50")
    assert [description for _level, _name, description in goal.levels()] == list(LEVELS.values())
    assert goal.set_on == timezone.localdate()
