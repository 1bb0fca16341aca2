"""The pages: a group's members put proposals to it, facilitators and up to the network;
the stance form fits the process; the author or a facilitator closes early (recorded); the
author withdraws; bad input is a 400 with a message and writes nothing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sameboat.decisions.models import Proposal, ProposalStatus, Stance
from sameboat.decisions.services import stance_take


def _url(name: str, **kwargs) -> str:
    return reverse(f"decisions:{name}", kwargs={"network": "riverside", **kwargs})


def _closing() -> str:
    return (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def test_a_group_member_puts_a_proposal_to_the_group(client, circle, confidential):
    client.force_login(circle["ana"].user)
    form = client.get(_url("group_create", group_id=confidential.pk))
    assert form.status_code == 200
    assert "it passes unless someone objects" in form.content.decode()
    response = client.post(
        _url("group_create", group_id=confidential.pk),
        {
            "title": "A walk after meetings",
            "text": "Twenty minutes round the park.",
            "process": "consent",
            "max_score": 5,
            "closes_at": _closing(),
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", decision_id=proposal.pk)
    assert (proposal.group, proposal.created_by) == (confidential, circle["ana"])
    listing = client.get(_url("group_list", group_id=confidential.pk)).content.decode()
    assert "A walk after meetings" in listing


def test_bad_input_is_a_400_that_writes_nothing(client, facilitator):
    client.force_login(facilitator.user)
    base = {"title": "Pick a day", "text": "Which?", "max_score": 5, "closes_at": _closing()}
    cases = [
        ({**base, "process": "ranked_choice", "options": "Monday"}, "from 2 to 20 options"),
        ({**base, "process": "score", "options": "Mon\nmon"}, "each option once"),
        ({**base, "process": "consent", "options": "Mon\nTue"}, "Only score and ranked"),
        ({**base, "process": "consent", "closes_at": "2001-01-01T10:00"}, "at least ten minutes"),
        ({**base, "process": "consent", "quorum_percent": 150}, "less than or equal to 100"),
        ({**base, "process": "nonsense"}, "Select a valid choice"),
    ]
    for data, message in cases:
        response = client.post(_url("create"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), message
    assert not Proposal.objects.exists()


def test_who_may_propose(client, member, facilitator, counsellor, open_group):
    client.force_login(member.user)
    assert client.get(_url("create")).status_code == 403
    assert client.get(_url("group_create", group_id=open_group.pk)).status_code == 403
    client.force_login(facilitator.user)
    assert client.get(_url("create")).status_code == 200
    client.force_login(counsellor.user)
    assert client.get(_url("group_create", group_id=open_group.pk)).status_code == 200


def test_the_stance_form_fits_each_process(client, facilitator, member, propose):
    client.force_login(member.user)
    expectations = {
        "consent": ["Agree", "Stand aside", "Object"],
        "consensus": ["Agree", "Stand aside", "Block"],
        "majority": ["Yes", "No", "Abstain"],
    }
    for process, labels in expectations.items():
        proposal = propose(facilitator, process=process)
        page = client.get(_url("detail", decision_id=proposal.pk)).content.decode()
        for label in labels:
            assert f"> {label}</label>" in page, (process, label)

    score = propose(facilitator, process="score", options=["Soup", "Stew"], max_score=3)
    page = client.get(_url("detail", decision_id=score.pk)).content.decode()
    assert "Score each option from 0 to 3" in page
    response = client.post(_url("stance", decision_id=score.pk), {"score_0": 3, "score_1": 1})
    assert response.status_code == 302
    assert Stance.objects.get(proposal=score).scores == {"Soup": 3, "Stew": 1}

    ranked = propose(facilitator, process="ranked_choice", options=["Soup", "Stew", "Salad"])
    page = client.get(_url("detail", decision_id=ranked.pk)).content.decode()
    assert "Rank the options, most preferred first" in page
    bad = client.post(_url("stance", decision_id=ranked.pk), {"choice_0": "1", "choice_1": "1"})
    assert bad.status_code == 400
    assert "Rank each option at most once" in bad.content.decode()
    good = client.post(
        _url("stance", decision_id=ranked.pk), {"choice_0": "2", "choice_1": "0", "reason": "Hot"}
    )
    assert good.status_code == 302
    stance = Stance.objects.get(proposal=ranked)
    assert (stance.ranking, stance.reason) == (["Salad", "Soup"], "Hot")


def test_the_author_or_a_facilitator_closes_early_and_it_is_recorded(
    client, circle, counsellor, confidential, propose
):
    proposal = propose(circle["ines"], group=confidential)
    stance_take(proposal=proposal, member=circle["ana"], kind="agree")
    client.force_login(circle["bo"].user)
    assert client.post(_url("close", decision_id=proposal.pk)).status_code == 403
    assert client.post(_url("withdraw", decision_id=proposal.pk)).status_code == 403
    client.force_login(counsellor.user)
    assert client.post(_url("close", decision_id=proposal.pk)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECIDED
    assert proposal.closed_early_by == counsellor
    page = client.get(_url("detail", decision_id=proposal.pk)).content.decode()
    assert "Passed by consent: 1 agreed" in page
    assert "Closed before its time by Counsellor Kim" in page
    again = client.post(_url("close", decision_id=proposal.pk))
    assert again.status_code == 400
    assert "has been decided" in again.content.decode()


def test_the_author_withdraws(client, circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    client.force_login(counsellor.user)
    assert client.post(_url("withdraw", decision_id=proposal.pk)).status_code == 403
    client.force_login(circle["ines"].user)
    assert client.post(_url("withdraw", decision_id=proposal.pk)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.outcome is None
    assert client.post(_url("withdraw", decision_id=proposal.pk)).status_code == 400


def test_objections_are_resolved_from_the_page(client, circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    objection = stance_take(proposal=proposal, member=circle["bo"], kind="object", reason="Why?")
    url = _url("resolve", decision_id=proposal.pk)
    client.force_login(circle["ana"].user)
    assert client.post(url, {"stance": objection.ref, "note": "Fine"}).status_code == 403
    client.force_login(circle["bo"].user)
    page = client.get(_url("detail", decision_id=proposal.pk)).content.decode()
    assert "Mark the objection resolved" in page
    missing = client.post(url, {"stance": objection.ref, "note": ""})
    assert missing.status_code == 400
    assert "Say how the objection was resolved" in missing.content.decode()
    unknown = client.post(url, {"stance": "not-a-ref", "note": "x"})
    assert unknown.status_code == 400
    assert client.post(url, {"stance": objection.ref, "note": "Answered"}).status_code == 302
    objection.refresh_from_db()
    assert objection.resolution_note == "Answered" and not objection.resolved_by_facilitator
    page = client.get(_url("detail", decision_id=proposal.pk)).content.decode()
    assert "by the objector" in page
