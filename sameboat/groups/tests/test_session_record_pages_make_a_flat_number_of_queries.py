"""The record page, the record history and the equity page (and their API twins) make the
same number of queries however many meetings, members, counts and check-ins there are."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.groups.models import MeetingRole
from sameboat.groups.services import Counts, check_in_save, group_member_add, session_record_save
from sameboat.groups.tests.sessions import give_role, mark_present, started_meeting


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(queries)


def _clients(member):
    page, api = Client(), APIClient()
    page.force_login(member.user)
    api.force_authenticate(member.user)
    return page, api


def _recorded_meeting(group, counsellor, days_ago):
    meeting = started_meeting(group, counsellor, days_ago=days_ago)
    rows = list(group.memberships.filter(status="active"))
    mark_present(meeting, *rows)
    give_role(meeting, MeetingRole.CHAIR, rows[-1])
    session_record_save(
        meeting=meeting,
        by=counsellor,
        notes="Notes",
        processes=["mutual_support"],
        stage="intimacy",
        participation={row.pk: Counts(n % 4, n % 2 == 0) for n, row in enumerate(rows)},
    )
    for row in rows:
        check_in_save(meeting=meeting, by=row, wellbeing=3, words="fine")
    return meeting


def test_history_and_equity_do_not_grow_with_meetings_or_members(
    confidential, counsellor, make_member
):
    page, api = _clients(counsellor)
    kwargs = {"network": "riverside", "group_id": confidential.pk}
    urls = [reverse("groups:records", kwargs=kwargs), reverse("groups:equity", kwargs=kwargs)]
    api_base = f"/api/v1/networks/riverside/groups/{confidential.pk}/"
    api_urls = [api_base + "records/", api_base + "equity/"]
    _recorded_meeting(confidential, counsellor, 30)
    _recorded_meeting(confidential, counsellor, 29)
    few = [_count(page, url) for url in urls] + [_count(api, url) for url in api_urls]
    for _ in range(5):
        group_member_add(group=confidential, member=make_member())
    for days_ago in range(20, 14, -1):
        _recorded_meeting(confidential, counsellor, days_ago)
    many = [_count(page, url) for url in urls] + [_count(api, url) for url in api_urls]
    assert many == few


def test_the_record_page_does_not_grow_with_members_counts_or_check_ins(
    confidential, counsellor, insider, make_member
):
    first = _recorded_meeting(confidential, counsellor, 3)
    for _ in range(6):
        group_member_add(group=confidential, member=make_member())
    second = _recorded_meeting(confidential, counsellor, 2)

    def counts(person, meeting) -> list[int]:
        page, api = _clients(person)
        kwargs = {"network": "riverside", "group_id": confidential.pk, "meeting_id": meeting.pk}
        base = f"/api/v1/networks/riverside/groups/{confidential.pk}/meetings/{meeting.pk}/"
        found = [_count(page, reverse("groups:meeting_record", kwargs=kwargs))]
        found.append(_count(api, base + "record/"))
        if person == counsellor:  # everyone's check-ins are for the facilitators
            found.append(_count(api, base + "check-ins/"))
        return found

    for person in (counsellor, insider):
        assert counts(person, first) == counts(person, second)
