from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.groups.models import GroupType
from sameboat.groups.services import group_create, group_member_add, stage_record


def _grow(network, counsellor, make_member, start: int, count: int):
    for n in range(start, start + count):
        group = group_create(
            network=network,
            by=counsellor,
            fields={"name": f"Group {n}", "type": GroupType.SUPPORT, "confidential": n % 2 == 0},
        )
        group_member_add(group=group, member=make_member())


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_group_list_queries_do_not_grow_with_groups(network, counsellor, coordinator, make_member):
    _grow(network, counsellor, make_member, 0, 2)
    page, api = Client(), APIClient()
    page.force_login(coordinator.user)
    api.force_authenticate(coordinator.user)
    url = reverse("groups:list", kwargs={"network": "riverside"})
    api_url = "/api/v1/networks/riverside/groups/"
    few, few_api = _count(page, url), _count(api, api_url)
    _grow(network, counsellor, make_member, 2, 12)
    assert _count(page, url) == few
    assert _count(api, api_url) == few_api


def test_group_page_queries_do_not_grow_with_members(counsellor, confidential, make_member):
    client = Client()
    client.force_login(counsellor.user)
    url = reverse("groups:detail", kwargs={"network": "riverside", "group_id": confidential.pk})
    stage_record(group=confidential, by=counsellor, stage="preaffiliation")
    few = _count(client, url)
    for _ in range(10):
        group_member_add(group=confidential, member=make_member())
    stage_record(group=confidential, by=counsellor, stage="intimacy")
    stage_record(group=confidential, by=counsellor, stage="differentiation")
    assert _count(client, url) == few
