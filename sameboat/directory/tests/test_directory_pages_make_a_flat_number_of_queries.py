"""The directory's list and service pages make as many queries for many records as for few."""

import uuid
from datetime import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.directory import sample as dataset
from sameboat.directory.editing import Hours, ServiceFields, service_save
from sameboat.directory.importing import ImportReport
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Member, Network

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_directory_home_queries_do_not_grow_with_services(
    coordinator: Member, network: Network, imported: ImportReport
) -> None:
    client = Client()
    client.force_login(coordinator.user)
    url = reverse("directory:home", kwargs={"network": "riverside"})
    few = _count(client, url)
    report = hsds_import_documents(network=network, data=dataset.copies(12))
    assert report.ok, report.problems
    assert _count(client, url) == few


def test_service_page_queries_do_not_grow_with_hours_and_languages(
    member: Member, network: Network, imported: ImportReport
) -> None:
    client = Client()
    client.force_login(member.user)

    def make(days: list[str], languages: list[str]) -> uuid.UUID:
        return service_save(
            network=network,
            service_id=None,
            fields=ServiceFields(
                organization_id=uuid.UUID(dataset.uid("organization food bank")),
                name="Drop-in",
                status="active",
                languages=languages,
                required_documents=[f"Document {d}" for d in days],
                hours=[Hours(day=d, opens=time(9), closes=time(17)) for d in days],
            ),
        )

    small = make(["MO"], ["en"])
    large = make(["MO", "TU", "WE", "TH", "FR", "SA"], ["en", "es", "fr", "ar"])
    few = _count(
        client, reverse("directory:service", kwargs={"network": "riverside", "service_id": small})
    )
    many = _count(
        client, reverse("directory:service", kwargs={"network": "riverside", "service_id": large})
    )
    assert many == few
