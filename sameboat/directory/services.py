"""Writes for the directory: its settings, and HSDS imports (see `importing.py` for how an
import validates, takes documents apart, and writes by HSDS id within the network)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from sameboat.directory.importing import (
    Importer,
    ImportReport,
    OnProgress,
    add_json,
    import_path,
)
from sameboat.directory.models import Directory
from sameboat.networks.models import Network


def directory_for(*, network: Network) -> Directory:
    """The network's directory settings (every network has a directory, empty at first)."""
    directory, _created = Directory.objects.get_or_create(network=network)
    return directory


@transaction.atomic
def directory_publish(*, network: Network, published: bool) -> Directory:
    """Publish the network's directory (anyone may read it), or take it back."""
    directory = Directory.objects.select_for_update().filter(network=network).first()
    if directory is None:
        directory = Directory.objects.create(network=network, published=published)
    elif directory.published != published:
        directory.published = published
        directory.save(update_fields=["published", "updated_at"])
    return directory


def hsds_import(
    *,
    network: Network,
    path: Path,
    form: str | None = None,
    kind: str | None = None,
    progress: bool = False,
    on_progress: OnProgress | None = None,
    log: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import an HSDS JSON file or data package (folder or .zip) into the network's directory.
    Raises ImportFailed if it cannot be read at all; otherwise the report lists each invalid
    record (none of which is written) and what was created, updated, left or removed.
    `on_progress(stage, done, total)` hears how far it is (see importing.py)."""
    directory_for(network=network)
    return import_path(
        network,
        path,
        form=form,
        kind=kind,
        progress=progress,
        on_progress=on_progress,
        log=log,
    )


def hsds_import_documents(
    *, network: Network, data: Any, kind: str | None = None, where: str = "request"
) -> ImportReport:
    """Import HSDS JSON already parsed: one object, an array of them, or an API page."""
    directory_for(network=network)
    importer = Importer(network)
    add_json(importer, data, where=where, kind=kind)
    return importer.write()
