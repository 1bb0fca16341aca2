"""The tabular form: a data package (datapackage.json and one CSV file per HSDS table, named
and with the columns of schema.csv). Export, import into an empty network, export again:
the same files; and the JSON documents of the two networks are the same too."""

import csv
import io
import json
import zipfile
from pathlib import Path

from sameboat.directory import exporting
from sameboat.directory.importing import ImportReport, import_path
from sameboat.directory.tables import TABLES, schema_csv_rows
from sameboat.networks.models import Network


def _files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def test_the_package_has_every_table_with_the_columns_of_schema_csv(
    network: Network, imported: ImportReport, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path / "package")
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text())
    assert [resource["name"] for resource in descriptor["resources"]] == list(TABLES)
    for row_table in {row["table_name"] for row in schema_csv_rows()}:
        spec = TABLES[row_table]
        with (tmp_path / "package" / spec.path).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        listed = [
            row["name"]
            for row in schema_csv_rows()
            if row["table_name"] == row_table and row["type"] in ("string", "number")
        ]
        # schema.csv's fields in its order, then the few the JSON schemas add.
        assert header[: len(listed)] == listed
        assert set(header) == set(spec.column_names)


def test_folder_round_trip(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path / "first")
    report = import_path(other_network, tmp_path / "first")
    assert report.ok and report.rejected == 0
    assert sum(report.created.values()) == sum(imported.created.values())
    exporting.write_package(other_network, tmp_path / "second")
    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")
    # The package's name says whose directory it is; everything else is the same.
    assert (
        json.loads(first.pop("datapackage.json"))["resources"]
        == json.loads(second.pop("datapackage.json"))["resources"]
    )
    assert first == second
    for kind in ("organization", "service"):
        assert list(exporting.documents(network, kind)) == list(
            exporting.documents(other_network, kind)
        )


def test_zip_round_trip(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path / "first.zip")
    assert import_path(other_network, tmp_path / "first.zip").ok
    exporting.write_package(other_network, tmp_path / "second.zip")
    with (
        zipfile.ZipFile(tmp_path / "first.zip") as one,
        zipfile.ZipFile(tmp_path / "second.zip") as two,
    ):
        assert one.namelist() == two.namelist()
        for name in one.namelist():
            if name != "datapackage.json":
                assert one.read(name) == two.read(name), name


def test_a_package_without_datapackage_json_in_a_subfolder_of_a_zip(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path / "first")
    with zipfile.ZipFile(tmp_path / "bare.zip", "w") as archive:
        for path in (tmp_path / "first").iterdir():
            if path.name != "datapackage.json":
                archive.write(path, f"export/{path.name}")
    report = import_path(other_network, tmp_path / "bare.zip")
    assert report.ok
    assert report.created == imported.created


def test_csv_cells_keep_their_values(
    network: Network, imported: ImportReport, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path / "package")
    text = (tmp_path / "package" / "locations.csv").read_text(encoding="utf-8")
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["Food bank warehouse"]["latitude"] == "45.4215"
    services = (tmp_path / "package" / "services.csv").read_text(encoding="utf-8")
    pantry = next(
        row for row in csv.DictReader(io.StringIO(services)) if row["name"] == "Weekly food pantry"
    )
    assert pantry["last_modified"] == "2026-10-01T09:30:00.000Z"
    assert pantry["assured_date"] == "2026-09-15"
