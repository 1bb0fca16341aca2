""" "Open now" reads each service's schedules (its own and those of its services at locations)
at the moment of the search, in the directory's time zone; a temporarily closed service is
never open. Fixed moments, in UTC (the tests' TIME_ZONE)."""

from datetime import UTC, datetime

import pytest

from sameboat.directory import search


def open_at(network, moment: datetime) -> set[str]:
    found = search.services_matching(
        network=network,
        criteria=search.Criteria(open_now=True),
        origin=None,
        at=moment,
        zone=UTC,
    )
    hits = search.hits_for(network=network, found=found, at=moment, zone=UTC)
    assert all(hit.open_now for hit in hits)
    return {hit.service.name for hit in hits}


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Wednesday 17:30: the tenants' evening advice (17:00-20:00).
        (datetime(2026, 11, 18, 17, 30, tzinfo=UTC), {"Tenant rights advice"}),
        # Wednesday 19:30: and the peer meeting (18:30-20:00), and the night shelter (from 19:00,
        # a schedule of the service at Harbour House).
        (
            datetime(2026, 11, 18, 19, 30, tzinfo=UTC),
            {"Tenant rights advice", "Peer support meetings", "Emergency shelter beds"},
        ),
        # Thursday 07:30: the shelter's night, begun the evening before, is not over.
        (datetime(2026, 11, 19, 7, 30, tzinfo=UTC), {"Emergency shelter beds"}),
        # Thursday 16:00 UTC is 11:00 at the pantry's clock (UTC-5): open 10 to 2.
        (datetime(2026, 11, 19, 16, 0, tzinfo=UTC), {"Weekly food pantry"}),
        # Thursday 14:00 UTC is 9:00 there: not yet.
        (datetime(2026, 11, 19, 14, 0, tzinfo=UTC), set()),
    ],
)
def test_open_at_fixed_moments(imported, network, moment, expected):
    assert open_at(network, moment) == expected


def test_results_say_when_a_closed_service_opens_next(imported, network):
    moment = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday noon
    found = search.services_matching(
        network=network, criteria=search.Criteria(), origin=None, at=moment, zone=UTC
    )
    hits = {
        hit.service.name: hit
        for hit in search.hits_for(network=network, found=found, at=moment, zone=UTC)
    }
    assert hits["Tenant rights advice"].next_opening == datetime(2026, 11, 18, 17, 0, tzinfo=UTC)
    assert hits["Weekly food pantry"].next_opening == datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
    assert hits["Immigration legal help"].next_opening is None  # temporarily closed
    assert hits["Immigration legal help"].temporarily_closed
