"""Every record is validated first. An invalid one is reported with where it is (file, item
or row), its id, the JSON path or column and the reason; nothing of it is written, and the
valid ones are."""

import copy
import csv
import io
from pathlib import Path
from typing import Any

from sameboat.directory import exporting
from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport, Problem, import_path
from sameboat.directory.models import Location, Organization, Phone, Service
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network


def _problems(report: ImportReport) -> list[tuple[str, str, str | None, str, str]]:
    return [(p.where, p.table, p.id, p.path, p.reason) for p in report.problems]


def test_a_schema_error_rejects_its_document_and_only_it(network: Network) -> None:
    services = dataset.services()
    broken = copy.deepcopy(services[0])
    broken["phones"][0].pop("number")
    broken["schedules"][0]["freq"] = "DAILY"
    report = hsds_import_documents(
        network=network, data=[broken, *services[1:]], where="services.json"
    )
    # Each problem names the record at fault: the phone, the schedule (in the service).
    assert _problems(report) == [
        (
            "services.json, item 1",
            "phone",
            broken["phones"][0]["id"],
            "$.phones[0]",
            "'number' is a required property",
        ),
        (
            "services.json, item 1",
            "schedule",
            broken["schedules"][0]["id"],
            "$.schedules[0].freq",
            "'DAILY' is not one of ['WEEKLY', 'MONTHLY']",
        ),
    ]
    assert str(report.problems[0]) == (
        f"services.json, item 1: phone {broken['phones'][0]['id']}: $.phones[0]: "
        "'number' is a required property"
    )
    assert (report.sources, report.rejected) == (len(services), 1)
    stored = set(Service.objects.filter(network=network).values_list("name", flat=True))
    assert broken["name"] not in stored
    assert stored == {service["name"] for service in services[1:]}
    assert not Phone.objects.filter(network=network, id=broken["phones"][0]["id"]).exists()


def test_ids_must_be_uuids_and_dates_must_be_dates(network: Network) -> None:
    service = dataset.services()[0]
    service["id"] = "pantry-1"
    other = dataset.services()[1]
    other["schedules"][0]["valid_from"] = "1st of May"
    report = hsds_import_documents(network=network, data=[service, other], where="s.json")
    problems = _problems(report)
    assert (
        "s.json, item 1",
        "service",
        "pantry-1",
        "$.id",
        "'pantry-1' is not a 'uuid'",
    ) in problems
    assert (
        "s.json, item 2",
        "schedule",
        other["schedules"][0]["id"],
        "$.schedules[0].valid_from",
        "'1st of May' is not a date (YYYY-MM-DD)",
    ) in _problems(report)
    assert not Service.objects.filter(network=network).exists()


def test_a_service_must_belong_to_an_organization_of_the_directory(network: Network) -> None:
    service = dataset.services()[0]
    del service["organization"], service["organization_id"]
    stray = dataset.services()[1]
    del stray["organization"]
    report = hsds_import_documents(network=network, data=[service, stray], where="s.json")
    assert _problems(report) == [
        (
            "s.json, item 1",
            "service",
            service["id"],
            "$.organization_id",
            "is required: give it, or nest the record in what it belongs to",
        ),
        (
            "s.json, item 2",
            "service",
            stray["id"],
            "$.organization_id",
            f"no organization of this directory has the id {stray['organization_id']}",
        ),
    ]
    assert not Service.objects.filter(network=network).exists()
    assert not Location.objects.filter(network=network).exists()


def test_a_nested_record_must_not_say_it_belongs_elsewhere(network: Network) -> None:
    service = dataset.services()[0]
    service["phones"][0]["service_id"] = dataset.uid("service meals")
    report = hsds_import_documents(network=network, data=service, where="pantry.json")
    [problem] = report.problems
    assert problem.where == "pantry.json" and problem.path == "$.phones[0].service_id"
    assert "nested in" in problem.reason
    assert not Organization.objects.filter(network=network).exists()


