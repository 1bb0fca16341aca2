"""Score: highest total wins; ties go to the higher mean, then to the option listed first."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.decisions.tally import Process, Quorum, ScoreBallot, decide

OPTIONS = ["Picnic", "Walk", "Quiz"]


def test_the_highest_total_wins_and_totals_and_means_are_reported() -> None:
    ballots = [
        ScoreBallot("ana", {"Picnic": 5, "Walk": 2, "Quiz": 0}),
        ScoreBallot("ben", {"Picnic": 3, "Walk": 4, "Quiz": 1}),
        ScoreBallot("cai", {"Picnic": 4, "Walk": 5, "Quiz": 2}),
    ]
    outcome = decide(
        Process.SCORE, ballots, eligible=4, quorum=Quorum(min_count=3), options=OPTIONS
    )
    assert outcome.passed
    assert outcome.winner == "Picnic"
    assert outcome.counts == {"Picnic": 12, "Walk": 11, "Quiz": 3}
    assert outcome.means == {"Picnic": 4.0, "Walk": 11 / 3, "Quiz": 1.0}
    assert outcome.tie_break is None
    assert outcome.explanation == (
        "Chosen by score: Picnic with 12 points (mean 4.00); quorum 3 of 4 met."
    )


def test_a_tie_on_total_goes_to_the_higher_mean_and_says_so() -> None:
    ballots = [
        ScoreBallot("ana", {"Picnic": 3, "Walk": 5}),
        ScoreBallot("ben", {"Picnic": 3}),
        ScoreBallot("cai", {"Walk": 1, "Picnic": 0}),
        ScoreBallot("dee", {"Quiz": 2}),
    ]
    # Picnic: 6 from 3 ballots (mean 2); Walk: 6 from 2 ballots (mean 3).
    outcome = decide("score", ballots, eligible=4, quorum=Quorum(), options=OPTIONS)
    assert outcome.counts == {"Picnic": 6, "Walk": 6, "Quiz": 2}
    assert outcome.means["Picnic"] == 2.0
    assert outcome.means["Walk"] == 3.0
    assert outcome.winner == "Walk"
    assert outcome.tie_break == "tie on 6 points with Picnic broken by higher mean"
    assert "broken by higher mean" in outcome.explanation


def test_a_tie_on_total_and_mean_goes_to_the_option_listed_first() -> None:
    ballots = [ScoreBallot("ana", {"Quiz": 4, "Walk": 4, "Picnic": 1})]
    outcome = decide("score", ballots, eligible=1, quorum=Quorum(), options=OPTIONS)
    assert outcome.winner == "Walk"
    assert outcome.tie_break == "tie on 4 points with Quiz broken by option order (equal means)"


def test_a_custom_maximum_score_is_honoured() -> None:
    ballots = [ScoreBallot("ana", {"Picnic": 10, "Walk": 9})]
    outcome = decide("score", ballots, eligible=1, quorum=Quorum(), options=OPTIONS, max_score=10)
    assert outcome.winner == "Picnic"


def test_no_option_wins_when_nobody_gave_any_points() -> None:
    ballots = [ScoreBallot("ana", {"Picnic": 0}), ScoreBallot("ben", {})]
    outcome = decide("score", ballots, eligible=2, quorum=Quorum(), options=OPTIONS)
    assert not outcome.passed
    assert outcome.winner is None
    assert outcome.means == {"Picnic": 0.0, "Walk": 0.0, "Quiz": 0.0}
    assert outcome.explanation.startswith("No winner: no option received any points")


def test_without_quorum_the_totals_are_reported_but_nobody_wins() -> None:
    ballots = [ScoreBallot("ana", {"Picnic": 5})]
    outcome = decide("score", ballots, eligible=9, quorum=Quorum(min_count=3), options=OPTIONS)
    assert not outcome.passed
    assert outcome.winner is None
    assert outcome.counts["Picnic"] == 5
    assert outcome.explanation == (
        "No winner: Picnic led with 5 points; quorum 3 of 9 not met: 1 took part."
    )


score_ballots = st.lists(
    st.dictionaries(st.sampled_from(OPTIONS), st.integers(0, 5)), min_size=1, max_size=12
)


@settings(max_examples=150, deadline=None)
@given(score_ballots)
def test_the_winner_has_the_highest_total_of_a_direct_count(
    scores: list[dict[str, int]],
) -> None:
    ballots = [ScoreBallot(f"v{i}", s) for i, s in enumerate(scores)]
    outcome = decide("score", ballots, eligible=len(ballots), quorum=Quorum(), options=OPTIONS)
    totals = {o: sum(s.get(o, 0) for s in scores) for o in OPTIONS}
    assert outcome.counts == totals
    if max(totals.values()) == 0:
        assert outcome.winner is None
    else:
        assert outcome.winner is not None
        assert totals[outcome.winner] == max(totals.values())
        tied = sum(t == max(totals.values()) for t in totals.values()) > 1
        assert (outcome.tie_break is not None) == tied
