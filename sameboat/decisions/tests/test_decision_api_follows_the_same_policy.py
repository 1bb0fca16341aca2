"""The API: list, put, read, take a stance, resolve an objection, close and withdraw, under
the same policy as the pages."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.decisions.models import Proposal, ProposalStatus, Stance

BASE = "/api/v1/networks/riverside/decisions/"


def _api(member=None) -> APIClient:
    client = APIClient()
    if member is not None:
        client.force_authenticate(member.user)
    return client


def _closing() -> str:
    return (timezone.now() + timedelta(days=2)).isoformat()


def test_putting_a_proposal_by_role_and_group(member, facilitator, insider, confidential):
    body = {"title": "Rotate the chair", "process": "consent", "closes_at": _closing()}
    assert _api().post(BASE, body, format="json").status_code == 401
    assert _api(member).post(BASE, body, format="json").status_code == 403
    created = _api(facilitator).post(BASE, body, format="json")
    assert created.status_code == 201
    assert created.json()["group"] is None and created.json()["status"] == "open"
    in_group = _api(insider).post(BASE, {**body, "group": confidential.pk}, format="json")
    assert in_group.status_code == 201
    assert in_group.json()["can_withdraw"] and in_group.json()["can_take_stance"]
    bad = _api(facilitator).post(
        BASE, {**body, "process": "score", "options": ["Only one"]}, format="json"
    )
    assert bad.status_code == 400
    assert "options" in bad.json()
    assert Proposal.objects.count() == 2


def test_list_filters_and_shows_open_first(facilitator, member, propose):
    from sameboat.decisions.services import proposal_close

    first = propose(facilitator, title="First")
    propose(facilitator, title="Second", closes_at=timezone.now() + timedelta(days=1))
    proposal_close(proposal=first, by=facilitator)
    rows = _api(member).get(BASE).json()["results"]
    assert [row["title"] for row in rows] == ["Second", "First"]
    assert [
        r["title"] for r in _api(member).get(BASE, {"status": "decided"}).json()["results"]
    ] == ["First"]
    assert _api(member).get(BASE, {"group": "network"}).json()["count"] == 2
    assert _api(member).get(BASE, {"status": "nope"}).status_code == 400
    assert _api(member).get(BASE, {"group": "x"}).status_code == 400


def test_a_decision_through_the_api(circle, counsellor, confidential, propose):
    proposal = propose(
        circle["ines"], group=confidential, process="ranked_choice", options=["A", "B"]
    )
    url = f"{BASE}{proposal.pk}/"
    taken = _api(circle["ana"]).post(f"{url}stance/", {"ranking": ["B", "A"]}, format="json")
    assert taken.status_code == 201
    assert taken.json()["my_stance"]["ranking"] == ["B", "A"]
    assert taken.json()["stances"] is None  # a ranking is shown once closed
    bad = _api(circle["bo"]).post(f"{url}stance/", {"ranking": ["A", "A"]}, format="json")
    assert bad.status_code == 400
    assert Stance.objects.count() == 1
    assert _api(circle["bo"]).post(f"{url}close/").status_code == 403
    closed = _api(circle["ines"]).post(f"{url}close/")
    assert closed.status_code == 200
    data = closed.json()
    assert data["status"] == "decided" and data["outcome_winner"] == "B"
    assert data["outcome"]["rounds"][0]["counts"] == {"A": 0, "B": 1}
    assert data["outcome_statement"].startswith("Chosen by ranked choice: B with 1 of 1")
    assert data["outcome_statement_recorded"] == data["outcome_statement"]
    assert data["closed_early_by"]["display_name"] == "Insider Ines"
    assert _api(circle["ines"]).post(f"{url}close/").status_code == 400
    assert _api(circle["ines"]).post(f"{url}withdraw/").status_code == 400


def test_resolving_an_objection_through_the_api(circle, counsellor, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    url = f"{BASE}{proposal.pk}/"
    _api(circle["bo"]).post(f"{url}stance/", {"kind": "object", "reason": "Too far"}, format="json")
    objection = _api(circle["ana"]).get(url).json()["objections"][0]
    assert objection["member"]["display_name"] == "Bo" and not objection["resolved"]
    body = {"stance": objection["ref"], "note": "Lifts arranged"}
    assert _api(circle["ana"]).post(f"{url}resolve/", body, format="json").status_code == 403
    resolved = _api(counsellor).post(f"{url}resolve/", body, format="json")
    assert resolved.status_code == 200
    row = resolved.json()["objections"][0]
    assert row["resolved"] and row["resolved_by_facilitator"]
    assert _api(counsellor).post(f"{url}resolve/", body, format="json").status_code == 400
    unknown = {"stance": "00000000-0000-0000-0000-000000000000", "note": "x"}
    assert _api(counsellor).post(f"{url}resolve/", unknown, format="json").status_code == 400


def test_withdrawing_through_the_api(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    url = f"{BASE}{proposal.pk}/withdraw/"
    assert _api(circle["ana"]).post(url).status_code == 403
    assert _api(circle["ines"]).post(url).json()["status"] == ProposalStatus.WITHDRAWN
