"""Each process, through the model layer: stances are stored, closing counts them with
tally and records the outcome (structured, and as a statement)."""

from sameboat.decisions.models import ProposalStatus
from sameboat.decisions.services import proposal_close, stance_take


def test_consensus_is_stopped_by_a_single_block(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential, process="consensus")
    for name in ("ines", "ana", "bo"):
        stance_take(proposal=proposal, member=circle[name], kind="agree")
    stance_take(proposal=proposal, member=circle["cy"], kind="block", reason="Not safe for me")
    decided = proposal_close(proposal=proposal, by=counsellor)
    assert decided.status == ProposalStatus.DECIDED
    assert decided.outcome_passed is False
    assert decided.outcome["blocks"] == 1
    assert decided.outcome_statement.startswith("Stopped by consensus: 1 block (3 agreed")


def test_majority_passes_with_more_yes_than_no(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential, process="majority")
    stance_take(proposal=proposal, member=circle["ines"], kind="yes")
    stance_take(proposal=proposal, member=circle["ana"], kind="yes")
    stance_take(proposal=proposal, member=circle["bo"], kind="no")
    stance_take(proposal=proposal, member=circle["cy"], kind="abstain")
    decided = proposal_close(proposal=proposal, by=counsellor)
    assert decided.outcome_passed is True
    assert decided.outcome["counts"] == {"yes": 2, "no": 1, "abstain": 1}
    assert decided.outcome_statement == (
        "Passed by majority: 2 yes, 1 no, 1 abstained; no quorum required; 4 of 5 took part."
    )


def test_score_chooses_the_highest_total(circle, counsellor, confidential, propose):
    proposal = propose(
        circle["ines"],
        group=confidential,
        process="score",
        options=["Picnic", "Walk", "Quiz"],
        max_score=5,
    )
    stance_take(proposal=proposal, member=circle["ines"], scores={"Picnic": 5, "Walk": 2})
    stance_take(proposal=proposal, member=circle["ana"], scores={"Picnic": 3, "Walk": 4})
    stance_take(proposal=proposal, member=circle["bo"], scores={"Walk": 5, "Quiz": 1})
    decided = proposal_close(proposal=proposal, by=counsellor)
    assert decided.outcome_winner == "Walk"
    assert decided.outcome["counts"] == {"Picnic": 8, "Walk": 11, "Quiz": 1}
    assert decided.outcome_statement == (
        "Chosen by score: Walk with 11 points (mean 3.67); no quorum required; 3 of 5 took part."
    )


def test_ranked_choice_runs_an_instant_runoff(circle, counsellor, confidential, propose):
    proposal = propose(
        circle["ines"], group=confidential, process="ranked_choice", options=["A", "B", "C"]
    )
    stance_take(proposal=proposal, member=circle["ines"], ranking=["A"])
    stance_take(proposal=proposal, member=circle["ana"], ranking=["A", "B"])
    stance_take(proposal=proposal, member=circle["bo"], ranking=["B", "C"])
    stance_take(proposal=proposal, member=circle["cy"], ranking=["C", "B"])
    stance_take(proposal=proposal, member=counsellor, ranking=["B"])
    decided = proposal_close(proposal=proposal, by=counsellor)
    # Round 1: A 2, B 2, C 1: C out, its ballot goes to B, who has 3 of 5.
    assert decided.outcome_winner == "B"
    assert [r["eliminated"] for r in decided.outcome["rounds"]] == ["C", None]
    assert decided.outcome_statement == (
        "Chosen by ranked choice: B with 3 of 5 continuing ballots in round 2; "
        "no quorum required; 5 of 5 took part."
    )


def test_a_stored_outcome_names_nobody(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["bo"], kind="object", reason="Too soon")
    decided = proposal_close(proposal=proposal, by=counsellor)
    stored = str(decided.outcome)
    for member in (*circle.values(), counsellor):
        assert f"'{member.pk}'" not in stored
        assert member.display_name not in stored
