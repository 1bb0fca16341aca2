"""Reads of the directory, as HSDS documents (see `exporting.py`)."""

import uuid
from collections.abc import Iterator
from typing import Any

from sameboat.directory import exporting
from sameboat.directory.models import Directory
from sameboat.networks.models import Network


def directory_published(*, network: Network) -> bool:
    return Directory.objects.filter(network=network, published=True).exists()


def hsds_documents(
    *, network: Network, kind: str, ids: list[uuid.UUID] | None = None
) -> Iterator[dict[str, Any]]:
    """The network's documents of a kind (`tables.DOCUMENTS`: "service", "organization",
    "service_list"...), in name order, built a batch at a time."""
    return exporting.documents(network, kind, ids=ids)


def hsds_page(
    *, network: Network, kind: str, page_number: int = 1, per_page: int = 0
) -> dict[str, Any]:
    """A page of the HSDS API's paginated list of a list form (per_page 0: all on one)."""
    return exporting.list_page(network, kind, page_number=page_number, per_page=per_page)
