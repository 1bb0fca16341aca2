"""A newer version of the data updates the records by HSDS id: changed fields are written,
a list given in full replaces the stored one (a phone gone is removed, with what belonged to
it), a list left out is left alone."""

import csv
from pathlib import Path

from sameboat.directory import exporting
from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport, import_path
from sameboat.directory.models import Language, Phone, Schedule, Service, ServiceAtLocation
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network

PANTRY = dataset.uid("service pantry")
PANTRY_PHONE = dataset.uid("phone pantry +1 613 555 0120")


def _pantry(organizations: list[dict]) -> dict:
    return next(s for s in organizations[0]["services"] if s["id"] == PANTRY)


def test_changed_fields_and_nested_lists_are_replaced(
    network: Network, imported: ImportReport
) -> None:
    newer = dataset.organizations()
    pantry = _pantry(newer)
    pantry["name"] = "Weekly food pantry and fridge"
    pantry["phones"] = []
    pantry["schedules"].append(
        {
            "id": dataset.uid("schedule pantry saturday"),
            "freq": "WEEKLY",
            "byday": "SA",
            "opens_at": "10:00",
            "closes_at": "12:00",
        }
    )
    report = hsds_import_documents(network=network, data=newer)
    assert report.ok
    assert report.updated == {"service": 1}
    assert report.created == {"schedule": 1}
    # The phone went, and the language it was answered in with it.
    assert report.deleted == {"phone": 1, "language": 1}
    assert Service.objects.get(network=network, id=PANTRY).name == "Weekly food pantry and fridge"
    assert not Phone.objects.filter(network=network, id=PANTRY_PHONE).exists()
    assert Schedule.objects.filter(network=network, service_id=PANTRY).count() == 2
    assert not Language.objects.filter(network=network, phone_id=PANTRY_PHONE).exists()


def test_an_empty_optional_field_empties_the_stored_one(
    network: Network, imported: ImportReport
) -> None:
    newer = dataset.organizations()
    del _pantry(newer)["alternate_name"]
    report = hsds_import_documents(network=network, data=newer)
    assert report.updated == {"service": 1}
    assert Service.objects.get(network=network, id=PANTRY).alternate_name == ""


def test_a_list_left_out_is_left_alone(network: Network, imported: ImportReport) -> None:
    brief = {
        key: value
        for key, value in _pantry(dataset.organizations()).items()
        if not isinstance(value, list)
    }
    brief["name"] = "Pantry"
    report = hsds_import_documents(network=network, data=brief, kind="service")
    assert report.ok and report.updated == {"service": 1} and not report.deleted
    assert Phone.objects.filter(network=network, id=PANTRY_PHONE).exists()


def test_a_service_gone_from_its_organization_goes_with_what_belongs_to_it(
    network: Network, imported: ImportReport
) -> None:
    newer = dataset.organizations()
    newer[0]["services"] = [s for s in newer[0]["services"] if s["id"] != PANTRY]
    report = hsds_import_documents(network=network, data=newer)
    assert report.ok
    assert report.deleted["service"] == 1
    assert report.deleted["service_at_location"] == 1
    assert report.deleted["attribute"] == 1 and report.deleted["metadata"] == 1
    for model, column in (
        (Phone, "service_id"),
        (Schedule, "service_id"),
        (ServiceAtLocation, "service_id"),
    ):
        assert not model.objects.filter(network=network, **{column: PANTRY}).exists()
    # The location stays: it is the organization's, and still in its list.
    assert ServiceAtLocation.objects.filter(network=network).count() == 6


def test_a_newer_package_updates_and_removes(
    network: Network, imported: ImportReport, other_network: Network, tmp_path: Path
) -> None:
    exporting.write_package(network, tmp_path)
    assert import_path(other_network, tmp_path).ok
    phones = tmp_path / "phones.csv"
    with phones.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["id"] != PANTRY_PHONE]
    for row in rows:
        row["description"] = "Call us"
    with phones.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    report = import_path(other_network, tmp_path)
    assert report.ok
    assert report.updated == {"phone": 6}
    assert report.deleted == {"phone": 1, "language": 1}
    assert set(
        Phone.objects.filter(network=other_network).values_list("description", flat=True)
    ) == {"Call us"}


def test_an_invalid_newer_version_is_reported_and_the_stored_one_kept(
    network: Network, imported: ImportReport
) -> None:
    newer = dataset.organizations()
    pantry = _pantry(newer)
    pantry["name"] = "Renamed"
    del pantry["phones"][0]["number"]
    report = hsds_import_documents(network=network, data=newer, where="newer.json")
    assert [(p.where, p.path) for p in report.problems] == [
        ("newer.json, item 1", "$.services[0].phones[0]")
    ]
    # The food bank's document is refused whole; the other two organizations are unchanged.
    assert report.changed == 0
    assert Service.objects.get(network=network, id=PANTRY).name == "Weekly food pantry"
    assert Phone.objects.filter(network=network, id=PANTRY_PHONE).exists()
