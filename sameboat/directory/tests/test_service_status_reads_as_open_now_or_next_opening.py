"""The short status a service shows, in the network's time zone: "Open now, until 17:00",
"Opens today 9:00", "Opens Tuesday 9:00", a date beyond a week, or nothing without hours."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sameboat.directory.views import hours_rows, open_status

ZONE = ZoneInfo("America/Toronto")
OFFICE = {"freq": "WEEKLY", "byday": "TU,TH", "opens_at": "09:00", "closes_at": "17:00"}


@pytest.fixture(autouse=True)
def toronto(settings: Any) -> None:
    settings.TIME_ZONE = "America/Toronto"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZONE)  # 2026-11-23 is a Monday


def test_open_now_names_the_closing_time() -> None:
    with timezone.override(ZONE):
        assert open_status([OFFICE], now=at(24, 10)) == "Open now, until 17:00"


def test_closed_names_the_next_opening() -> None:
    with timezone.override(ZONE):
        assert open_status([OFFICE], now=at(23, 12)) == "Opens Tuesday 9:00"
        assert open_status([OFFICE], now=at(24, 7)) == "Opens today 9:00"
        assert open_status([OFFICE], now=at(24, 17)) == "Opens Thursday 9:00"


def test_far_openings_give_a_date_and_no_rule_gives_nothing() -> None:
    monthly = {"freq": "MONTHLY", "bymonthday": "20", "opens_at": "10:00"}
    with timezone.override(ZONE):
        assert open_status([monthly], now=at(23, 12)).startswith("Opens Dec")
        assert open_status([{"description": "By appointment"}], now=at(23, 12)) == ""


def test_hours_read_in_words_and_keep_descriptions() -> None:
    rows = hours_rows(
        [
            {"freq": "MONTHLY", "byday": "1SA", "opens_at": "12:00", "closes_at": "14:30"},
            {"freq": "WEEKLY", "interval": 2, "byday": "WE", "opens_at": "17:00"},
            {"description": "By appointment"},
        ]
    )
    assert rows[0]["days"] == "first Saturday of the month"
    assert rows[1]["days"] == "every 2 weeks: Wednesday"
    assert rows[2] == {"days": "", "opens": "", "closes": "", "notes": "By appointment"}
