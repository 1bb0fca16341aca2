"""Importing the same data again changes nothing, and says so: every record unchanged, none
created, updated or removed, in either form."""

from pathlib import Path

from sameboat.directory import exporting
from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport, import_path
from sameboat.directory.models import MODELS
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network


def _snapshot(network: Network) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: list(model.objects.filter(network=network).order_by("key").values_list())
        for table, model in MODELS.items()
    }


def test_json_twice(network: Network, imported: ImportReport) -> None:
    before = _snapshot(network)
    again = hsds_import_documents(network=network, data=dataset.organizations())
    assert again.ok and again.changed == 0
    assert again.unchanged == imported.created
    assert _snapshot(network) == before


def test_services_after_organizations_change_nothing(
    network: Network, imported: ImportReport
) -> None:
    again = hsds_import_documents(network=network, data=dataset.services())
    assert again.ok and again.changed == 0


def test_tabular_twice(network: Network, imported: ImportReport, tmp_path: Path) -> None:
    exporting.write_package(network, tmp_path / "package.zip")
    before = _snapshot(network)
    report = import_path(network, tmp_path / "package.zip")
    assert report.ok and report.changed == 0
    assert report.unchanged == imported.created
    assert _snapshot(network) == before
