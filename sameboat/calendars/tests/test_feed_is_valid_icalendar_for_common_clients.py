"""A member's feed is RFC 5545 iCalendar that common clients read: parsed back with the
icalendar library, each property is where the RFC (and the clients) want it."""

import re
from datetime import timedelta

import icalendar
from django.test import Client
from django.urls import reverse

from sameboat.calendars.services import feed_reset


def _utc(prop) -> bool:
    return prop.dt.utcoffset() == timedelta(0)


def _fetch(feed, group=None):
    if group is None:
        url = reverse("calendars:feed", kwargs={"feed_token": feed.token})
    else:
        url = reverse(
            "calendars:group_feed", kwargs={"feed_token": feed.token, "group_id": group.pk}
        )
    return Client().get(url)


def test_the_feed_has_every_property_clients_need(insider, confidential, make_meeting):
    meeting = make_meeting(
        confidential, in_hours=72, place="Back room", link="https://meet.example.org/a"
    )
    feed = feed_reset(member=insider)
    response = _fetch(feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    raw = response.content
    # CRLF line endings and lines folded at 75 octets (RFC 5545, 3.1).
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))

    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar.name == "VCALENDAR"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["X-WR-CALNAME"] == "Sameboat · Riverside Mutual Aid"
    assert "METHOD" not in calendar  # a feed, not an iTIP message
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"meeting-{meeting.pk}@127.0.0.1"
    assert _utc(event["DTSTAMP"])
    assert event["DTSTART"].dt == meeting.starts_at
    assert _utc(event["DTSTART"]) and _utc(event["DTEND"])
    assert event["DTEND"].dt == meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    for name in (b"DTSTAMP", b"DTSTART", b"DTEND", b"CREATED"):
        assert re.search(rb"\r\n" + name + rb":\d{8}T\d{6}Z\r\n", raw), name
    assert event["SUMMARY"] == "Group meeting"
    assert event["LOCATION"] == "Back room"
    assert event["URL"] == "https://meet.example.org/a"
    assert event["STATUS"] == "CONFIRMED"
    assert _utc(event["CREATED"])
    page = reverse(
        "groups:meeting",
        kwargs={"network": "riverside", "group_id": confidential.pk, "meeting_id": meeting.pk},
    )
    assert event["DESCRIPTION"] == f"http://testserver{page}"


def test_uids_stay_the_same_from_one_fetch_to_the_next(insider, confidential, make_meeting):
    make_meeting(confidential, in_hours=24)
    make_meeting(confidential, in_hours=24 * 8)
    feed = feed_reset(member=insider)

    def uids():
        calendar = icalendar.Calendar.from_ical(_fetch(feed).content)
        return [event["UID"] for event in calendar.walk("VEVENT")]

    first = uids()
    assert len(first) == 2 and first == uids()


def test_an_online_meeting_is_located_at_its_link(insider, confidential, make_meeting):
    make_meeting(confidential, place="", link="https://meet.example.org/b")
    feed = feed_reset(member=insider)
    [event] = icalendar.Calendar.from_ical(_fetch(feed).content).walk("VEVENT")
    assert event["LOCATION"] == "https://meet.example.org/b"
    assert event["URL"] == "https://meet.example.org/b"


def test_the_feed_holds_the_last_60_days_and_the_coming_year(insider, confidential, make_meeting):
    kept = [make_meeting(confidential, in_hours=hours) for hours in (-24 * 59, 2, 24 * 364)]
    for hours in (-24 * 61, 24 * 366):
        make_meeting(confidential, in_hours=hours)
    feed = feed_reset(member=insider)
    events = icalendar.Calendar.from_ical(_fetch(feed).content).walk("VEVENT")
    assert [event["UID"] for event in events] == [f"meeting-{m.pk}@127.0.0.1" for m in kept]


def test_a_group_feed_holds_that_groups_meetings_only(
    insider, confidential, open_group, make_meeting
):
    mine = make_meeting(open_group)
    make_meeting(confidential)
    feed = feed_reset(member=insider)
    assert len(icalendar.Calendar.from_ical(_fetch(feed).content).walk("VEVENT")) == 2
    calendar = icalendar.Calendar.from_ical(_fetch(feed, open_group).content)
    assert calendar["X-WR-CALNAME"] == "Sameboat · Food circle"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"meeting-{mine.pk}@127.0.0.1"
    assert event["SUMMARY"] == "Meeting of Food circle"


def test_a_cancelled_meeting_disappears_from_the_feed(insider, confidential, make_meeting):
    meeting = make_meeting(confidential)
    feed = feed_reset(member=insider)
    assert len(icalendar.Calendar.from_ical(_fetch(feed).content).walk("VEVENT")) == 1
    meeting.delete()
    calendar = icalendar.Calendar.from_ical(_fetch(feed).content)
    assert calendar.walk("VEVENT") == []
    assert calendar["VERSION"] == "2.0"  # still a valid, empty calendar
