"""Ordered by distance or kept if open now, a search reads its candidates' places and
schedules by their ids when they are few, and the network's rows when they are many
(search.FEW); "open now" asks for the schedules of the open hours alone unless too many are
open at once (search.MANY_OPEN). Every way gives the same services, in the same order, at
the same distances; and paging in the database (no place, no "open now") agrees with
paging in memory."""

from datetime import UTC, datetime

import pytest

from sameboat.directory import sample as dataset
from sameboat.directory import search
from sameboat.directory.services import hsds_import_documents

# Wednesday 19:30 UTC: the tenants' advice, the peer meeting and the night shelter are open.
AT = datetime(2026, 11, 18, 19, 30, tzinfo=UTC)
RIVERSIDE = search.Point(45.42, -75.70)


@pytest.fixture
def directory(imported, network):
    report = hsds_import_documents(network=network, data=dataset.copies(18))
    assert report.ok, report.problems
    return network


def run(network, criteria, origin):
    matches = search.Matches(network=network, criteria=criteria, origin=origin, at=AT, zone=UTC)
    return [(item.id, item.distance_km) for item in matches[:]], matches.count()


@pytest.mark.parametrize(
    ("criteria", "origin"),
    [
        (search.Criteria(), RIVERSIDE),
        (search.Criteria(within_km=1.5), RIVERSIDE),
        (search.Criteria(open_now=True), None),
        (search.Criteria(open_now=True), RIVERSIDE),
        (search.Criteria(open_now=True, within_km=2.0, age=30), RIVERSIDE),
    ],
)
def test_few_and_many_read_alike(directory, monkeypatch, criteria, origin):
    few, count = run(directory, criteria, origin)
    assert few and count == len(few)
    monkeypatch.setattr(search, "FEW", 0)
    assert run(directory, criteria, origin) == (few, count)
    # And with more schedules open at once than "open now" names in its query.
    monkeypatch.setattr(search, "MANY_OPEN", 0)
    assert run(directory, criteria, origin) == (few, count)


def test_the_database_pages_as_memory_does(directory):
    by_name = search.Matches(
        network=directory, criteria=search.Criteria(), origin=None, at=AT, zone=UTC
    )
    assert by_name.paged_in_database
    everything = by_name[:]
    assert by_name.count() == len(everything) > 20
    assert [by_name[n : n + 5] for n in range(0, 20, 5)] == [
        everything[n : n + 5] for n in range(0, 20, 5)
    ]
    assert by_name[3] == everything[3] and by_name[-1] == everything[-1]
    # The open-now filter pages in memory; what is open is in the same order.
    open_now = search.services_matching(
        network=directory, criteria=search.Criteria(open_now=True), origin=None, at=AT, zone=UTC
    )
    positions = [everything.index(item) for item in open_now]
    assert open_now and positions == sorted(positions)
