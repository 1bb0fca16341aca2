"""Quorum: a count, a share of those who may take part, or both; checked at closing against
the group's active members and anyone who took part and has left since."""

from sameboat.decisions.services import proposal_close, stance_take
from sameboat.groups.models import GroupMember
from sameboat.groups.services import group_leave


def test_a_share_not_reached_means_not_passed(circle, counsellor, confidential, propose):
    # Five in the group; 60% of 5 is 3.
    proposal = propose(circle["ines"], group=confidential, quorum_percent=60)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    stance_take(proposal=proposal, member=circle["bo"], kind="agree")
    decided = proposal_close(proposal=proposal, by=counsellor)
    assert decided.outcome_passed is False
    assert decided.outcome["quorum_required"] == 3
    assert decided.outcome_statement == (
        "Not passed: 2 agreed, 0 stood aside, no objection; quorum 3 of 5 not met: 2 took part."
    )


def test_a_count_and_a_share_both_apply(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential, quorum_count=4, quorum_percent=20)
    for name in ("ines", "ana", "bo"):
        stance_take(proposal=proposal, member=circle[name], kind="agree")
    assert proposal_close(proposal=proposal, by=counsellor).outcome["quorum_met"] is False
    met = propose(circle["ines"], group=confidential, quorum_count=3, quorum_percent=20)
    for name in ("ines", "ana", "bo"):
        stance_take(proposal=met, member=circle[name], kind="agree")
    decided = proposal_close(proposal=met, by=counsellor)
    assert decided.outcome["quorum_met"] and decided.outcome_passed


def test_someone_who_took_part_and_left_still_counts(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential, quorum_count=2)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    stance_take(proposal=proposal, member=circle["bo"], kind="stand_aside")
    group_leave(membership=GroupMember.objects.get(group=confidential, member=circle["bo"]))
    decided = proposal_close(proposal=proposal, by=counsellor)
    assert decided.outcome["eligible"] == 5  # four still in the group, and Bo
    assert decided.outcome["participants"] == 2
    assert decided.outcome_passed


def test_a_network_wide_proposal_counts_the_networks_active_members(
    network, facilitator, member, helper, propose
):
    proposal = propose(facilitator, quorum_percent=100)
    for person in (facilitator, member, helper):
        stance_take(proposal=proposal, member=person, kind="agree")
    decided = proposal_close(proposal=proposal, by=facilitator)
    assert decided.outcome["eligible"] == network.members.filter(is_active=True).count() == 3
    assert decided.outcome_passed
