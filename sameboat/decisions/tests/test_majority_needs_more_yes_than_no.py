"""Majority: quorum and yes > no; abstentions count for quorum only; ties fail."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sameboat.decisions.tally import Process, Quorum, Stance, decide


def ballot(yes: int, no: int, abstain: int) -> list[Stance]:
    kinds = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    return [Stance(f"v{i}", kind) for i, kind in enumerate(kinds)]


def test_passes_with_more_yes_than_no_and_reports_the_counts() -> None:
    outcome = decide(Process.MAJORITY, ballot(5, 3, 1), eligible=9, quorum=Quorum(min_count=6))
    assert outcome.passed
    assert outcome.counts == {"yes": 5, "no": 3, "abstain": 1}
    assert outcome.explanation == (
        "Passed by majority: 5 yes, 3 no, 1 abstained; quorum 6 of 9 met."
    )


def test_a_tie_fails() -> None:
    outcome = decide("majority", ballot(4, 4, 0), eligible=9, quorum=Quorum(min_count=6))
    assert not outcome.passed
    assert outcome.explanation == (
        "Not passed: tied 4 to 4, and a tie fails (4 yes, 4 no, 0 abstained); quorum 6 of 9 met."
    )


def test_abstentions_make_quorum_but_do_not_dilute_the_majority() -> None:
    # 2 yes of 7 is not a majority of those present, but it is of those who voted yes or no.
    outcome = decide("majority", ballot(2, 1, 4), eligible=10, quorum=Quorum(min_count=7))
    assert outcome.quorum_met
    assert outcome.passed


def test_abstentions_alone_do_not_pass_it() -> None:
    outcome = decide("majority", ballot(0, 0, 6), eligible=6, quorum=Quorum(min_count=6))
    assert not outcome.passed


def test_more_yes_than_no_is_not_enough_without_quorum() -> None:
    outcome = decide("majority", ballot(3, 1, 0), eligible=9, quorum=Quorum(min_count=6))
    assert not outcome.quorum_met
    assert not outcome.passed
    assert outcome.explanation == (
        "Not passed: 3 yes, 1 no, 0 abstained; quorum 6 of 9 not met: 4 took part."
    )


@settings(max_examples=200, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(["yes", "no", "abstain"]), max_size=30),
    extra_eligible=st.integers(0, 10),
    min_count=st.integers(0, 40),
)
def test_the_result_equals_a_direct_count(
    kinds: list[str], extra_eligible: int, min_count: int
) -> None:
    votes = [Stance(f"v{i}", kind) for i, kind in enumerate(kinds)]
    outcome = decide(
        "majority",
        votes,
        eligible=len(kinds) + extra_eligible,
        quorum=Quorum(min_count=min_count),
    )
    counted = Counter(kinds)
    assert outcome.counts == {k: counted[k] for k in ("yes", "no", "abstain")}
    assert outcome.quorum_met == (len(kinds) >= min_count)
    assert outcome.passed == (len(kinds) >= min_count and counted["yes"] > counted["no"])
