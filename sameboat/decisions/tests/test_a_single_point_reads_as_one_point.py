"""Tally's sentences count points in proper English: "1 point", "2 points"."""

from sameboat.decisions.tally import Quorum, ScoreBallot, decide


def test_one_point_is_a_point() -> None:
    outcome = decide(
        "score", [ScoreBallot("a", {"X": 1})], eligible=1, quorum=Quorum(), options=["X"]
    )
    assert outcome.explanation.startswith("Chosen by score: X with 1 point (mean 1.00)")
    unquorate = decide(
        "score", [ScoreBallot("a", {"X": 1})], eligible=3, quorum=Quorum(min_count=2), options=["X"]
    )
    assert unquorate.explanation.startswith("No winner: X led with 1 point;")
    tie = decide(
        "score",
        [ScoreBallot("a", {"X": 1, "Y": 1})],
        eligible=1,
        quorum=Quorum(),
        options=["X", "Y"],
    )
    assert tie.tie_break == "tie on 1 point with Y broken by option order (equal means)"
