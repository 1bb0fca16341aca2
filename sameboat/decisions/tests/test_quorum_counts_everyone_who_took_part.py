"""Quorum: a count, a fraction of the eligible (rounded up), both, or neither."""

import pytest

from sameboat.decisions.tally import Quorum, RankedBallot, ScoreBallot, Stance, TallyError, decide


def yes_votes(n: int) -> list[Stance]:
    return [Stance(f"v{i}", "yes") for i in range(n)]


@pytest.mark.parametrize(("took_part", "met"), [(5, False), (6, True), (7, True)])
def test_a_count_is_met_exactly_at_the_count(took_part: int, met: bool) -> None:
    outcome = decide("majority", yes_votes(took_part), eligible=9, quorum=Quorum(min_count=6))
    assert outcome.quorum_met is met
    assert outcome.quorum_required == 6
    assert outcome.participants == took_part
    assert outcome.eligible == 9


def test_a_fraction_is_rounded_up_to_whole_voters() -> None:
    outcome = decide("majority", yes_votes(4), eligible=9, quorum=Quorum(min_fraction=0.5))
    assert outcome.quorum_required == 5
    assert not outcome.quorum_met


@pytest.mark.parametrize(("fraction", "eligible", "required"), [(0.7, 10, 7), (0.1, 30, 3)])
def test_a_fraction_that_floats_cannot_hold_exactly_does_not_round_up_an_extra_voter(
    fraction: float, eligible: int, required: int
) -> None:
    # 0.7 * 10 is 7.000000000000001 in floating point.
    outcome = decide(
        "majority", yes_votes(required), eligible=eligible, quorum=Quorum(min_fraction=fraction)
    )
    assert outcome.quorum_required == required
    assert outcome.quorum_met


def test_with_a_count_and_a_fraction_both_must_be_met() -> None:
    quorum = Quorum(min_count=3, min_fraction=0.5)
    assert decide("majority", yes_votes(3), eligible=20, quorum=quorum).quorum_required == 10
    assert decide("majority", yes_votes(3), eligible=4, quorum=quorum).quorum_required == 3


def test_with_neither_any_turnout_is_enough_and_the_explanation_says_so() -> None:
    outcome = decide("majority", yes_votes(1), eligible=9, quorum=Quorum())
    assert outcome.quorum_required == 0
    assert outcome.quorum_met
    assert outcome.explanation.endswith("no quorum required; 1 of 9 took part.")


def test_a_fraction_of_one_needs_everyone() -> None:
    quorum = Quorum(min_fraction=1.0)
    assert not decide("majority", yes_votes(8), eligible=9, quorum=quorum).quorum_met
    assert decide("majority", yes_votes(9), eligible=9, quorum=quorum).quorum_met


def test_a_count_above_the_eligible_can_never_be_met() -> None:
    outcome = decide("majority", yes_votes(3), eligible=3, quorum=Quorum(min_count=4))
    assert not outcome.quorum_met
    assert not outcome.passed


def test_nobody_eligible_and_no_quorum_decides_nothing() -> None:
    outcome = decide("majority", [], eligible=0, quorum=Quorum(min_fraction=0.5))
    assert outcome.quorum_met
    assert not outcome.passed


def test_stand_asides_abstentions_and_blank_ballots_all_count_as_taking_part() -> None:
    quorum = Quorum(min_count=3)
    asides = [Stance("a", "agree"), Stance("b", "stand_aside"), Stance("c", "stand_aside")]
    assert decide("consent", asides, eligible=5, quorum=quorum).quorum_met
    abstains = [Stance("a", "yes"), Stance("b", "abstain"), Stance("c", "abstain")]
    assert decide("majority", abstains, eligible=5, quorum=quorum).passed
    blank_scores = [ScoreBallot("a", {"X": 1}), ScoreBallot("b", {}), ScoreBallot("c", {})]
    assert decide("score", blank_scores, eligible=5, quorum=quorum, options=["X"]).passed
    blank_ranks = [RankedBallot("a", ["X"]), RankedBallot("b", []), RankedBallot("c", [])]
    assert decide("ranked_choice", blank_ranks, eligible=5, quorum=quorum, options=["X"]).passed


@pytest.mark.parametrize(
    "kwargs",
    [{"min_count": -1}, {"min_fraction": 1.5}, {"min_fraction": -0.1}, {"min_count": 2.5}],
)
def test_a_quorum_that_makes_no_sense_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(TallyError, match="quorum"):
        Quorum(**kwargs)  # type: ignore[arg-type]
