from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sameboat.groups.models import GroupMember
from sameboat.groups.services import (
    agenda_item_propose,
    attendance_record,
    group_member_add,
    meeting_create,
    meeting_roles_assign,
)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _meetings(group, by, count):
    return meeting_create(
        group=group,
        by=by,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
        recurrence="weekly" if count > 1 else "none",
        occurrences=count,
    )


def test_meeting_lists_do_not_grow_with_meetings(counsellor, confidential):
    page, api = Client(), APIClient()
    page.force_login(counsellor.user)
    api.force_authenticate(counsellor.user)
    url = reverse("groups:detail", kwargs={"network": "riverside", "group_id": confidential.pk})
    api_url = f"/api/v1/networks/riverside/groups/{confidential.pk}/meetings/"
    _meetings(confidential, counsellor, 1)
    few, few_api = _count(page, url), _count(api, api_url)
    _meetings(confidential, counsellor, 8)
    assert _count(page, url) == few
    assert _count(api, api_url) == few_api


def test_meeting_page_does_not_grow_with_agenda_roles_and_attendance(
    counsellor, confidential, make_member
):
    meeting = _meetings(confidential, counsellor, 1)[0]
    client, api = Client(), APIClient()
    client.force_login(counsellor.user)
    api.force_authenticate(counsellor.user)
    kwargs = {"network": "riverside", "group_id": confidential.pk, "meeting_id": meeting.pk}
    url = reverse("groups:meeting", kwargs=kwargs)
    api_url = f"/api/v1/networks/riverside/groups/{confidential.pk}/meetings/{meeting.pk}/"
    first = GroupMember.objects.filter(group=confidential).first()
    agenda_item_propose(meeting=meeting, by=first, title="One")
    meeting_roles_assign(meeting=meeting, by=counsellor)
    attendance_record(meeting=meeting, present=set())
    few, few_api = _count(client, url), _count(api, api_url)
    for n in range(6):
        row = group_member_add(group=confidential, member=make_member())
        agenda_item_propose(meeting=meeting, by=row, title=f"Item {n}")
    meeting_roles_assign(meeting=meeting, by=counsellor)
    attendance_record(meeting=meeting, present={first.pk})
    assert _count(client, url) == few
    assert _count(api, api_url) == few_api
