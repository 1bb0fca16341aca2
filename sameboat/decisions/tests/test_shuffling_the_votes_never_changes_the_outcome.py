"""Determinism: the outcome depends on the votes, never on the order they arrive in."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.decisions.tally import Quorum, RankedBallot, ScoreBallot, Stance, decide

OPTIONS = ["A", "B", "C", "D"]
quorums = st.builds(
    Quorum,
    min_count=st.none() | st.integers(0, 12),
    min_fraction=st.none() | st.floats(0, 1),
)


@settings(max_examples=100, deadline=None)
@given(
    process=st.sampled_from(["consent", "consensus", "majority"]),
    data=st.data(),
    quorum=quorums,
)
def test_stances_in_any_order_give_the_same_outcome(
    process: str, data: st.DataObject, quorum: Quorum
) -> None:
    kinds = {
        "consent": ["agree", "stand_aside", "object"],
        "consensus": ["agree", "stand_aside", "block"],
        "majority": ["yes", "no", "abstain"],
    }[process]
    drawn = data.draw(st.lists(st.tuples(st.sampled_from(kinds), st.booleans()), max_size=12))
    votes = [
        Stance(f"v{i}", kind, resolved=resolved and kind == "object", reason=f"r{i}")
        for i, (kind, resolved) in enumerate(drawn)
    ]
    shuffled = data.draw(st.permutations(votes))
    first = decide(process, votes, eligible=12, quorum=quorum)
    assert decide(process, shuffled, eligible=12, quorum=quorum) == first


@settings(max_examples=100, deadline=None)
@given(
    scores=st.lists(st.dictionaries(st.sampled_from(OPTIONS), st.integers(0, 5)), max_size=12),
    data=st.data(),
    quorum=quorums,
)
def test_score_ballots_in_any_order_give_the_same_outcome(
    scores: list[dict[str, int]], data: st.DataObject, quorum: Quorum
) -> None:
    votes = [ScoreBallot(f"v{i}", s) for i, s in enumerate(scores)]
    shuffled = data.draw(st.permutations(votes))
    first = decide("score", votes, eligible=12, quorum=quorum, options=OPTIONS)
    assert decide("score", shuffled, eligible=12, quorum=quorum, options=OPTIONS) == first


rankings = st.permutations(OPTIONS).flatmap(
    lambda order: st.integers(0, len(order)).map(lambda n: list(order[:n]))
)


@settings(max_examples=100, deadline=None)
@given(all_rankings=st.lists(rankings, max_size=12), data=st.data(), quorum=quorums)
def test_ranked_ballots_in_any_order_give_the_same_outcome(
    all_rankings: list[list[str]], data: st.DataObject, quorum: Quorum
) -> None:
    votes = [RankedBallot(f"v{i}", r) for i, r in enumerate(all_rankings)]
    shuffled = data.draw(st.permutations(votes))
    first = decide("ranked_choice", votes, eligible=12, quorum=quorum, options=OPTIONS)
    again = decide("ranked_choice", shuffled, eligible=12, quorum=quorum, options=OPTIONS)
    assert again == first
