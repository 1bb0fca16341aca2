"""Whatever a caller sends, the HSDS API answers a clear 400 (which parameter, and why) or a
404 for an id it does not hold: never a 500. A parameter the path does not take is refused
rather than ignored, so nobody reads an unfiltered list as a filtered one."""

import pytest
from rest_framework.test import APIClient

from sameboat.directory import sample as dataset
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import Service
from sameboat.directory.sample import uid
from sameboat.directory.services import directory_publish, hsds_import_documents
from sameboat.networks.models import Network

BASE = "/api/hsds/riverside"


@pytest.fixture
def client(network: Network, imported: ImportReport) -> APIClient:
    directory_publish(network=network, published=True)
    return APIClient()


@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/services", "page=0", "page"),
        ("/services", "page=-1", "page"),
        ("/services", "page=two", "page"),
        ("/services", "page=99999999999999999999999", "page"),
        ("/services", "per_page=0", "per_page"),
        ("/services", "per_page=101", "per_page"),
        ("/services", "per_page=1.5", "per_page"),
        ("/services", "per_page=", "per_page"),
        ("/services", "taxonomy_term_id=food", "taxonomy_term_id"),
        ("/services", "taxonomy_id=1", "taxonomy_id"),
        ("/services", "organization_id=%27%20OR%201=1", "organization_id"),
        ("/services", "modified_after=yesterday", "modified_after"),
        ("/services", "modified_after=2026-13-45", "modified_after"),
        ("/services", "modified_after=2026-10-01T25:00:00Z", "modified_after"),
        ("/services", "full=maybe", "full"),
        ("/services", "minimal=yes", "minimal"),
        ("/services", "search=" + "x" * 201, "search"),
        ("/services", "search=" + "+".join(f"word{n}" for n in range(21)), "search"),
        ("/services", "colour=red", "colour"),
        ("/services", "search=food%00", "search"),
        ("/service_at_locations", "postcode=R2V%0A1A1", "postcode"),
        ("/services", "format=ndjson", "format"),
        ("/services", "format=xml", "format"),
        ("/organizations", "taxonomy_id=" + uid("taxonomy"), "taxonomy_id"),
        ("/organizations", "full_service=2", "full_service"),
        ("/taxonomies", "organization_id=" + uid("organization food bank"), "organization_id"),
        ("/taxonomy_terms", "top_only=perhaps", "top_only"),
        ("/taxonomy_terms", "parent_id=legal", "parent_id"),
        ("/service_at_locations", "proximity=500", "proximity"),
        ("/service_at_locations", "postcode=R2V1A1&proximity=far", "proximity"),
        ("/service_at_locations", "postcode=R2V1A1&proximity=0", "proximity"),
        ("/service_at_locations", "postcode=R2V1A1&proximity=-5", "proximity"),
        ("/service_at_locations", "postcode=R2V1A1&proximity=nan", "proximity"),
        ("/service_at_locations", "postcode=R2V1A1&proximity=inf", "proximity"),
        ("/service_at_locations", "postcode=R2V1A1&proximity=1e12", "proximity"),
        ("/service_at_locations", "postcode=Z9Z9Z9&proximity=500", "postcode"),
        ("/service_at_locations", "postcode=" + "9" * 21, "postcode"),
        ("/services/" + uid("service pantry"), "full=true", "full"),
        ("/organizations/" + uid("organization food bank"), "full_service=x", "full_service"),
        ("/", "page=1", "page"),
        ("/", "format=csv", "format"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: APIClient, path: str, query: str, parameter: str
) -> None:
    response = client.get(f"{BASE}{path}?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert list(answer) == [parameter]
    assert answer[parameter] and all(message.strip() for message in answer[parameter])


@pytest.mark.parametrize(
    "path",
    [
        "/services/" + uid("service nowhere"),
        "/services/not-a-uuid",
        "/services/" + uid("organization food bank"),  # an id, but of another kind
        "/organizations/" + uid("service pantry"),
        "/service_at_locations/" + uid("service pantry"),
        "/taxonomies/" + uid("term food"),
        "/taxonomy_terms/" + uid("taxonomy"),
        "/taxonomy_terms/%27%3B%20DROP%20TABLE",
    ],
)
def test_unknown_ids_are_404(client: APIClient, path: str) -> None:
    response = client.get(BASE + path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_id_of_another_networks_directory_is_404_here(
    client: APIClient, other_network: Network
) -> None:
    # Both directories hold the same public dataset, ids and all: each answers for its own.
    assert hsds_import_documents(network=other_network, data=dataset.organizations()).ok
    directory_publish(network=other_network, published=True)
    pantry = uid("service pantry")
    Service.objects.filter(network__slug="riverside").delete()
    assert client.get(f"{BASE}/services/{pantry}").status_code == 404
    assert client.get(f"/api/hsds/hilltop/services/{pantry}").status_code == 200
