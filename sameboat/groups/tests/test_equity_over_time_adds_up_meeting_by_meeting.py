"""The equity figures over time, computed without a database: each meeting's Gini among those
present, and running Ginis over everyone who was a member at any meeting so far."""

import pytest

from sameboat.groups.equity import (
    MeetingTally,
    equity_over_time,
    gini,
    member_totals,
    polyline_points,
)


def tally(members, present, contributions, led=()):
    return MeetingTally(
        members=frozenset(members),
        present=frozenset(present),
        contributions=contributions,
        led=frozenset(led),
    )


def test_one_meeting():
    [figures] = equity_over_time([tally("abc", "ab", {"a": 3, "b": 1}, led="a")])
    assert (figures.members, figures.present) == (3, 2)
    assert figures.attendance_rate == pytest.approx(2 / 3)
    assert figures.participation_gini == pytest.approx(gini([3, 1]))  # among those present
    assert figures.leadership_gini == pytest.approx(gini([1, 0]))
    # So far: c was a member and absent, so counts 0.
    assert figures.cumulative_participation_gini == pytest.approx(gini([3, 1, 0]))
    assert figures.cumulative_leadership_gini == pytest.approx(gini([1, 0, 0]))


def test_running_totals_even_out_when_others_take_their_turn():
    tallies = [
        tally("ab", "ab", {"a": 3, "b": 0}, led="a"),
        tally("ab", "ab", {"a": 0, "b": 3}, led="b"),
    ]
    first, second = equity_over_time(tallies)
    assert first.cumulative_participation_gini == pytest.approx(0.5)
    assert second.participation_gini == pytest.approx(0.5)
    assert second.cumulative_participation_gini == 0.0
    assert second.cumulative_leadership_gini == 0.0


def test_a_meeting_nobody_counted_is_left_out_of_participation_not_read_as_silence():
    tallies = [tally("ab", "ab", None, led="a"), tally("ab", "ab", {"a": 2, "b": 2})]
    first, second = equity_over_time(tallies)
    assert first.participation_gini is None and first.cumulative_participation_gini is None
    assert first.leadership_gini == pytest.approx(0.5)
    assert second.cumulative_participation_gini == 0.0


def test_no_attendance_gives_no_figures_for_that_meeting():
    [figures] = equity_over_time([tally("", "", {})])
    assert figures.attendance_rate is None
    assert figures.participation_gini is None and figures.leadership_gini is None


def test_leading_counts_only_for_those_present():
    [figures] = equity_over_time([tally("ab", "a", {"a": 1}, led="b")])
    assert figures.leadership_gini == 0.0  # a did not lead; b was not there to lead
    assert figures.cumulative_leadership_gini == 0.0


def test_member_totals():
    tallies = [
        tally("ab", "a", {"a": 3}, led="a"),
        tally("abc", "ac", {"a": 1, "c": 2}),
        tally("abc", "abc", None, led="bc"),
    ]
    totals = member_totals(tallies, ["a", "b", "c", "d"])
    assert (totals["a"].meetings, totals["a"].present, totals["a"].contributions) == (3, 3, 4)
    assert totals["a"].led == 1
    assert (totals["b"].present, totals["b"].contributions, totals["b"].led) == (1, 0, 1)
    assert totals["b"].attendance_rate == pytest.approx(1 / 3)
    assert (totals["c"].meetings, totals["c"].contributions, totals["c"].led) == (2, 2, 1)
    assert totals["d"].meetings == 0 and totals["d"].attendance_rate is None


def test_polyline_points_skip_missing_values():
    assert polyline_points([0.0, None, 1.0], width=100, height=50) == "0.0,50.0 100.0,0.0"
    assert polyline_points([], width=100, height=50) == ""
