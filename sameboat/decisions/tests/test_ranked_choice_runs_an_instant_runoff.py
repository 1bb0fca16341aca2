"""Ranked choice: instant runoff, worked by hand, plus properties of round one."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.decisions.tally import Process, Quorum, RankedBallot, Round, decide


def ballots(*groups: tuple[int, list[str]]) -> list[RankedBallot]:
    """``(3, ["B", "C"])`` is three voters ranking B then C."""
    out: list[RankedBallot] = []
    for how_many, ranking in groups:
        out += [RankedBallot(f"v{len(out) + i}", ranking) for i in range(how_many)]
    return out


def test_the_first_round_leader_loses_after_transfers() -> None:
    votes = ballots((4, ["A"]), (3, ["B", "C"]), (2, ["C", "B"]))
    outcome = decide(
        Process.RANKED_CHOICE,
        votes,
        eligible=9,
        quorum=Quorum(min_fraction=0.7),
        options=["A", "B", "C"],
    )
    assert outcome.winner == "B"
    assert outcome.passed
    assert outcome.counts == {"A": 4, "B": 3, "C": 2}  # first preferences
    assert outcome.rounds == (
        Round(1, {"A": 4, "B": 3, "C": 2}, exhausted=0, continuing=9, eliminated="C"),
        Round(2, {"A": 4, "B": 5}, exhausted=0, continuing=9, winner="B"),
    )
    assert outcome.explanation == (
        "Chosen by ranked choice: B with 5 of 9 continuing ballots in round 2; quorum 7 of 9 met."
    )


def test_exhausted_ballots_drop_out_of_the_majority() -> None:
    # C's voters ranked nobody else; A's 5 of 12 is no majority, but 5 of the 9 left is.
    votes = ballots((5, ["A"]), (4, ["B"]), (3, ["C"]))
    outcome = decide("ranked_choice", votes, eligible=12, quorum=Quorum(), options=list("ABC"))
    assert outcome.winner == "A"
    assert outcome.rounds[0] == Round(
        1, {"A": 5, "B": 4, "C": 3}, exhausted=0, continuing=12, eliminated="C"
    )
    assert outcome.rounds[1] == Round(2, {"A": 5, "B": 4}, exhausted=3, continuing=9, winner="A")
    assert "A with 5 of 9 continuing ballots in round 2 (3 ballots exhausted)" in (
        outcome.explanation
    )


def test_a_tie_for_last_eliminates_the_one_with_fewer_first_preferences() -> None:
    votes = ballots((5, ["A"]), (3, ["B"]), (2, ["C"]), (1, ["D", "C"]))
    outcome = decide("ranked_choice", votes, eligible=11, quorum=Quorum(), options=list("ABCD"))
    # Round 2: B and C both have 3, but C had only 2 first preferences to B's 3.
    assert [r.eliminated for r in outcome.rounds] == ["D", "C", None]
    assert outcome.rounds[1].counts == {"A": 5, "B": 3, "C": 3}
    assert outcome.rounds[1].tie_break == "first preferences"
    assert outcome.rounds[2] == Round(3, {"A": 5, "B": 3}, exhausted=3, continuing=8, winner="A")
    assert outcome.tie_break == "round 2: C eliminated by first preferences"


def test_a_tie_for_last_with_equal_first_preferences_eliminates_the_option_listed_later() -> None:
    votes = ballots((1, ["A"]), (1, ["B"]), (1, ["C"]))
    outcome = decide("ranked_choice", votes, eligible=3, quorum=Quorum(), options=list("ABC"))
    assert [(r.eliminated, r.tie_break) for r in outcome.rounds] == [
        ("C", "option order"),
        ("B", "option order"),
        (None, None),
    ]
    assert outcome.winner == "A"
    assert "after 2 tie-breaks for last place" in outcome.explanation


def test_a_mix_of_exhaustion_and_both_tie_rules_is_counted_round_by_round() -> None:
    votes = ballots((4, ["A"]), (3, ["B", "C"]), (2, ["C"]), (2, ["D"]), (1, ["D", "B"]))
    outcome = decide("ranked_choice", votes, eligible=12, quorum=Quorum(), options=list("ABCD"))
    assert outcome.rounds == (
        Round(1, {"A": 4, "B": 3, "C": 2, "D": 3}, 0, 12, eliminated="C"),
        Round(2, {"A": 4, "B": 3, "D": 3}, 2, 10, eliminated="D", tie_break="option order"),
        Round(3, {"A": 4, "B": 4}, 4, 8, eliminated="B", tie_break="first preferences"),
        Round(4, {"A": 4}, 8, 4, winner="A"),
    )


def test_no_winner_when_every_ballot_is_blank() -> None:
    votes = ballots((3, []))
    outcome = decide("ranked_choice", votes, eligible=3, quorum=Quorum(), options=["A", "B"])
    assert outcome.winner is None
    assert not outcome.passed
    assert outcome.rounds == (Round(1, {"A": 0, "B": 0}, exhausted=3, continuing=0),)
    assert outcome.explanation.startswith("No winner: every ballot was exhausted")


def test_without_quorum_the_rounds_are_reported_but_nobody_wins() -> None:
    votes = ballots((2, ["A"]), (1, ["B"]))
    outcome = decide(
        "ranked_choice", votes, eligible=9, quorum=Quorum(min_count=5), options=["A", "B"]
    )
    assert outcome.winner is None
    assert outcome.rounds[-1].winner == "A"
    assert outcome.explanation == (
        "No winner: A led with 2 of 3 continuing ballots in round 1; "
        "quorum 5 of 9 not met: 3 took part."
    )


OPTIONS = ["A", "B", "C", "D"]
rankings = st.permutations(OPTIONS).flatmap(
    lambda order: st.integers(0, len(order)).map(lambda n: list(order[:n]))
)


@settings(max_examples=150, deadline=None)
@given(
    winner=st.sampled_from(OPTIONS),
    others=st.lists(rankings, max_size=10),
    tails=st.lists(rankings, max_size=12),
)
def test_a_first_round_majority_ends_the_count_in_one_round(
    winner: str, others: list[list[str]], tails: list[list[str]]
) -> None:
    # One more ballot headed by `winner` than all the others together: a majority at once.
    backers = [[winner] + [o for o in t if o != winner] for t in tails[: len(others) + 1]]
    backers += [[winner]] * (len(others) + 1 - len(backers))
    all_rankings = others + backers
    votes = [RankedBallot(f"v{i}", r) for i, r in enumerate(all_rankings)]
    outcome = decide("ranked_choice", votes, eligible=len(votes), quorum=Quorum(), options=OPTIONS)
    assert len(outcome.rounds) == 1
    assert outcome.winner == winner


@settings(max_examples=150, deadline=None)
@given(st.lists(rankings, max_size=15))
def test_the_count_ends_in_round_one_exactly_when_someone_has_a_first_round_majority(
    all_rankings: list[list[str]],
) -> None:
    votes = [RankedBallot(f"v{i}", r) for i, r in enumerate(all_rankings)]
    outcome = decide("ranked_choice", votes, eligible=len(votes), quorum=Quorum(), options=OPTIONS)
    firsts = Counter(r[0] for r in all_rankings if r)
    active = sum(firsts.values())
    majority = [o for o in OPTIONS if 2 * firsts[o] > active]
    assert outcome.counts == {o: firsts[o] for o in OPTIONS}
    assert (len(outcome.rounds) == 1 and outcome.winner is not None) == bool(majority)
    # Every round accounts for every ballot, and the last round decides or nobody can.
    for r in outcome.rounds:
        assert sum(r.counts.values()) + r.exhausted == len(votes)
        assert r.continuing == len(votes) - r.exhausted
    if outcome.winner is not None:
        last = outcome.rounds[-1]
        assert 2 * last.counts[outcome.winner] > last.continuing
