"""Calendars sync to phones, lock screens and shared family calendars: by default a feed
does not name a confidential group, and it never carries member names or agenda items."""

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from sameboat.calendars.models import GroupNames
from sameboat.calendars.services import feed_group_names_set, feed_reset
from sameboat.groups.models import GroupMember
from sameboat.groups.services import agenda_item_propose, meeting_roles_assign


def _calendar(feed, group=None) -> icalendar.Calendar:
    if group is None:
        url = reverse("calendars:feed", kwargs={"feed_token": feed.token})
    else:
        url = reverse(
            "calendars:group_feed", kwargs={"feed_token": feed.token, "group_id": group.pk}
        )
    response = Client().get(url)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def _summaries(calendar) -> dict[str, str]:
    return {str(event["LOCATION"]): str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.fixture
def meetings(confidential, open_group, make_meeting):
    return make_meeting(confidential, place="Room A"), make_meeting(open_group, place="Room B")


def test_by_default_only_open_groups_are_named(insider, confidential, meetings):
    feed = feed_reset(member=insider)
    assert feed.group_names == GroupNames.OPEN
    assert _summaries(_calendar(feed)) == {
        "Room A": "Group meeting",
        "Room B": "Meeting of Food circle",
    }
    group_calendar = _calendar(feed, confidential)
    assert group_calendar["X-WR-CALNAME"] == "Sameboat · Group meetings"
    assert b"Recovery" not in group_calendar.to_ical()


def test_discreet_names_no_group_and_not_even_the_network(insider, meetings):
    feed = feed_group_names_set(feed=feed_reset(member=insider), group_names=GroupNames.NONE)
    calendar = _calendar(feed)
    assert set(_summaries(calendar).values()) == {"Group meeting"}
    assert calendar["X-WR-CALNAME"] == "Sameboat"
    assert b"Riverside" not in calendar.to_ical().replace(b"\r\n ", b"")


def test_a_person_may_choose_to_name_every_group(insider, meetings):
    feed = feed_group_names_set(feed=feed_reset(member=insider), group_names=GroupNames.ALL)
    assert _summaries(_calendar(feed)) == {
        "Room A": "Meeting of Recovery circle",
        "Room B": "Meeting of Food circle",
    }


def test_no_member_names_no_agenda_no_purpose_in_any_feed(
    insider, counsellor, confidential, meetings, make_member
):
    from sameboat.groups.services import group_member_add

    for name in ("Third Tomas", "Fourth Fatima"):
        group_member_add(group=confidential, member=make_member(display_name=name))
    meeting = meetings[0]
    mine = GroupMember.objects.get(group=confidential, member=insider)
    agenda_item_propose(meeting=meeting, by=mine, title="Relapse last week")
    meeting_roles_assign(meeting=meeting, by=counsellor)
    for choice in GroupNames.values:
        feed = feed_group_names_set(feed=feed_reset(member=insider), group_names=choice)
        for group in (None, confidential):
            raw = _calendar(feed, group).to_ical().replace(b"\r\n ", b"")
            for secret in (
                "Insider Ines",
                "Counsellor Kim",
                "Third Tomas",
                "Relapse",
                "sober",
                "Chair",
                insider.user.email,
            ):
                assert secret.encode() not in raw, (choice, secret)
            for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
                assert str(event["DESCRIPTION"]).startswith("http://testserver/n/riverside/")
                assert " " not in str(event["DESCRIPTION"])
