"""A proposal takes stances until its closing time, even before the worker has closed it;
after that, and once decided or withdrawn, a stance gets a clear 400 and nothing changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.decisions.models import Proposal, Stance
from sameboat.decisions.services import proposal_close, proposal_withdraw, stance_take


def test_past_its_closing_time_it_takes_no_stance(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    later = proposal.closes_at + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="closed at its closing time"):
        stance_take(proposal=proposal, member=circle["ana"], kind="agree", now=later)
    assert not Stance.objects.exists()


def test_once_decided_it_takes_no_stance(client, circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    proposal_close(proposal=proposal, by=counsellor)
    with pytest.raises(ValidationError, match="has been decided"):
        stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    client.force_login(circle["ana"].user)
    response = client.post(
        reverse("decisions:stance", kwargs={"network": "riverside", "decision_id": proposal.pk}),
        {"kind": "agree"},
    )
    assert response.status_code == 400
    assert "has been decided" in response.content.decode()
    api = APIClient()
    api.force_authenticate(circle["ana"].user)
    response = api.post(
        f"/api/v1/networks/riverside/decisions/{proposal.pk}/stance/",
        {"kind": "agree"},
        format="json",
    )
    assert response.status_code == 400
    assert not Stance.objects.exists()


def test_once_withdrawn_it_takes_no_stance(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    proposal_withdraw(proposal=proposal, by=circle["ines"])
    with pytest.raises(ValidationError, match="withdrawn"):
        stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    assert not Stance.objects.exists()


def test_a_proposal_past_its_time_shows_no_form(client, circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(circle["ana"].user)
    page = client.get(
        reverse("decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk})
    ).content.decode()
    assert "Take my stance" not in page
