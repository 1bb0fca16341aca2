"""Consensus: any block stops it; it passes with quorum, no block and at least one agree."""

from sameboat.decisions.tally import Process, Quorum, Stance, decide


def test_passes_with_agreement_quorum_and_no_block() -> None:
    votes = [Stance(f"a{i}", "agree") for i in range(5)] + [
        Stance("s1", "stand_aside"),
        Stance("s2", "stand_aside"),
    ]
    outcome = decide(Process.CONSENSUS, votes, eligible=9, quorum=Quorum(min_count=6))
    assert outcome.passed
    assert outcome.counts == {"agree": 5, "stand_aside": 2, "block": 0}
    assert outcome.blocks == ()
    assert outcome.explanation == (
        "Passed by consensus: 5 agreed, 2 stood aside, no block; quorum 6 of 9 met."
    )


def test_a_single_block_among_many_agreements_stops_it_and_names_the_blocker() -> None:
    votes = [Stance(f"a{i}", "agree") for i in range(8)] + [Stance("b", "block")]
    outcome = decide("consensus", votes, eligible=9, quorum=Quorum(min_count=6))
    assert not outcome.passed
    assert outcome.blocks == ("b",)
    assert outcome.explanation == (
        "Stopped by consensus: 1 block (8 agreed, 0 stood aside); quorum 6 of 9 met."
    )


def test_blocks_are_listed_by_voter_id() -> None:
    votes = [Stance("m", "block"), Stance("c", "block"), Stance("a", "agree")]
    outcome = decide("consensus", votes, eligible=3, quorum=Quorum())
    assert outcome.blocks == ("c", "m")
    assert "2 blocks" in outcome.explanation


def test_everyone_standing_aside_is_not_consensus() -> None:
    votes = [Stance(f"s{i}", "stand_aside") for i in range(4)]
    outcome = decide("consensus", votes, eligible=4, quorum=Quorum(min_count=4))
    assert outcome.quorum_met
    assert not outcome.passed
    assert outcome.explanation.startswith("Not passed: nobody agreed")


def test_no_block_is_not_enough_without_quorum() -> None:
    votes = [Stance("a", "agree"), Stance("b", "agree")]
    outcome = decide("consensus", votes, eligible=10, quorum=Quorum(min_fraction=0.5))
    assert not outcome.passed
    assert outcome.quorum_required == 5
    assert outcome.explanation.endswith("quorum 5 of 10 not met: 2 took part.")