def test_two_documents_that_disagree_on_a_record_keep_the_first(network: Network) -> None:
    first, second = dataset.services()[:2]
    second["organization"] = dict(second["organization"], name="Another name")
    report = hsds_import_documents(network=network, data=[first, second], where="s.json")
    [problem] = report.problems
    assert (problem.where, problem.path) == ("s.json, item 2", "$.organization.name")
    assert "has another name in s.json, item 1" in problem.reason
    assert Organization.objects.get(network=network).name == "Riverside Community Food Bank"
    assert list(Service.objects.filter(network=network).values_list("name", flat=True)) == [
        first["name"]
    ]


def _rewrite(path: Path, change: Any) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def test_tabular_rows_are_reported_by_file_and_row_and_their_dependants_follow(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path)
    pantry = dataset.uid("service pantry")

    def break_pantry(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["id"] == pantry:
                row["status"] = "open"
            if row["name"] == "Community hot meals":
                row["minimum_age"] = "twelve"

    _rewrite(tmp_path / "services.csv", break_pantry)
    report = import_path(other_network, tmp_path)
    problems = report.problems
    by_file = {(p.where.split(",")[0], p.id) for p in problems}
    # services.csv rows are numbered as a spreadsheet numbers them (the header is row 1).
    assert (
        Problem(
            f"services.csv, row {_row_of(tmp_path / 'services.csv', pantry)}",
            "service",
            pantry,
            "status",
            "'open' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']",
        )
        in problems
    )
    assert any(
        p.path == "minimum_age" and "'twelve' is not of type 'number'" in p.reason for p in problems
    )
    # The pantry's phones, schedules, languages... belonged to it: they are rejected in turn.
    assert ("phones.csv", dataset.uid("phone pantry +1 613 555 0120")) in by_file
    assert ("languages.csv", dataset.uid("language pantry so")) in by_file
    assert not Service.objects.filter(network=other_network, id__in=[pantry]).exists()
    assert not Phone.objects.filter(
        network=other_network, id=dataset.uid("phone pantry +1 613 555 0120")
    ).exists()
    # Everything else came in.
    assert Service.objects.filter(network=other_network).count() == 5
    assert Organization.objects.filter(network=other_network).count() == 3


def _row_of(path: Path, record_id: str) -> int:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return next(number for number, row in enumerate(rows, start=2) if row["id"] == record_id)


def test_a_package_with_an_unknown_column_or_file_warns(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path)
    (tmp_path / "notes.csv").write_text("id,text\r\n", encoding="utf-8")
    with (tmp_path / "phones.csv").open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    (tmp_path / "phones.csv").write_text(
        text.replace("\r\n", ",colour\r\n", 1), encoding="utf-8", newline=""
    )
    report = import_path(other_network, tmp_path)
    assert report.ok
    assert any("notes.csv" in warning for warning in report.warnings)
    assert any("column colour" in warning for warning in report.warnings)


def test_a_file_that_is_not_json_fails_whole(network: Network, tmp_path: Path) -> None:
    import pytest

    from sameboat.directory.importing import ImportFailed

    (tmp_path / "services.json").write_text('[{"id": NaN}]')
    with pytest.raises(ImportFailed, match="not valid JSON"):
        import_path(network, tmp_path / "services.json")
    (tmp_path / "things.json").write_text('[{"id": "x", "name": "y", "description": "z"}]')
    with pytest.raises(ImportFailed, match="--objects"):
        import_path(network, tmp_path / "things.json")


def test_an_attribute_must_name_an_hsds_table(
    network: Network, imported: ImportReport, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path)

    def misname(rows: list[dict[str, str]]) -> None:
        rows[0]["link_entity"] = "Service"

    _rewrite(tmp_path / "attributes.csv", misname)
    report = import_path(network, tmp_path)
    [problem] = report.problems
    assert (problem.where, problem.table, problem.path, problem.reason) == (
        "attributes.csv, row 2",
        "attribute",
        "link_entity",
        "'Service' is not an HSDS table",
    )
    # The stored attribute is left as it was: an invalid row never writes.
    assert report.changed == 0
