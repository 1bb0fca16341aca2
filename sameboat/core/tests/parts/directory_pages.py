"""This app's objects in the permission-table scenario: the directory's pages.

The network's directory holds one organisation with one service (written through the pages'
own services) and one finished import run (its id a random UUID). Every active member reads
the directory; only coordinators and admins keep it (a member or facilitator asking gets a
403), import runs included.
"""

from datetime import time
from typing import Any

from django.utils import timezone

from sameboat.directory.editing import (
    Hours,
    OrganizationFields,
    ServiceFields,
    organization_save,
    service_save,
)
from sameboat.directory.models import ImportRun, ImportStatus

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ()


def add(base: dict[str, Any]) -> dict[str, object]:
    network = base["network"]
    organization_id = organization_save(
        network=network,
        organization_id=None,
        fields=OrganizationFields(name="Riverside Pantry", description="Food for all."),
    )
    service_id = service_save(
        network=network,
        service_id=None,
        fields=ServiceFields(
            organization_id=organization_id,
            name="Food pantry",
            status="active",
            hours=[Hours(day="TU", opens=time(9), closes=time(17))],
        ),
    )
    run = ImportRun.objects.create(
        network=network,
        name="pantry.json",
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
    )
    return {"organization_id": organization_id, "service_id": service_id, "run_id": run.pk}
