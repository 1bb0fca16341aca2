"""The feeds and the calendar API make as many queries for many meetings and groups as for
few."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.calendars.services import feed_reset
from sameboat.groups.services import group_create, group_member_add
from sameboat.networks.models import Role


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feeds_do_not_grow_with_meetings_or_groups(
    network, insider, confidential, make_member, make_meeting
):
    feed = feed_reset(member=insider)
    urls = [
        reverse("calendars:feed", kwargs={"feed_token": feed.token}),
        reverse(
            "calendars:group_feed", kwargs={"feed_token": feed.token, "group_id": confidential.pk}
        ),
    ]
    api = APIClient()
    api.force_authenticate(insider.user)
    api_url = "/api/v1/networks/riverside/calendar/"
    make_meeting(confidential)
    few = [_count(Client(), url) for url in urls]
    few_api = _count(api, api_url)
    boss = make_member(Role.FACILITATOR)
    for n in range(5):
        group = group_create(network=network, by=boss, fields={"name": f"G{n}", "type": "food"})
        group_member_add(group=group, member=insider)
        make_meeting(group, in_hours=n + 1)
        make_meeting(confidential, in_hours=24 * (n + 3))
    assert [_count(Client(), url) for url in urls] == few
    assert _count(api, api_url) == few_api
