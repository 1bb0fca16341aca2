"""Consent: a proposal passes with quorum and no unresolved objection. Worked by hand."""

from sameboat.decisions.tally import Objection, Process, Quorum, Stance, decide


def stances(agree: int, aside: int = 0) -> list[Stance]:
    return [Stance(f"a{i}", "agree") for i in range(agree)] + [
        Stance(f"s{i}", "stand_aside") for i in range(aside)
    ]


def test_passes_with_agreement_and_a_stand_aside_and_says_so_plainly() -> None:
    outcome = decide(Process.CONSENT, stances(7, 1), eligible=9, quorum=Quorum(min_count=6))
    assert outcome.passed
    assert outcome.winner is None
    assert outcome.quorum_met
    assert outcome.counts == {"agree": 7, "stand_aside": 1, "object": 0}
    assert outcome.objections == ()
    assert outcome.explanation == (
        "Passed by consent: 7 agreed, 1 stood aside, no objection; quorum 6 of 9 met."
    )


def test_one_unresolved_objection_stops_it_and_is_reported_with_its_reason() -> None:
    votes = [*stances(7, 1), Stance("z", "object", reason="we have no budget")]
    outcome = decide("consent", votes, eligible=9, quorum=Quorum(min_count=6))
    assert not outcome.passed
    assert outcome.objections == (Objection("z", resolved=False, reason="we have no budget"),)
    assert outcome.explanation == (
        "Not passed: 1 unresolved objection (7 agreed, 1 stood aside); quorum 6 of 9 met."
    )


def test_resolved_objections_do_not_stop_it_but_are_still_reported() -> None:
    votes = [
        *stances(3),
        Stance("y", "object", resolved=True, reason="date moved"),
        Stance("x", "object", resolved=True),
    ]
    outcome = decide("consent", votes, eligible=5, quorum=Quorum(min_count=5))
    assert outcome.passed
    # Listed by voter id, whatever order they came in.
    assert [o.voter for o in outcome.objections] == ["x", "y"]
    assert all(o.resolved for o in outcome.objections)
    assert outcome.explanation == (
        "Passed by consent: 3 agreed, 0 stood aside, no unresolved objection (2 resolved); "
        "quorum 5 of 5 met."
    )


def test_a_mix_of_resolved_and_unresolved_objections_fails_on_the_unresolved_ones() -> None:
    votes = [
        *stances(4),
        Stance("o1", "object", resolved=True),
        Stance("o2", "object"),
        Stance("o3", "object"),
    ]
    outcome = decide("consent", votes, eligible=10, quorum=Quorum())
    assert not outcome.passed
    assert outcome.counts["object"] == 3
    assert "2 unresolved objections" in outcome.explanation


def test_everyone_standing_aside_is_still_consent() -> None:
    outcome = decide("consent", stances(0, 4), eligible=4, quorum=Quorum(min_count=3))
    assert outcome.passed


def test_no_objection_is_not_enough_without_quorum() -> None:
    outcome = decide("consent", stances(3), eligible=9, quorum=Quorum(min_count=6))
    assert not outcome.passed
    assert not outcome.quorum_met
    assert outcome.explanation == (
        "Not passed: 3 agreed, 0 stood aside, no objection; quorum 6 of 9 not met: 3 took part."
    )


def test_a_proposal_nobody_responded_to_does_not_pass_even_without_a_quorum_rule() -> None:
    outcome = decide("consent", [], eligible=9, quorum=Quorum())
    assert outcome.quorum_met
    assert not outcome.passed
    assert outcome.explanation.startswith("Not passed: nobody took part")
