"""The chart beside the history table (pure): points left to right, 50 midway between the
bottom (10) and the top (90), a score beyond the range at its edge, nothing for one point."""

from sameboat.goals.history import chart


def test_one_score_is_no_line() -> None:
    assert chart([]) is None
    assert chart([50.0]) is None


def test_scores_are_placed_evenly_and_fifty_is_in_the_middle() -> None:
    drawn = chart([30.0, 50.0, 70.0, 95.0], width=300, height=200)
    assert drawn is not None
    assert drawn.expected_y == 100.0
    assert drawn.points == "0.0,150.0 100.0,100.0 200.0,50.0 300.0,0.0"
    assert (drawn.bottom_label, drawn.top_label) == (10, 90)
