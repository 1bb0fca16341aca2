"""Lists and the proposal page ask the database the same number of times however many
proposals, stances or members there are."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.decisions.services import proposal_close, stance_take
from sameboat.groups.services import group_member_add


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(propose, by, group, voters, count: int) -> None:
    """`count` proposals with a stance from each voter; every other one closed early."""
    for n in range(count):
        proposal = propose(by, group=group, title=f"Proposal {n}")
        for voter in voters:
            stance_take(proposal=proposal, member=voter, kind="agree")
        if n % 2:
            proposal_close(proposal=proposal, by=by)


def test_lists_do_not_grow_with_proposals(circle, counsellor, confidential, propose, facilitator):
    page, api = Client(), APIClient()
    page.force_login(circle["ines"].user)
    api.force_authenticate(circle["ines"].user)
    urls = [
        reverse("decisions:list", kwargs={"network": "riverside"}),
        reverse(
            "decisions:group_list", kwargs={"network": "riverside", "group_id": confidential.pk}
        ),
    ]
    api_url = "/api/v1/networks/riverside/decisions/"
    _grow(propose, circle["ana"], confidential, [circle["bo"]], 2)
    _grow(propose, facilitator, None, [circle["bo"]], 2)
    few = [_count(page, url) for url in urls] + [_count(api, api_url)]
    _grow(propose, circle["ana"], confidential, [circle["bo"], circle["cy"]], 6)
    _grow(propose, facilitator, None, [circle["bo"], circle["cy"]], 6)
    assert [_count(page, url) for url in urls] + [_count(api, api_url)] == few


def test_the_proposal_page_does_not_grow_with_stances(circle, confidential, propose, make_member):
    client, api = Client(), APIClient()
    client.force_login(circle["ines"].user)
    api.force_authenticate(circle["ines"].user)
    for anonymous in (False, True):
        proposal = propose(circle["ines"], group=confidential, anonymous=anonymous)
        url = reverse(
            "decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk}
        )
        api_url = f"/api/v1/networks/riverside/decisions/{proposal.pk}/"
        stance_take(proposal=proposal, member=circle["ana"], kind="object", reason="Hm")
        few = (_count(client, url), _count(api, api_url))
        for n in range(8):
            voter = make_member()
            group_member_add(group=confidential, member=voter)
            stance_take(proposal=proposal, member=voter, kind="object" if n % 2 else "agree")
        assert (_count(client, url), _count(api, api_url)) == few
