"""Each network keeps its own directory: the same public dataset, ids and all, imported into
two networks lives twice, and what one network imports, changes or removes never touches the
other's copy."""

from sameboat.directory import exporting
from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import Phone, Service
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Network

PANTRY = dataset.uid("service pantry")


def test_the_same_ids_live_in_two_networks(
    network: Network, imported: ImportReport, other_network: Network
) -> None:
    theirs = hsds_import_documents(network=other_network, data=dataset.organizations())
    assert theirs.created == imported.created
    assert Service.objects.filter(id=PANTRY).count() == 2
    before = list(exporting.documents(network, "organization"))

    newer = dataset.organizations()
    pantry = next(s for s in newer[0]["services"] if s["id"] == PANTRY)
    pantry["name"] = "Hilltop's own name for it"
    pantry["phones"] = []
    newer[2]["services"] = []
    report = hsds_import_documents(network=other_network, data=newer)
    assert report.ok and report.deleted["service"] == 2

    assert list(exporting.documents(network, "organization")) == before
    assert Service.objects.get(network=network, id=PANTRY).name == "Weekly food pantry"
    assert Phone.objects.filter(network=network, service_id=PANTRY).count() == 1
    assert Service.objects.get(network=other_network, id=PANTRY).name == "Hilltop's own name for it"


def test_references_resolve_only_within_the_network(
    network: Network, imported: ImportReport, other_network: Network
) -> None:
    # The organizations exist in Riverside, not in Hilltop: a service naming one is refused.
    service = dataset.services()[0]
    del service["organization"]
    report = hsds_import_documents(network=other_network, data=service)
    assert not report.ok and "no organization of this directory" in report.problems[0].reason
    assert not Service.objects.filter(network=other_network).exists()


def test_exports_hold_only_the_networks_own_records(
    network: Network, imported: ImportReport, other_network: Network
) -> None:
    assert list(exporting.documents(other_network, "service")) == []
    assert exporting.list_page(other_network, "service_list")["total_items"] == 0
