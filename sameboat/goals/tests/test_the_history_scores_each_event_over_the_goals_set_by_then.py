"""The T-score over time (pure): after each goal is set and each check-in, over the goals set
by then, at their latest levels; the same as `gas.t_score` at every point."""

import math
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sameboat.goals import gas
from sameboat.goals.history import Event, ScaledGoal, Step, current_levels, score, timeline

MAY_1, MAY_2, MAY_5 = date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 5)


def test_a_goal_counts_from_the_day_it_was_set() -> None:
    goals = [ScaledGoal(1, MAY_1, -1, 1.0), ScaledGoal(2, MAY_2, -2, 2.0)]
    steps = [Step(1, MAY_1, 0), Step(1, MAY_5, 1), Step(2, MAY_5, 0)]
    points = timeline(goals, steps)
    assert [(p.on, p.event, p.goal_id, p.level, p.goal_count) for p in points] == [
        (MAY_1, Event.SET, 1, -1, 1),
        (MAY_1, Event.CHECK_IN, 1, 0, 1),
        (MAY_2, Event.SET, 2, -2, 2),
        (MAY_5, Event.CHECK_IN, 1, 1, 2),
        (MAY_5, Event.CHECK_IN, 2, 0, 2),
    ]
    assert [round(p.t_score, 6) for p in points[:2]] == [40.0, 50.0]
    assert math.isclose(points[2].t_score, gas.t_score([(0, 1.0), (-2, 2.0)]))
    assert math.isclose(points[3].t_score, gas.t_score([(1, 1.0), (-2, 2.0)]))
    assert math.isclose(points[4].t_score, gas.t_score([(1, 1.0), (0, 2.0)]))


def test_the_score_now_is_the_last_point_of_the_history() -> None:
    goals = [ScaledGoal(1, MAY_1, -1, 1.0), ScaledGoal(2, MAY_1, 0, 3.0)]
    steps = [Step(2, MAY_2, 2), Step(1, MAY_5, -2), Step(2, MAY_5, 1)]
    now = score(goals, steps)
    assert now.goal_count == 2
    assert now.t_score == timeline(goals, steps)[-1].t_score
    assert current_levels(goals, steps) == {1: -2, 2: 1}


def test_no_goals_have_no_score_and_no_history() -> None:
    assert score([], []).t_score is None
    assert timeline([], [Step(9, MAY_1, 2)]) == []


def test_check_ins_of_goals_left_out_are_ignored() -> None:
    goals = [ScaledGoal(1, MAY_1, 0, 1.0)]
    assert score(goals, [Step(2, MAY_2, -2)]).t_score == 50.0
    assert len(timeline(goals, [Step(2, MAY_2, -2)])) == 1


scaled = st.lists(
    st.tuples(
        st.dates(min_value=MAY_1, max_value=date(2026, 6, 30)),
        st.sampled_from(gas.LEVELS),
        st.floats(min_value=0.1, max_value=10),
    ),
    min_size=1,
    max_size=6,
)


@given(scaled, st.data())
def test_every_point_is_the_t_score_of_the_levels_then(goal_data, data) -> None:
    goals = [ScaledGoal(n, on, base, w) for n, (on, base, w) in enumerate(goal_data)]
    steps = sorted(
        data.draw(
            st.lists(
                st.builds(
                    lambda goal, days, level: Step(
                        goal.id, date.fromordinal(goal.set_on.toordinal() + days), level
                    ),
                    st.sampled_from(goals),
                    st.integers(0, 30),
                    st.sampled_from(gas.LEVELS),
                ),
                max_size=12,
            )
        ),
        key=lambda step: step.on,
    )
    points = timeline(goals, steps)
    assert len(points) == len(goals) + len(steps)
    assert [p.on for p in points] == sorted(p.on for p in points)
    levels: dict[int, int] = {}
    weights = {goal.id: goal.weight for goal in goals}
    for point in points:
        levels[point.goal_id] = point.level
        expected = gas.t_score([(x, weights[g]) for g, x in levels.items()])
        assert math.isclose(point.t_score, expected, abs_tol=1e-9)
    assert math.isclose(points[-1].t_score, score(goals, steps).t_score or 0, abs_tol=1e-9)
