"""The pure iCalendar writer, without Django: UTC times, escaped text, folded lines, and no
naive times."""

from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from sameboat.calendars.ical import FeedEvent, feed_calendar

ZONE = timezone(timedelta(hours=-5))


def _event(**changes) -> FeedEvent:
    values = {
        "uid": "meeting-1@example.org",
        "starts_at": datetime(2027, 3, 1, 18, 30, tzinfo=ZONE),
        "ends_at": datetime(2027, 3, 1, 20, 0, tzinfo=ZONE),
        "summary": "Group meeting",
        "page": "https://example.org/n/riverside/groups/1/meetings/1/",
    }
    return FeedEvent(**(values | changes))


def test_times_become_utc_and_text_is_escaped_and_folded():
    place = "Hall; back door, second floor " * 4
    raw = feed_calendar(
        name="Sameboat",
        uid="feed-1@example.org",
        events=[_event(place=place)],
        generated_at=datetime(2027, 2, 1, tzinfo=ZONE),
    )
    assert b"DTSTART:20270301T233000Z\r\n" in raw
    assert b"DTEND:20270302T010000Z\r\n" in raw
    assert b"DTSTAMP:20270201T050000Z\r\n" in raw
    assert b"Hall\\; back door\\, second floor" in raw.replace(b"\r\n ", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    [event] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert event["LOCATION"] == place
    assert "URL" not in event  # no link, no URL


def test_refresh_interval_carries_its_required_value_type():
    raw = feed_calendar(name="S", uid="u", events=[], generated_at=datetime.now(ZONE))
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in raw


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        feed_calendar(
            name="S",
            uid="u",
            events=[_event(starts_at=datetime(2027, 3, 1, 18, 30))],
            generated_at=datetime.now(ZONE),
        )
