"""When a service is open, read from its HSDS 3.0 schedules (RFC 5545 rules). Pure: no Django.

A schedule is an HSDS `schedule` object as a mapping (from a document, or a model's values):
`freq` (WEEKLY or MONTHLY), `interval`, `byday` ("MO,WE", or "1SA", "-1FR" for MONTHLY),
`bymonthday`, `byweekno`, `byyearday`, `wkst`, `dtstart`, `until`, `count`, `valid_from`,
`valid_to`, `opens_at`, `closes_at`, `timezone`, `description`. Dates may be `date` objects
or ISO strings; times "HH:MM" or "HH:MM:SS", optionally with "Z" or a "+01:00" offset.

Reading rules, chosen because HSDS leaves them open:

- A schedule's clock is, in order: the offset written on `opens_at`, its `timezone` (hours
  from UTC), or the directory's own zone (`zone`, the network's time zone).
- `closes_at` at or before `opens_at` closes the next day (a night shelter open 20:00-08:00).
- No `opens_at` opens at midnight; no `closes_at` closes at the end of the day: a schedule
  that says which days but not which hours means "open those days".
- `valid_from` / `valid_to` bound the days an opening may start on, both included.
- Without `dtstart` a rule is anchored on `valid_from`, or else on a fixed Monday (2001-01-01):
  weekly rules with an interval need an anchor to know which weeks, and any fixed anchor
  is as good as another when the publisher gave none. `count` counts from that anchor.
- A schedule without `freq` is no rule: it opens nothing (its `description` is still shown
  by the pages), and a rule we cannot read is ignored rather than guessed.
- Openings that touch or overlap (two schedules, or Monday 20:00-24:00 and Tuesday 00:00-08:00)
  are merged, so "open until" names the real closing time.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from dateutil import rrule

__all__ = ["Opening", "is_open", "next_opening", "openings"]


@dataclass(frozen=True, slots=True)
class Opening:
    opens: datetime  # aware
    closes: datetime  # aware


WEEKDAYS = {
    "MO": rrule.MO,
    "TU": rrule.TU,
    "WE": rrule.WE,
    "TH": rrule.TH,
    "FR": rrule.FR,
    "SA": rrule.SA,
    "SU": rrule.SU,
}
FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY, "YEARLY": rrule.YEARLY}
BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$")
ANCHOR = date(2001, 1, 1)  # a Monday
# How far ahead next_opening looks: a monthly rule opens at least once in any 13 months.
HORIZON = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class Rule:
    """A schedule made ready to produce days: what dateutil needs, plus the hours."""

    recurrence: rrule.rrule
    freq: str
    interval: int
    anchor: date
    counted: bool  # a `count` ties the rule to its anchor: it cannot be moved
    opens: time
    closes: time | None
    zone: tzinfo
    valid_from: date | None
    valid_to: date | None


class Unreadable(ValueError):
    """A schedule whose rule or hours cannot be read."""


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise Unreadable(f"not a date: {value!r}") from error


def _clock(value: Any) -> tuple[time, tzinfo | None] | None:
    """A time of day and the offset written on it, if any."""
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value.replace(tzinfo=None), value.tzinfo
    match = CLOCK.match(str(value).strip())
    if not match:
        raise Unreadable(f"not a time: {value!r}")
    hour, minute, second, offset = match.groups()
    if int(hour) == 24 and int(minute) == 0:
        # "24:00" is how some publishers write midnight at the end of the day.
        return time(0), _offset(offset)
    try:
        return time(int(hour), int(minute), int(second or 0)), _offset(offset)
    except ValueError as error:
        raise Unreadable(f"not a time: {value!r}") from error


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _numbers(value: Any) -> list[int]:
    if value in (None, ""):
        return []
    try:
        return [int(part) for part in str(value).replace(" ", "").split(",") if part]
    except ValueError as error:
        raise Unreadable(f"not a list of numbers: {value!r}") from error


def _weekdays(value: Any) -> list[rrule.weekday]:
    days = []
    for part in str(value or "").upper().replace(" ", "").split(","):
        if not part:
            continue
        match = BYDAY.match(part)
        if not match:
            raise Unreadable(f"not a day: {part!r}")
        nth, code = match.groups()
        days.append(WEEKDAYS[code](int(nth)) if nth else WEEKDAYS[code])
    return days


def _rule(schedule: Mapping[str, Any], zone: tzinfo) -> Rule | None:
    """The schedule's rule, or None for a schedule that has no rule."""
    freq = str(schedule.get("freq") or "").upper()
    if not freq:
        return None
    if freq not in FREQUENCIES:
        raise Unreadable(f"unknown frequency: {freq!r}")
    opens = _clock(schedule.get("opens_at"))
    closes = _clock(schedule.get("closes_at"))
    offset = schedule.get("timezone")
    if opens and opens[1] is not None:
        own_zone: tzinfo = opens[1]
    elif offset not in (None, ""):
        own_zone = timezone(timedelta(hours=float(offset)))
    else:
        own_zone = zone
    valid_from = _date(schedule.get("valid_from"))
    dtstart = _date(schedule.get("dtstart"))
    anchor = dtstart or valid_from or ANCHOR
    until = _date(schedule.get("until"))
    count = schedule.get("count")
    interval = schedule.get("interval")
    wkst = str(schedule.get("wkst") or "").upper()
    options: dict[str, Any] = {
        "dtstart": datetime.combine(anchor, time()),
        "interval": max(1, int(float(interval))) if interval not in (None, "") else 1,
        "byweekday": _weekdays(schedule.get("byday")) or None,
        "bymonthday": _numbers(schedule.get("bymonthday")) or None,
        "byweekno": _numbers(schedule.get("byweekno")) or None,
        "byyearday": _numbers(schedule.get("byyearday")) or None,
    }
    # Spell out the days dateutil would take from the anchor, so that the anchor may be moved
    # near the window asked about (see _near) without changing which days the rule gives.
    if not any(options[k] for k in ("byweekday", "bymonthday", "byweekno", "byyearday")):
        if freq == "WEEKLY":
            options["byweekday"] = [rrule.weekday(anchor.weekday())]
        elif freq == "MONTHLY":
            options["bymonthday"] = [anchor.day]
    if wkst in WEEKDAYS:
        options["wkst"] = WEEKDAYS[wkst]
    # RFC 5545 forbids UNTIL and COUNT together; UNTIL, a date, is the plainer of the two.
    if until is not None:
        options["until"] = datetime.combine(until, time())
    elif count not in (None, ""):
        options["count"] = max(0, int(float(count)))
    try:
        recurrence = rrule.rrule(FREQUENCIES[freq], **options)
    except (ValueError, TypeError) as error:
        raise Unreadable(str(error)) from error
    return Rule(
        recurrence=recurrence,
        freq=freq,
        interval=options["interval"],
        anchor=anchor,
        counted="count" in options,
        opens=opens[0] if opens else time(0),
        closes=closes[0] if closes else None,
        zone=own_zone,
        valid_from=valid_from,
        valid_to=_date(schedule.get("valid_to")),
    )


