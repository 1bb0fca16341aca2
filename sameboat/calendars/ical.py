"""RFC 5545 iCalendar for the calendar feeds. Plain data in, bytes out: no Django, so what a
feed says is tested on its own. The `icalendar` library writes the text (escaping, CRLF line
endings, folding at 75 octets); this module decides which properties there are.

What every calendar client we know of needs, and RFC 5545 requires or advises:

- VCALENDAR: VERSION 2.0 and PRODID (required), CALSCALE GREGORIAN, a name for the calendar
  (NAME from RFC 7986, X-WR-CALNAME for the clients that predate it) and how often to fetch
  again (REFRESH-INTERVAL from RFC 7986, X-PUBLISHED-TTL for the older clients);
- each VEVENT: a UID that stays the same for the same meeting on every fetch (so a client
  updates an event rather than duplicating it), DTSTAMP, DTSTART and DTEND in UTC, SUMMARY,
  STATUS, and where it is: LOCATION (the place, or the link when there is no place) and URL
  (the link to join, when there is one). CREATED when the meeting was planned.

What a feed never carries (members' safety depends on it; see `sameboat.policy`): member
names, agenda items, anything else about the group. DESCRIPTION is the meeting page's
address and nothing more: the site shows the rest to whoever signs in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration

PRODID = "-//Sameboat//Sameboat calendar feed//EN"
# How often clients should fetch again. Most poll on their own schedule whatever we say
# (Google every several hours); those that listen take an hour.
REFRESH = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One meeting as a feed may show it."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    page: str
    """The meeting page's absolute address: the event's whole description."""
    place: str = ""
    link: str = ""
    created_at: datetime | None = None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("A feed's times must be aware of their time zone.")
    return moment.astimezone(UTC)


def feed_calendar(
    *, name: str, uid: str, events: Iterable[FeedEvent], generated_at: datetime
) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF line endings, folded lines)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # No METHOD: it would make this an iTIP message (RFC 5546), whose PUBLISH needs an
    # ORGANIZER with an address, and a feed is no message.
    calendar.add("uid", uid)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL.
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = _utc(generated_at).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        # Without METHOD, DTSTAMP is when the event was last revised. Meetings keep no
        # revision time, so the feed's own time stands in: never earlier than the last change.
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(item.starts_at).replace(microsecond=0))
        event.add("dtend", _utc(item.ends_at).replace(microsecond=0))
        event.add("summary", item.summary)
        event.add("status", "CONFIRMED")
        event.add("description", item.page)
        if item.place or item.link:
            event.add("location", item.place or item.link)
        if item.link:
            event.add("url", item.link)
        if item.created_at is not None:
            event.add("created", _utc(item.created_at).replace(microsecond=0))
        calendar.add_component(event)
    return calendar.to_ical()
