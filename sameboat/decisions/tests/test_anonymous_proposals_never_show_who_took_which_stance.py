"""An anonymous proposal stores who took each stance (so nobody takes two) but no page and no
API shows it to anyone, facilitators and coordinators included; reasons appear without names.
A proposal that is not anonymous shows who took which stance to those who can see it."""

from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.decisions.models import Stance
from sameboat.decisions.services import objection_resolve, proposal_close, stance_take


def _page(client, viewer, proposal) -> str:
    client.force_login(viewer.user)
    url = reverse("decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _api(viewer, proposal) -> dict:
    api = APIClient()
    api.force_authenticate(viewer.user)
    response = api.get(f"/api/v1/networks/riverside/decisions/{proposal.pk}/")
    assert response.status_code == 200
    return response.json()


def test_nobody_sees_names_beside_anonymous_stances(
    client, facilitator, coordinator, admin_member, make_member, propose
):
    voters = [make_member(display_name=name) for name in ("Zoya", "Yusuf", "Xena")]
    proposal = propose(facilitator, anonymous=True)
    stance_take(proposal=proposal, member=voters[0], kind="agree", reason="Saturdays suit me")
    objection = stance_take(
        proposal=proposal, member=voters[1], kind="object", reason="I work Saturdays"
    )
    stance_take(proposal=proposal, member=voters[2], kind="stand_aside")
    assert Stance.objects.filter(member=voters[1]).exists()  # stored, to enforce "once"

    # While open: the objection and its reason are there to be worked on, without a name; no
    # count, no other stance.
    for viewer in (facilitator, coordinator, admin_member, voters[2]):
        page = _page(client, viewer, proposal)
        assert "I work Saturdays" in page
        assert "Saturdays suit me" not in page
        for voter in voters:
            assert voter.display_name not in page
        data = _api(viewer, proposal)
        assert data["counts"] is None and data["stances"] is None
        assert [o["member"] for o in data["objections"]] == [None]
        assert data["objections"][0]["reason"] == "I work Saturdays"

    objection_resolve(stance=objection, by=facilitator, note="We will rotate.")
    proposal_close(proposal=proposal, by=facilitator)

    # Decided: the count and every reason, still without a name or a time.
    for viewer in (facilitator, coordinator, admin_member, voters[1]):
        page = _page(client, viewer, proposal)
        assert "Saturdays suit me" in page and "I work Saturdays" in page
        assert "Stances and reasons, without names" in page
        for voter in voters:
            assert voter.display_name not in page
        data = _api(viewer, proposal)
        assert {s["reason"] for s in data["stances"]} == {
            "Saturdays suit me",
            "I work Saturdays",
            "",
        }
        assert all(s["member"] is None and s["created_at"] is None for s in data["stances"])
        assert data["outcome"]["counts"] == {"agree": 1, "stand_aside": 1, "object": 1}


def test_the_voter_still_sees_their_own_stance(client, facilitator, member, propose):
    proposal = propose(facilitator, anonymous=True)
    stance_take(proposal=proposal, member=member, kind="agree", reason="Yes please")
    page = _page(client, member, proposal)
    assert "Yes please" in page
    assert _api(member, proposal)["my_stance"]["kind"] == "agree"


def test_without_anonymity_names_are_shown_to_who_can_see_it(
    client, facilitator, member, helper, propose
):
    proposal = propose(facilitator)
    stance_take(proposal=proposal, member=member, kind="agree", reason="Good for my kids")
    page = _page(client, helper, proposal)
    assert "Amina" in page and "Good for my kids" in page
    data = _api(helper, proposal)
    assert data["stances"][0]["member"]["display_name"] == "Amina"
    assert data["counts"] == {"agree": 1, "stand_aside": 0, "object": 0}


def test_scores_and_rankings_are_shown_only_once_closed(client, facilitator, member, propose):
    proposal = propose(facilitator, process="ranked_choice", options=["Park", "Hall"])
    stance_take(proposal=proposal, member=member, ranking=["Hall", "Park"], reason="Dry")
    data = _api(facilitator, proposal)
    assert data["stances"] is None and data["counts"] is None
    assert "Dry" not in _page(client, facilitator, proposal)
    proposal_close(proposal=proposal, by=facilitator)
    data = _api(facilitator, proposal)
    assert data["stances"][0]["ranking"] == ["Hall", "Park"]
    assert data["stances"][0]["member"]["display_name"] == "Amina"
