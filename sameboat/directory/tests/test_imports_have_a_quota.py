"""Directory imports have a quota (ASVS 12.1.3): one at a time per network, and at most
DIRECTORY_IMPORTS_PER_DAY started in any 24 hours; a refused upload is a 400 with the reason
and writes nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sameboat.directory import tasks
from sameboat.directory.models import ImportRun, ImportStatus
from sameboat.networks.models import Member, Network

EMPTY_PACKAGE = b'{"organizations": []}'


def post(member: Member, name: str = "directory.json") -> Any:
    client = Client()
    client.force_login(member.user)
    return client.post(
        reverse("directory:import", kwargs={"network": member.network.slug}),
        {"file": SimpleUploadedFile(name, EMPTY_PACKAGE)},
    )


def test_a_second_import_waits_for_the_first(coordinator: Member, network: Network) -> None:
    ImportRun.objects.create(network=network, started_by=coordinator.user, name="first.json")
    response = post(coordinator)
    assert response.status_code == 400
    assert "An import is already under way" in response.content.decode()
    assert ImportRun.objects.filter(network=network).count() == 1
    with pytest.raises(ValidationError):
        tasks.run_start(network=network, started_by=None, name="x.json", content=EMPTY_PACKAGE)


def test_a_run_whose_worker_was_lost_long_ago_no_longer_blocks(
    coordinator: Member, network: Network
) -> None:
    ImportRun.objects.create(
        network=network,
        started_by=coordinator.user,
        name="lost.json",
        status=ImportStatus.RUNNING,
        started_at=timezone.now() - tasks.STALE_AFTER - timedelta(minutes=1),
    )
    assert post(coordinator).status_code == 302


def test_the_daily_quota_is_counted_over_24_hours(
    coordinator: Member, network: Network, settings: Any
) -> None:
    settings.DIRECTORY_IMPORTS_PER_DAY = 3
    now = timezone.now()
    for hours_ago in (30, 20, 10):
        ImportRun.objects.create(
            network=network,
            started_by=coordinator.user,
            name=f"{hours_ago}.json",
            status=ImportStatus.DONE,
            started_at=now - timedelta(hours=hours_ago),
        )
    # Two in the last 24 hours: one more is allowed, then no more.
    assert post(coordinator).status_code == 302
    # The worker (not running in this test) would have finished it.
    ImportRun.objects.filter(network=network).update(status=ImportStatus.DONE)
    response = post(coordinator)
    assert response.status_code == 400
    assert "3 imports in the last 24 hours" in response.content.decode()
    assert ImportRun.objects.filter(network=network).count() == 4


def test_another_networks_imports_do_not_count(
    coordinator: Member, network: Network, other_network: Network
) -> None:
    ImportRun.objects.create(network=other_network, name="theirs.json")
    assert post(coordinator).status_code == 302
