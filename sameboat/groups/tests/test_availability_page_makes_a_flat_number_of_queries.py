"""The availability page and API list, as a facilitator sees them (everyone's rows and times
away), make as many queries for a large group as for a small one."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.groups.services import group_member_add, time_away_add


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(group, make_member, count):
    today = timezone.localdate()
    for n in range(count):
        row = group_member_add(group=group, member=make_member())
        for k in range(2):
            day = today + timedelta(days=10 * k + n + 1)
            time_away_add(membership=row, starts_on=day, ends_on=day)


def test_availability_does_not_grow_with_members_and_times_away(
    confidential, counsellor, make_member
):
    page, api = Client(), APIClient()
    page.force_login(counsellor.user)
    api.force_authenticate(counsellor.user)
    url = reverse(
        "groups:availability", kwargs={"network": "riverside", "group_id": confidential.pk}
    )
    api_url = f"/api/v1/networks/riverside/groups/{confidential.pk}/availability/"
    _grow(confidential, make_member, 1)
    few, few_api = _count(page, url), _count(api, api_url)
    _grow(confidential, make_member, 8)
    assert _count(page, url) == few
    assert _count(api, api_url) == few_api
