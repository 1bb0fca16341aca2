"""The sweep closes every open proposal past its time and sends the "closes soon" notices
that are due, so nothing stays open if a task was lost; `manage.py decisions close-due` runs
it once, and `manage.py decisions schedule` starts its self-rescheduling chain."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sameboat.decisions.models import Proposal, ProposalStatus
from sameboat.decisions.services import (
    proposals_close_due,
    proposals_notify_closing_due,
    stance_take,
)
from sameboat.decisions.tasks import SWEEP_EVERY, schedule_sweep, sweep_proposals
from sameboat.notifications.models import Notification, NotificationKind


def _times(proposal: Proposal, *, opened: timedelta, closes: timedelta, notice: timedelta):
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=now - opened, closes_at=now + closes, closing_notice_at=now + notice
    )


def test_overdue_proposals_are_closed_and_others_left_open(circle, confidential, propose):
    overdue = propose(circle["ines"], group=confidential, title="Overdue")
    running = propose(circle["ines"], group=confidential, title="Running")
    _times(overdue, opened=timedelta(days=4), closes=-timedelta(hours=2), notice=-timedelta(days=1))
    assert proposals_close_due() == 1
    assert proposals_close_due() == 0
    assert Proposal.objects.get(pk=overdue.pk).status == ProposalStatus.DECIDED
    assert Proposal.objects.get(pk=running.pk).status == ProposalStatus.OPEN


def test_a_due_closing_notice_goes_out_once(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    _times(
        proposal, opened=timedelta(days=2), closes=timedelta(hours=3), notice=-timedelta(hours=1)
    )
    # Ana has taken part; the other four (Ines, who put it, too) have not.
    assert proposals_notify_closing_due() == 4
    assert proposals_notify_closing_due() == 0
    assert Notification.objects.filter(kind=NotificationKind.PROPOSAL_CLOSING).count() == 4


def test_the_command_runs_one_sweep(circle, confidential, propose):
    overdue = propose(circle["ines"], group=confidential)
    _times(overdue, opened=timedelta(days=4), closes=-timedelta(hours=2), notice=-timedelta(days=1))
    out = StringIO()
    call_command("decisions", "close-due", stdout=out)
    assert "1 closed" in out.getvalue()
    assert Proposal.objects.get(pk=overdue.pk).status == ProposalStatus.DECIDED


def test_the_sweep_reschedules_itself_once(db):
    before = timezone.now()
    out = StringIO()
    call_command("decisions", "schedule", stdout=out)
    assert "scheduled for" in out.getvalue()
    call_command("decisions", "schedule", stdout=out)
    assert "already scheduled" in out.getvalue()
    waiting = DBTaskResult.objects.get(task_path=sweep_proposals.module_path)
    assert before + SWEEP_EVERY <= waiting.run_after <= timezone.now() + SWEEP_EVERY

    # A run schedules the next (once the one it was is no longer waiting).
    waiting.delete()
    assert sweep_proposals.call() == {"closed": 0, "told_closing_soon": 0}
    assert DBTaskResult.objects.filter(task_path=sweep_proposals.module_path).count() == 1
    assert schedule_sweep() is None  # one is waiting already
