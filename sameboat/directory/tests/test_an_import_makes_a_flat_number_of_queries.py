"""An import makes a fixed number of queries per batch of records (500 rows of a table),
whatever the number of records in the batch: first import, the same again, and a newer
version alike. Exports likewise, per batch of 200 documents."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sameboat.directory import exporting
from sameboat.directory import sample as dataset
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network
from sameboat.networks.services import network_create


def _queries(network: Network, documents: list[dict[str, Any]]) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = hsds_import_documents(network=network, data=documents)
    assert report.ok, report.problems
    return len(queries)


def test_import_queries_do_not_grow_with_records(db: None) -> None:
    few, many = network_create(slug="few", name="Few"), network_create(slug="many", name="Many")
    first = (_queries(few, dataset.copies(2)), _queries(many, dataset.copies(40)))
    assert first[0] == first[1]
    again = (_queries(few, dataset.copies(2)), _queries(many, dataset.copies(40)))
    assert again[0] == again[1]
    newer = (
        _queries(few, dataset.copies(2, name="New")),
        _queries(many, dataset.copies(40, name="New")),
    )
    assert newer[0] == newer[1]


def test_export_queries_do_not_grow_with_documents(db: None) -> None:
    few, many = network_create(slug="few", name="Few"), network_create(slug="many", name="Many")
    hsds_import_documents(network=few, data=dataset.copies(2))
    hsds_import_documents(network=many, data=dataset.copies(40))
    counts = []
    for network in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert list(exporting.documents(network, "service"))
        counts.append(len(queries))
    assert counts[0] == counts[1]
