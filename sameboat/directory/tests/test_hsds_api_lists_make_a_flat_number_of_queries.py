"""A page of the HSDS API makes the same number of queries however many records it holds
and however many the directory has: one per kind of nested record, never one per record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport
from sameboat.directory.services import directory_publish, hsds_import_documents
from sameboat.networks.models import Member, Network

PATHS = [
    "services",
    "services?full=true",
    "services?minimal=true",
    "services?search=pantry&taxonomy_id=" + dataset.TAXONOMY["id"],
    "organizations",
    "organizations?full=true",
    "organizations?full_service=true",
    "service_at_locations",
    "service_at_locations?full=true",
    "service_at_locations?postcode=R2V1A1&proximity=3000",
    "taxonomies",
    "taxonomy_terms",
]


def count(client: APIClient, path: str, per_page: int) -> int:
    joiner = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/hsds/riverside/{path}{joiner}per_page={per_page}")
        assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("path", PATHS)
def test_a_page_makes_as_many_queries_with_more_records(
    network: Network, imported: ImportReport, path: str
) -> None:
    directory_publish(network=network, published=True)
    client = APIClient()
    few = count(client, path, 100)
    # Twenty more pantries (their own services, places, phones, schedules...).
    assert hsds_import_documents(network=network, data=dataset.copies(20), kind="service").ok
    assert count(client, path, 100) == few
    assert count(client, path, 27) == few


def test_a_member_reading_an_unpublished_directory_adds_no_queries_per_record(
    network: Network, imported: ImportReport, member: Member
) -> None:
    client = APIClient()
    client.force_login(member.user)
    few = count(client, "services?full=true", 100)
    assert hsds_import_documents(network=network, data=dataset.copies(20), kind="service").ok
    assert count(client, "services?full=true", 100) == few
