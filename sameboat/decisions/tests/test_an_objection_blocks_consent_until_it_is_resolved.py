"""Consent: an objection blocks until the objector, or a facilitator (recorded as such),
marks it resolved with a note. Resolving is not a second stance."""

import pytest
from django.core.exceptions import ValidationError

from sameboat.decisions.models import Stance
from sameboat.decisions.services import objection_resolve, proposal_close, stance_take


def test_an_unresolved_objection_stops_the_proposal(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    stance_take(proposal=proposal, member=circle["bo"], kind="object", reason="Thursdays clash")
    decided = proposal_close(proposal=proposal, by=counsellor)
    assert decided.outcome_passed is False
    assert decided.outcome_statement == (
        "Not passed: 1 unresolved objection (1 agreed, 0 stood aside); "
        "no quorum required; 2 of 5 took part."
    )
    assert decided.outcome["objections_unresolved"] == 1


def test_the_objector_resolves_their_own_objection_and_it_passes(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    objection = stance_take(
        proposal=proposal, member=circle["bo"], kind="object", reason="Thursdays clash"
    )
    resolved = objection_resolve(stance=objection, by=circle["bo"], note="We moved it to 7pm.")
    assert resolved.is_resolved
    assert resolved.resolved_by == circle["bo"]
    assert not resolved.resolved_by_facilitator
    assert resolved.resolution_note == "We moved it to 7pm."
    assert Stance.objects.filter(proposal=proposal).count() == 2  # no second stance
    decided = proposal_close(proposal=proposal, by=circle["ines"])
    assert decided.outcome_passed is True
    assert decided.outcome_statement == (
        "Passed by consent: 1 agreed, 0 stood aside, no unresolved objection (1 resolved); "
        "no quorum required; 2 of 5 took part."
    )


def test_a_facilitator_resolves_an_objection_and_is_recorded_as_such(
    circle, counsellor, confidential, propose
):
    proposal = propose(circle["ines"], group=confidential)
    objection = stance_take(proposal=proposal, member=circle["bo"], kind="object")
    resolved = objection_resolve(stance=objection, by=counsellor, note="Talked it through.")
    assert resolved.resolved_by == counsellor
    assert resolved.resolved_by_facilitator


def test_another_member_cannot_resolve_someone_elses_objection(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    objection = stance_take(proposal=proposal, member=circle["bo"], kind="object")
    with pytest.raises(ValidationError, match="objector or a facilitator"):
        objection_resolve(stance=objection, by=circle["ana"], note="I think it is fine.")
    objection.refresh_from_db()
    assert not objection.is_resolved


def test_resolving_needs_a_note_and_happens_once(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    objection = stance_take(proposal=proposal, member=circle["bo"], kind="object")
    with pytest.raises(ValidationError, match="Say how"):
        objection_resolve(stance=objection, by=circle["bo"], note="  ")
    objection_resolve(stance=objection, by=circle["bo"], note="Fine now.")
    with pytest.raises(ValidationError, match="already been resolved"):
        objection_resolve(stance=objection, by=circle["bo"], note="Again.")
    objection.refresh_from_db()
    assert objection.resolution_note == "Fine now."


def test_only_an_objection_under_consent_is_resolved(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    agreement = stance_take(proposal=proposal, member=circle["bo"], kind="agree")
    with pytest.raises(ValidationError, match="not an objection"):
        objection_resolve(stance=agreement, by=circle["bo"], note="?")
    consensus = propose(circle["ines"], group=confidential, process="consensus")
    block = stance_take(proposal=consensus, member=circle["bo"], kind="block")
    with pytest.raises(ValidationError, match="under consent"):
        objection_resolve(stance=block, by=circle["bo"], note="?")


def test_an_objection_cannot_be_resolved_after_closing(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    objection = stance_take(proposal=proposal, member=circle["bo"], kind="object")
    proposal_close(proposal=proposal, by=counsellor)
    with pytest.raises(ValidationError, match="decided"):
        objection_resolve(stance=objection, by=circle["bo"], note="Too late.")
