"""Anything that cannot be counted raises TallyError (a ValueError) that says what is wrong."""

from collections.abc import Sequence

import pytest

from sameboat.decisions.tally import (
    Quorum,
    RankedBallot,
    ScoreBallot,
    Stance,
    TallyError,
    Vote,
    decide,
)

NO_QUORUM = Quorum()


def test_tally_error_is_a_value_error() -> None:
    assert issubclass(TallyError, ValueError)


def test_an_unknown_process_is_refused() -> None:
    with pytest.raises(TallyError, match="unknown process 'lottery'"):
        decide("lottery", [], eligible=1, quorum=NO_QUORUM)


@pytest.mark.parametrize(
    ("process", "kind"),
    [("consent", "maybe"), ("consent", "block"), ("consensus", "object"), ("majority", "agree")],
)
def test_a_stance_the_process_does_not_take_is_refused(process: str, kind: str) -> None:
    with pytest.raises(TallyError, match=f"unknown stance '{kind}' from voter 'ana'"):
        decide(process, [Stance("ana", kind)], eligible=1, quorum=NO_QUORUM)


def test_only_an_objection_can_be_resolved() -> None:
    with pytest.raises(TallyError, match="only an objection can be resolved"):
        decide("consent", [Stance("ana", "agree", resolved=True)], eligible=1, quorum=NO_QUORUM)


@pytest.mark.parametrize(
    ("process", "votes", "options"),
    [
        ("consent", [Stance("ana", "agree"), Stance("ana", "object")], None),
        ("majority", [Stance("ana", "yes"), Stance("ana", "yes")], None),
        ("score", [ScoreBallot("ana", {"A": 1}), ScoreBallot("ana", {"A": 2})], ["A"]),
        ("ranked_choice", [RankedBallot("ana", ["A"]), RankedBallot("ana", [])], ["A"]),
    ],
)
def test_a_voter_appearing_twice_is_refused(
    process: str, votes: Sequence[Vote], options: list[str] | None
) -> None:
    with pytest.raises(TallyError, match="voter 'ana' appears more than once"):
        decide(process, votes, eligible=5, quorum=NO_QUORUM, options=options)


@pytest.mark.parametrize("score", [-1, 6])
def test_a_score_outside_the_range_is_refused(score: int) -> None:
    with pytest.raises(TallyError, match=f"score of {score}, outside 0 to 5"):
        decide(
            "score", [ScoreBallot("ana", {"A": score})], eligible=1, quorum=NO_QUORUM, options=["A"]
        )


def test_a_score_above_a_custom_maximum_is_refused() -> None:
    with pytest.raises(TallyError, match="outside 0 to 3"):
        decide(
            "score",
            [ScoreBallot("ana", {"A": 4})],
            eligible=1,
            quorum=NO_QUORUM,
            options=["A"],
            max_score=3,
        )


@pytest.mark.parametrize("score", [2.5, True, "3"])
def test_a_score_that_is_not_a_whole_number_is_refused(score: object) -> None:
    ballot = ScoreBallot("ana", {"A": score})  # type: ignore[dict-item]
    with pytest.raises(TallyError, match="whole numbers"):
        decide("score", [ballot], eligible=1, quorum=NO_QUORUM, options=["A"])


def test_scoring_an_unknown_option_is_refused() -> None:
    with pytest.raises(TallyError, match="voter 'ana' scored unknown option 'Z'"):
        decide("score", [ScoreBallot("ana", {"Z": 1})], eligible=1, quorum=NO_QUORUM, options=["A"])


@pytest.mark.parametrize("max_score", [0, -2, True])
def test_a_maximum_score_below_one_is_refused(max_score: int) -> None:
    with pytest.raises(TallyError, match="max_score"):
        decide("score", [], eligible=1, quorum=NO_QUORUM, options=["A"], max_score=max_score)


def test_ranking_an_unknown_option_is_refused() -> None:
    with pytest.raises(TallyError, match="voter 'ana' ranked unknown option 'Z'"):
        decide(
            "ranked_choice",
            [RankedBallot("ana", ["A", "Z"])],
            eligible=1,
            quorum=NO_QUORUM,
            options=["A", "B"],
        )


def test_ranking_an_option_twice_is_refused() -> None:
    with pytest.raises(TallyError, match="voter 'ana' ranked 'A' more than once"):
        decide(
            "ranked_choice",
            [RankedBallot("ana", ["A", "B", "A"])],
            eligible=1,
            quorum=NO_QUORUM,
            options=["A", "B"],
        )


def test_a_ranking_given_as_one_string_is_refused() -> None:
    with pytest.raises(TallyError, match="must be a sequence of options"):
        decide(
            "ranked_choice",
            [RankedBallot("ana", "AB")],
            eligible=1,
            quorum=NO_QUORUM,
            options=["AB", "A", "B"],
        )


@pytest.mark.parametrize(
    ("process", "vote"),
    [
        ("consent", ScoreBallot("ana", {})),
        ("score", Stance("ana", "yes")),
        ("score", RankedBallot("ana", [])),
        ("ranked_choice", ScoreBallot("ana", {})),
    ],
)
def test_a_vote_of_the_wrong_kind_for_the_process_is_refused(process: str, vote: Vote) -> None:
    with pytest.raises(TallyError, match="takes"):
        decide(
            process,
            [vote],
            eligible=1,
            quorum=NO_QUORUM,
            options=None if process == "consent" else ["A"],
        )


@pytest.mark.parametrize("options", [None, []])
@pytest.mark.parametrize("process", ["score", "ranked_choice"])
def test_score_and_ranked_choice_need_options(process: str, options: list[str] | None) -> None:
    with pytest.raises(TallyError, match="needs at least one option"):
        decide(process, [], eligible=1, quorum=NO_QUORUM, options=options)


def test_an_option_listed_twice_is_refused() -> None:
    with pytest.raises(TallyError, match="options listed more than once: A"):
        decide("score", [], eligible=1, quorum=NO_QUORUM, options=["A", "B", "A"])


def test_options_given_as_one_string_are_refused() -> None:
    with pytest.raises(TallyError, match="not one string"):
        decide("score", [], eligible=1, quorum=NO_QUORUM, options="Picnic")


def test_options_for_a_stance_based_process_are_refused() -> None:
    with pytest.raises(TallyError, match="consent takes no options"):
        decide("consent", [], eligible=1, quorum=NO_QUORUM, options=["A"])


def test_more_voters_than_eligible_is_refused() -> None:
    votes = [Stance("ana", "yes"), Stance("ben", "yes")]
    with pytest.raises(TallyError, match="2 voters took part but only 1 are eligible"):
        decide("majority", votes, eligible=1, quorum=NO_QUORUM)


@pytest.mark.parametrize("eligible", [-1, 2.0, True])
def test_an_eligible_count_that_is_not_a_whole_number_is_refused(eligible: int) -> None:
    with pytest.raises(TallyError, match="eligible must be a whole number"):
        decide("majority", [], eligible=eligible, quorum=NO_QUORUM)
