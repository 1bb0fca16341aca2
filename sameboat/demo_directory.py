"""The demo network's directory of community resources: the sample HSDS 3.0 directory
(sameboat/directory/sample.py: a food bank, a tenants' legal clinic, a recovery collective and
their services), imported through the same importer as any HSDS file, with its places moved
to the demo city so that distances and the map make sense there."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sameboat.directory import sample
from sameboat.directory.importing import ImportReport
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network

# The sample directory's own city centre; each place keeps its offset from it.
SAMPLE_CENTRE = (45.4215, -75.6972)


def _moved(value: Any, centre: tuple[Decimal, Decimal]) -> Any:
    """The documents again, every latitude and longitude moved from the sample's city to
    `centre` (a few kilometres apart stay a few kilometres apart)."""
    if isinstance(value, list):
        return [_moved(item, centre) for item in value]
    if not isinstance(value, dict):
        return value
    moved = {key: _moved(item, centre) for key, item in value.items()}
    if moved.get("latitude") is not None and moved.get("longitude") is not None:
        moved["latitude"] = round(float(centre[0]) + moved["latitude"] - SAMPLE_CENTRE[0], 6)
        moved["longitude"] = round(float(centre[1]) + moved["longitude"] - SAMPLE_CENTRE[1], 6)
    return moved


def build_directory(
    *, network: Network, centre: tuple[Decimal, Decimal], log: Callable[[str], None]
) -> ImportReport:
    report = hsds_import_documents(
        network=network,
        data=_moved(sample.organizations(), centre),
        where="the demo's sample directory",
    )
    if not report.ok:
        # The sample is valid HSDS (its tests say so): a problem here is a bug, not data.
        raise RuntimeError(f"The demo directory did not import: {report.problems[:3]}")
    log(f"    {sum(report.created.values())} directory records")
    return report