def _rules(schedules: Sequence[Mapping[str, Any]], zone: tzinfo) -> list[Rule]:
    rules = []
    for schedule in schedules:
        try:
            rule = _rule(schedule, zone)
        except (Unreadable, ValueError, TypeError, OverflowError):
            continue
        if rule is not None:
            rules.append(rule)
    return rules


def _near(rule: Rule, day: date) -> rrule.rrule:
    """The rule anchored on the last whole number of periods before `day`: the same days,
    without walking every period since an anchor that may lie decades back."""
    if rule.counted or day <= rule.anchor:
        return rule.recurrence
    if rule.freq == "WEEKLY":
        # Whole weeks from the week's start keep both the weekdays and the weeks' phase.
        step = 7 * rule.interval
        anchor = rule.anchor + timedelta(days=step * ((day - rule.anchor).days // step - 1))
    elif rule.freq == "MONTHLY":
        months = (day.year - rule.anchor.year) * 12 + day.month - rule.anchor.month
        shift = rule.interval * (months // rule.interval - 1)
        index = rule.anchor.year * 12 + rule.anchor.month - 1 + shift
        anchor = date(index // 12, index % 12 + 1, 1)
    else:
        return rule.recurrence
    if anchor <= rule.anchor:
        return rule.recurrence
    return rule.recurrence.replace(dtstart=datetime.combine(anchor, time()))


def _openings_of(rule: Rule, start: datetime, end: datetime) -> list[Opening]:
    # Days are the schedule's own days; an opening that began the day before may still run.
    first = start.astimezone(rule.zone).date() - timedelta(days=1)
    last = end.astimezone(rule.zone).date()
    if rule.valid_from and rule.valid_from > first:
        first = rule.valid_from
    if rule.valid_to and rule.valid_to < last:
        last = rule.valid_to
    if first > last:
        return []
    days = _near(rule, first).between(
        datetime.combine(first, time()), datetime.combine(last, time()), inc=True
    )
    found = []
    for moment in days:
        day = moment.date()
        opens = datetime.combine(day, rule.opens, tzinfo=rule.zone)
        if rule.closes is None:
            closes = datetime.combine(day + timedelta(days=1), time(), tzinfo=rule.zone)
        else:
            closes = datetime.combine(day, rule.closes, tzinfo=rule.zone)
            if closes <= opens:
                closes = datetime.combine(day + timedelta(days=1), rule.closes, tzinfo=rule.zone)
        if opens < end and closes > start:
            found.append(Opening(opens=opens, closes=closes))
    return found


def _merged(found: list[Opening], zone: tzinfo) -> list[Opening]:
    merged: list[Opening] = []
    for opening in sorted(found, key=lambda o: (o.opens, o.closes)):
        if merged and opening.opens <= merged[-1].closes:
            if opening.closes > merged[-1].closes:
                merged[-1] = Opening(opens=merged[-1].opens, closes=opening.closes)
            continue
        merged.append(opening)
    return [
        Opening(opens=o.opens.astimezone(zone), closes=o.closes.astimezone(zone)) for o in merged
    ]


def _check_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("schedules need aware datetimes")


def openings(
    schedules: Sequence[Mapping[str, Any]], *, start: datetime, end: datetime, zone: tzinfo
) -> list[Opening]:
    """The openings that overlap [start, end), merged where they touch, in order, expressed in
    `zone` (an opening that began before `start` is given whole)."""
    _check_aware(start, end)
    if end <= start:
        return []
    found: list[Opening] = []
    for rule in _rules(schedules, zone):
        found.extend(_openings_of(rule, start, end))
    return _merged(found, zone)


def is_open(schedules: Sequence[Mapping[str, Any]], *, at: datetime, zone: tzinfo) -> bool:
    """Whether some schedule is open at `at` (opening time included, closing time not)."""
    _check_aware(at)
    return any(
        o.opens <= at < o.closes
        for o in openings(schedules, start=at, end=at + timedelta(microseconds=1), zone=zone)
    )


def next_opening(
    schedules: Sequence[Mapping[str, Any]], *, after: datetime, zone: tzinfo
) -> Opening | None:
    """The first opening that opens strictly after `after` (within about thirteen months),
    or None. While a service is open, this is the next one, not the current one."""
    _check_aware(after)
    rules = _rules(schedules, zone)
    if not rules:
        return None
    # Look a week ahead first: that is where almost every next opening is.
    for span in (timedelta(days=8), HORIZON):
        found: list[Opening] = []
        for rule in rules:
            found.extend(_openings_of(rule, after, after + span))
        upcoming = [o for o in _merged(found, zone) if o.opens > after]
        # An opening that runs to the edge of the window may go on into one the window cut
        # off (Monday and Tuesday all day, seen from a Monday): look further before answering.
        if upcoming and (upcoming[0].closes < after + span or span == HORIZON):
            return upcoming[0]
    return None
