"""This app's objects in the permission-table scenario: the directory's pages.

The network's directory holds one organisation with one service (written through the pages'
own services) and one finished import run. Every active member reads the directory; only
coordinators and admins keep it (a member or facilitator asking gets a 403).
"""

from datetime import time
from typing import Any

from django.utils import timezone

from sameboat.directory import tasks
from sameboat.directory.editing import (
    Hours,
    OrganizationFields,
    ServiceFields,
    organization_save,
    service_save,
)

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
    run_id = "permissiontable" + str(network.pk)
    tasks.run_save(
        run_id,
        {
            "network_id": network.pk,
            "name": "pantry.json",
            "upload": "",
            "status": tasks.DONE,
            "started": timezone.now().isoformat(),
            "sources": 0,
            "rejected": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "deleted": 0,
            "problems": [],
        },
    )
    return {"organization_id": organization_id, "service_id": service_id, "run_id": run_id}
