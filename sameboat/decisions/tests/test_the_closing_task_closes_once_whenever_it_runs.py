"""The closing task is idempotent: it closes a proposal whose time has come once, and does
nothing if it runs early, twice, after an early close or after a withdrawal. Run late, it
closes with the same outcome."""

from datetime import timedelta

from django.utils import timezone

from sameboat.decisions.models import Proposal, ProposalStatus
from sameboat.decisions.services import (
    proposal_close,
    proposal_close_due,
    proposal_withdraw,
    stance_take,
)
from sameboat.decisions.tasks import close_proposal
from sameboat.notifications.models import Notification, NotificationKind


def _past_its_time(proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=timezone.now() - timedelta(minutes=5),
    )


def test_it_closes_once_and_a_second_run_changes_nothing(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    _past_its_time(proposal)
    assert close_proposal.call(proposal.pk) == "decided"
    first = Proposal.objects.get(pk=proposal.pk)
    assert first.status == ProposalStatus.DECIDED and first.outcome_passed
    assert first.closed_early_by is None
    decided_news = Notification.objects.filter(kind=NotificationKind.PROPOSAL_DECIDED).count()
    assert decided_news == 5

    assert close_proposal.call(proposal.pk) == "already closed"
    again = Proposal.objects.get(pk=proposal.pk)
    assert (again.decided_at, again.outcome) == (first.decided_at, first.outcome)
    assert Notification.objects.filter(kind=NotificationKind.PROPOSAL_DECIDED).count() == 5


def test_run_late_it_closes_as_it_would_have_on_time(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="object")
    late = proposal.closes_at + timedelta(days=2)
    assert proposal_close_due(proposal_id=proposal.pk, now=late) == "decided"
    proposal.refresh_from_db()
    assert proposal.decided_at == late
    assert proposal.closed_early_by is None
    assert proposal.outcome_passed is False


def test_it_does_nothing_before_its_time(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    assert close_proposal.call(proposal.pk) == "not due"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_it_does_nothing_after_an_early_close(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    early = proposal_close(proposal=proposal, by=counsellor)
    assert early.closed_early_by == counsellor
    _past_its_time(proposal)
    assert close_proposal.call(proposal.pk) == "already closed"
    proposal.refresh_from_db()
    assert proposal.closed_early_by == counsellor
    assert proposal.decided_at == early.decided_at


def test_it_does_nothing_after_a_withdrawal_or_for_a_proposal_that_is_gone(
    circle, confidential, propose
):
    proposal = propose(circle["ines"], group=confidential)
    proposal_withdraw(proposal=proposal, by=circle["ines"])
    _past_its_time(proposal)
    assert close_proposal.call(proposal.pk) == "already closed"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.outcome is None
    assert close_proposal.call(proposal.pk + 1000) == "missing"
