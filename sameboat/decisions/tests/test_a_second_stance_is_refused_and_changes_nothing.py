"""A stance is taken once. A second one, by the service, the page or the API, gets a clear
message (400) and nothing changes; the database refuses it too."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.decisions.models import Stance
from sameboat.decisions.services import stance_take


def test_the_service_refuses_a_second_stance(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree", reason="Good idea")
    with pytest.raises(ValidationError, match="already taken your stance"):
        stance_take(proposal=proposal, member=circle["ana"], kind="object")
    stance = Stance.objects.get(proposal=proposal)
    assert (stance.kind, stance.reason) == ("agree", "Good idea")


def test_the_database_allows_one_stance_per_member(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    Stance.objects.create(proposal=proposal, member=circle["ana"], kind="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(proposal=proposal, member=circle["ana"], kind="object")


def test_the_page_answers_400_and_keeps_the_first_stance(client, circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    url = reverse("decisions:stance", kwargs={"network": "riverside", "decision_id": proposal.pk})
    client.force_login(circle["ana"].user)
    assert client.post(url, {"kind": "agree"}).status_code == 302
    response = client.post(url, {"kind": "object", "reason": "Changed my mind"})
    assert response.status_code == 400
    assert "already taken your stance" in response.content.decode()
    assert list(Stance.objects.values_list("kind", "reason")) == [("agree", "")]


def test_the_api_answers_400_and_keeps_the_first_stance(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    api = APIClient()
    api.force_authenticate(circle["ana"].user)
    url = f"/api/v1/networks/riverside/decisions/{proposal.pk}/stance/"
    assert api.post(url, {"kind": "agree"}, format="json").status_code == 201
    response = api.post(url, {"kind": "object"}, format="json")
    assert response.status_code == 400
    assert "already taken your stance" in str(response.json())
    assert Stance.objects.get().kind == "agree"


def test_a_stance_that_does_not_fit_the_process_is_refused(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    with pytest.raises(ValidationError, match="Agree, Stand aside, Object"):
        stance_take(proposal=proposal, member=circle["ana"], kind="block")
    scored = propose(circle["ines"], group=confidential, process="score", options=["A", "B"])
    for scores, message in (
        ({"C": 1}, "not one of the options"),
        ({"A": 6}, "from 0 to 5"),
        ({"A": "lots"}, "whole numbers"),
        ({}, "at least one"),
    ):
        with pytest.raises(ValidationError, match=message):
            stance_take(proposal=scored, member=circle["ana"], scores=scores)
    ranked = propose(
        circle["ines"], group=confidential, process="ranked_choice", options=["A", "B"]
    )
    for ranking, message in (
        (["A", "A"], "at most once"),
        (["Z"], "not one of the options"),
        ([], "at least one"),
    ):
        with pytest.raises(ValidationError, match=message):
            stance_take(proposal=ranked, member=circle["ana"], ranking=ranking)
    assert not Stance.objects.exists()
