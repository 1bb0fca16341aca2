"""A set of goals' T-score now and over time. Pure: no Django, so it is tested on its own.

The T-score of a set of goals (one member's, or a group's) is Kiresuk and Sherman's, from
`gas.t_score`, over each goal's current level: its latest check-in, or its baseline before
any. Its history replays the events in date order: each goal's setting (at its baseline) and
each check-in; after every event the score is taken again over the goals set by then. A
check-in on a date never comes before its goal was set (the services hold to that), so a
goal counts from the day it was set, as it would have been scored that day.

Each goal counts with the weight it has now; the services do not let a weight change once a
goal has check-ins, so the history is the history as it was.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sameboat.goals import gas


@dataclass(frozen=True, slots=True)
class ScaledGoal:
    """A goal as the scores need it."""

    id: int
    set_on: date
    baseline: int
    weight: float


@dataclass(frozen=True, slots=True)
class Step:
    """One check-in: a goal reached `level` on `on`."""

    goal_id: int
    on: date
    level: int


class Event(StrEnum):
    SET = "set"
    CHECK_IN = "check_in"


@dataclass(frozen=True, slots=True)
class Point:
    """The score just after one event: `goal_id` was set or checked in at `level`, and the
    goals set by then (`goal_count` of them) scored `t_score`."""

    on: date
    event: Event
    goal_id: int
    level: int
    t_score: float
    goal_count: int


@dataclass(frozen=True, slots=True)
class Score:
    """A T-score and how many goals it is over. `t_score` is None when there are none."""

    t_score: float | None
    goal_count: int


def current_levels(goals: Sequence[ScaledGoal], steps: Sequence[Step]) -> dict[int, int]:
    """Each goal's level now: its last check-in in `steps` (which come in the order they
    happened), or its baseline. Check-ins of goals not in `goals` are ignored."""
    levels = {goal.id: goal.baseline for goal in goals}
    for step in steps:
        if step.goal_id in levels:
            levels[step.goal_id] = step.level
    return levels


def score(goals: Sequence[ScaledGoal], steps: Sequence[Step]) -> Score:
    """The T-score of `goals` at their current levels."""
    if not goals:
        return Score(t_score=None, goal_count=0)
    levels = current_levels(goals, steps)
    t = gas.t_score([(levels[goal.id], goal.weight) for goal in goals])
    return Score(t_score=t, goal_count=len(goals))


def timeline(goals: Sequence[ScaledGoal], steps: Sequence[Step]) -> list[Point]:
    """The T-score after each event, oldest first.

    Events are sorted by date; on one date, goals set come before check-ins (a goal is set
    before anyone checks in on it), goals in the order given, check-ins in the order given
    (the order they were made). Check-ins of goals not in `goals` are ignored."""
    weights = {goal.id: goal.weight for goal in goals}
    # (date, 0 for a setting or 1 for a check-in, position) orders the events as described;
    # sorting is stable and the position breaks every tie, so the order is deterministic.
    events: list[tuple[date, int, int, Event, int, int]] = [
        (goal.set_on, 0, n, Event.SET, goal.id, gas.check_level(goal.baseline))
        for n, goal in enumerate(goals)
    ]
    events += [
        (step.on, 1, n, Event.CHECK_IN, step.goal_id, gas.check_level(step.level))
        for n, step in enumerate(steps)
        if step.goal_id in weights
    ]
    events.sort(key=lambda event: event[:3])
    levels: dict[int, int] = {}
    points = []
    for on, _kind, _n, event, goal_id, level in events:
        levels[goal_id] = level
        t = gas.t_score([(x, weights[gid]) for gid, x in levels.items()])
        points.append(
            Point(
                on=on,
                event=event,
                goal_id=goal_id,
                level=level,
                t_score=t,
                goal_count=len(levels),
            )
        )
    return points


@dataclass(frozen=True, slots=True)
class Chart:
    """A line chart of T-scores in a `width` by `height` box: `points` is an SVG polyline's
    points attribute, `expected_y` the height of the line at T = 50."""

    width: int
    height: int
    points: str
    expected_y: float
    top_label: int
    bottom_label: int


# The chart's vertical range: T runs from about 13.5 to 86.5 whatever the weights (all goals
# at -2 or +2 with rho 0.3), so 10 to 90 holds every score.
CHART_TOP = 90
CHART_BOTTOM = 10


def chart(t_scores: Sequence[float], width: int = 600, height: int = 200) -> Chart | None:
    """Coordinates for a simple line chart of `t_scores`, evenly spaced left to right; None
    for fewer than two scores (one point is no line)."""
    if len(t_scores) < 2:
        return None
    span = CHART_TOP - CHART_BOTTOM

    def y(t: float) -> float:
        clamped = min(max(t, CHART_BOTTOM), CHART_TOP)
        return round(height * (CHART_TOP - clamped) / span, 1)

    step = width / (len(t_scores) - 1)
    coordinates = " ".join(f"{round(n * step, 1)},{y(t)}" for n, t in enumerate(t_scores))
    return Chart(
        width=width,
        height=height,
        points=coordinates,
        expected_y=y(50.0),
        top_label=CHART_TOP,
        bottom_label=CHART_BOTTOM,
    )
