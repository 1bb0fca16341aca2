"""Export, import into an empty network, export again: the same documents, in every JSON form
(full organizations, full services, list pages, taxonomies and terms)."""

import json
from pathlib import Path

import pytest

from sameboat.directory import exporting
from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport, import_path
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network
from sameboat.networks.services import network_create


@pytest.mark.parametrize("kind", ["organization", "service", "service_at_location"])
def test_full_documents_come_back_the_same(
    network: Network, imported: ImportReport, kind: str
) -> None:
    first = list(exporting.documents(network, kind))
    empty = network_create(slug=f"empty-{kind.replace('_', '-')}", name="Empty")
    report = hsds_import_documents(network=empty, data=first, kind=kind)
    assert report.ok and report.rejected == 0
    assert list(exporting.documents(empty, kind)) == first


def test_the_exported_file_comes_back_byte_for_byte(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_json(network, tmp_path / "organizations.json", "organization")
    report = import_path(other_network, tmp_path / "organizations.json")
    assert report.ok and sum(report.created.values()) == sum(imported.created.values())
    exporting.write_json(other_network, tmp_path / "again.json", "organization")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "organizations.json").read_bytes()


def test_services_alone_bring_their_organizations_locations_and_terms(
    other_network: Network,
) -> None:
    report = hsds_import_documents(network=other_network, data=dataset.services())
    assert report.ok
    assert report.created["organization"] == 3 and report.created["taxonomy_term"] == 7
    first = list(exporting.documents(other_network, "service"))
    third = network_create(slug="third", name="Third")
    hsds_import_documents(network=third, data=first)
    assert list(exporting.documents(third, "service")) == first


@pytest.mark.parametrize("kind", ["service_list", "organization_list", "taxonomy", "taxonomy_term"])
def test_list_pages_come_back_the_same(
    network: Network, imported: ImportReport, tmp_path: Path, kind: str
) -> None:
    exporting.write_json(network, tmp_path / f"{kind}.json", kind, as_page=True)
    page = json.loads((tmp_path / f"{kind}.json").read_text())
    empty = network_create(slug="empty", name="Empty")
    # The list forms hold what they hold: a service's organization briefly, no phones...
    hsds_import_documents(network=empty, data=page)
    assert exporting.list_page(empty, kind) == page


def test_numbers_dates_and_times_keep_their_values(
    network: Network, imported: ImportReport
) -> None:
    food_bank = next(
        document
        for document in exporting.documents(network, "organization")
        if document["name"] == "Riverside Community Food Bank"
    )
    assert food_bank["year_incorporated"] == 1987 and isinstance(
        food_bank["year_incorporated"], int
    )
    meals = next(s for s in food_bank["services"] if s["name"] == "Community hot meals")
    assert meals["cost_options"][0]["amount"] == 2.5
    assert food_bank["metadata"][0]["last_action_date"] == "2026-09-30"
    # HSDS has no null: an empty optional field is left out, an empty required one is not.
    assert "alternate_name" not in meals
    assert food_bank["metadata"][0]["previous_value"] == ""
