"""Meeting pages follow the group's policy: members propose, facilitators record attendance,
and a confidential group's meetings are a 404 to everyone outside it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sameboat.groups.models import AgendaItem, Attendance
from sameboat.groups.services import meeting_create
from sameboat.networks.models import Role


@pytest.fixture
def meeting(confidential, counsellor):
    return meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        place="Back room",
    )[0]


def _url(name, meeting):
    return reverse(
        name,
        kwargs={"network": "riverside", "group_id": meeting.group_id, "meeting_id": meeting.pk},
    )


def test_a_member_proposes_an_agenda_item(client, insider, meeting):
    client.force_login(insider.user)
    response = client.post(_url("groups:meeting_agenda", meeting), {"title": "Holiday plans"})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.title == "Holiday plans" and item.proposed_by.member == insider
    page = client.get(_url("groups:meeting", meeting))
    assert b"Holiday plans" in page.content
    assert client.post(_url("groups:meeting_agenda", meeting), {"title": " "}).status_code == 400
    assert AgendaItem.objects.count() == 1


def test_a_non_member_of_a_confidential_group_gets_404(client, make_member, coordinator, meeting):
    for outsider in (make_member(Role.MEMBER), make_member(Role.FACILITATOR), coordinator):
        client.force_login(outsider.user)
        assert client.get(_url("groups:meeting", meeting)).status_code == 404
        response = client.post(_url("groups:meeting_agenda", meeting), {"title": "Hi"})
        assert response.status_code == 404
    assert not AgendaItem.objects.exists()


def test_attendance_is_recorded_by_facilitators_only(client, counsellor, insider, meeting):
    rows = {row.member_id: row for row in meeting.group.memberships.all()}
    client.force_login(insider.user)
    me = next(r for r in rows.values() if r.member_id == insider.pk)
    response = client.post(_url("groups:meeting_attendance", meeting), {"present": [me.pk]})
    assert response.status_code == 403
    assert not Attendance.objects.exists()
    client.force_login(counsellor.user)
    response = client.post(_url("groups:meeting_attendance", meeting), {"present": [me.pk]})
    assert response.status_code == 302
    assert {(a.member_id, a.present) for a in Attendance.objects.all()} == {
        (row.pk, row.pk == me.pk) for row in rows.values()
    }
    # Recording again updates the same rows.
    client.post(_url("groups:meeting_attendance", meeting), {})
    assert Attendance.objects.count() == len(rows)
    assert not Attendance.objects.filter(present=True).exists()
    bad = client.post(_url("groups:meeting_attendance", meeting), {"present": ["999999"]})
    assert bad.status_code == 400


def test_group_detail_shows_upcoming_meetings(client, insider, meeting):
    client.force_login(insider.user)
    url = reverse("groups:detail", kwargs={"network": "riverside", "group_id": meeting.group_id})
    assert _url("groups:meeting", meeting).encode() in client.get(url).content
