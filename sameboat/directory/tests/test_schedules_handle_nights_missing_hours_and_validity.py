"""The edges of schedules: past midnight, no closing time, validity windows, zones, no rule."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sameboat.directory.schedules import Opening, is_open, next_opening, openings

ZONE = ZoneInfo("America/Toronto")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


def test_night_shelter_closes_the_next_morning() -> None:
    shelter = {"freq": "WEEKLY", "byday": "MO", "opens_at": "20:00", "closes_at": "08:00"}
    assert is_open([shelter], at=at(2026, 11, 23, 23), zone=ZONE)
    assert is_open([shelter], at=at(2026, 11, 24, 7, 59), zone=ZONE)  # Tuesday morning
    assert not is_open([shelter], at=at(2026, 11, 24, 8), zone=ZONE)
    found = openings([shelter], start=at(2026, 11, 24, 6), end=at(2026, 11, 24, 7), zone=ZONE)
    assert found == [Opening(opens=at(2026, 11, 23, 20), closes=at(2026, 11, 24, 8))]


def test_missing_closing_time_closes_at_the_end_of_the_day() -> None:
    drop_in = {"freq": "WEEKLY", "byday": "TU", "opens_at": "13:00"}
    found = next_opening([drop_in], after=at(2026, 11, 23), zone=ZONE)
    assert found == Opening(opens=at(2026, 11, 24, 13), closes=at(2026, 11, 25))


def test_days_without_hours_are_open_all_day() -> None:
    assert is_open([{"freq": "WEEKLY", "byday": "SU"}], at=at(2026, 11, 22, 3), zone=ZONE)


def test_touching_openings_merge_so_until_is_the_real_closing() -> None:
    morning = {"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "12:00"}
    afternoon = {"freq": "WEEKLY", "byday": "MO", "opens_at": "12:00", "closes_at": "17:00"}
    found = openings([morning, afternoon], start=at(2026, 11, 23), end=at(2026, 11, 24), zone=ZONE)
    assert found == [Opening(opens=at(2026, 11, 23, 9), closes=at(2026, 11, 23, 17))]


def test_validity_window_bounds_the_days() -> None:
    winter = {
        "freq": "WEEKLY",
        "byday": "MO",
        "opens_at": "09:00",
        "closes_at": "10:00",
        "valid_from": date(2026, 12, 1),
        "valid_to": "2026-12-14",
    }
    found = openings([winter], start=at(2026, 11, 1), end=at(2027, 1, 31), zone=ZONE)
    assert [o.opens.date() for o in found] == [date(2026, 12, 7), date(2026, 12, 14)]
    assert next_opening([winter], after=at(2026, 12, 15), zone=ZONE) is None


def test_until_and_count_end_the_rule() -> None:
    until = {"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "until": "2026-11-30"}
    assert next_opening([until], after=at(2026, 12, 1), zone=ZONE) is None
    counted = {
        "freq": "WEEKLY",
        "byday": "MO",
        "dtstart": "2026-11-02",
        "count": 2,
        "opens_at": "09:00",
    }
    found = openings([counted], start=at(2026, 10, 1), end=at(2027, 1, 1), zone=ZONE)
    assert [o.opens.date() for o in found] == [date(2026, 11, 2), date(2026, 11, 9)]


def test_schedule_timezone_and_written_offsets_override_the_directory_zone() -> None:
    utc_hours = {"freq": "WEEKLY", "byday": "MO", "opens_at": "14:00Z", "closes_at": "15:00Z"}
    found = openings([utc_hours], start=at(2026, 11, 23), end=at(2026, 11, 24), zone=ZONE)
    assert found[0].opens == datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert found[0].opens.tzinfo == ZONE
    offset = {"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "timezone": -3}
    found = openings([offset], start=at(2026, 11, 23), end=at(2026, 11, 24), zone=ZONE)
    assert found[0].opens == datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_schedules_without_a_rule_or_unreadable_open_nothing() -> None:
    schedules = [
        {"description": "By appointment"},
        {"freq": "WEEKLY", "byday": "XX", "opens_at": "09:00"},
        {"freq": "WEEKLY", "byday": "MO", "opens_at": "nine"},
    ]
    assert openings(schedules, start=at(2026, 1, 1), end=at(2027, 1, 1), zone=ZONE) == []
    assert not is_open(schedules, at=at(2026, 11, 23, 10), zone=ZONE)
    assert next_opening(schedules, after=at(2026, 11, 23), zone=ZONE) is None


def test_daylight_saving_change_keeps_the_local_hours() -> None:
    # Toronto leaves summer time on 2026-11-01: 09:00 is 13:00 UTC before, 14:00 UTC after.
    weekly = {"freq": "WEEKLY", "byday": "FR,MO", "opens_at": "09:00", "closes_at": "10:00"}
    found = openings([weekly], start=at(2026, 10, 30), end=at(2026, 11, 3), zone=ZONE)
    assert [o.opens.astimezone(UTC).hour for o in found] == [13, 14]
    assert found[1].closes - found[1].opens == timedelta(hours=1)
