"""Weekly and monthly rules give the openings their hours say, in the directory's zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sameboat.directory.schedules import Opening, is_open, next_opening, openings

ZONE = ZoneInfo("America/Toronto")
WEEKDAYS = {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


def test_weekday_office_hours_give_five_openings_a_week() -> None:
    # 2026-11-23 is a Monday.
    found = openings([WEEKDAYS], start=at(2026, 11, 23), end=at(2026, 11, 30), zone=ZONE)
    assert [o.opens.date() for o in found] == [date(2026, 11, d) for d in range(23, 28)]
    assert found[0] == Opening(opens=at(2026, 11, 23, 9), closes=at(2026, 11, 23, 17))


def test_open_from_opening_time_until_just_before_closing_time() -> None:
    assert not is_open([WEEKDAYS], at=at(2026, 11, 23, 8, 59), zone=ZONE)
    assert is_open([WEEKDAYS], at=at(2026, 11, 23, 9), zone=ZONE)
    assert is_open([WEEKDAYS], at=at(2026, 11, 23, 16, 59), zone=ZONE)
    assert not is_open([WEEKDAYS], at=at(2026, 11, 23, 17), zone=ZONE)
    assert not is_open([WEEKDAYS], at=at(2026, 11, 28, 12), zone=ZONE)  # Saturday


def test_next_opening_after_friday_evening_is_monday_morning() -> None:
    found = next_opening([WEEKDAYS], after=at(2026, 11, 27, 18), zone=ZONE)
    assert found == Opening(opens=at(2026, 11, 30, 9), closes=at(2026, 11, 30, 17))


def test_next_opening_while_open_is_the_following_one() -> None:
    found = next_opening([WEEKDAYS], after=at(2026, 11, 23, 10), zone=ZONE)
    assert found is not None and found.opens == at(2026, 11, 24, 9)


def test_first_saturday_of_the_month() -> None:
    meals = {"freq": "MONTHLY", "byday": "1SA", "opens_at": "12:00", "closes_at": "14:30"}
    found = next_opening([meals], after=at(2026, 11, 22), zone=ZONE)
    assert found == Opening(opens=at(2026, 12, 5, 12), closes=at(2026, 12, 5, 14, 30))


def test_last_friday_and_fifteenth_of_the_month() -> None:
    last_friday = {"freq": "MONTHLY", "byday": "-1FR", "opens_at": "10:00", "closes_at": "11:00"}
    fifteenth = {"freq": "MONTHLY", "bymonthday": "15", "opens_at": "10:00", "closes_at": "11:00"}
    found = openings(
        [last_friday, fifteenth], start=at(2026, 11, 1), end=at(2026, 12, 1), zone=ZONE
    )
    assert [o.opens.date() for o in found] == [date(2026, 11, 15), date(2026, 11, 27)]


def test_fortnightly_rule_counts_weeks_from_dtstart() -> None:
    fortnightly = {
        "freq": "WEEKLY",
        "interval": 2,
        "byday": "WE",
        "dtstart": "2026-01-07",
        "opens_at": "17:00",
        "closes_at": "20:00",
    }
    found = openings([fortnightly], start=at(2026, 11, 1), end=at(2026, 12, 1), zone=ZONE)
    assert [o.opens.date() for o in found] == [date(2026, 11, 11), date(2026, 11, 25)]


def test_times_are_given_in_the_directorys_zone() -> None:
    found = openings([WEEKDAYS], start=at(2026, 11, 23), end=at(2026, 11, 24), zone=ZONE)
    assert found[0].opens.tzinfo == ZONE
