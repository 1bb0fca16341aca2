"""API responses say they are a file of data (ASVS 14.4.2): `Content-Disposition: inline;
filename="api.json"` on JSON, answers and errors alike, so a browser led to one never takes it
for a page of the site. A response that names its own file keeps its header; pages (the API's
docs, everything outside /api/) get none."""

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.core.headers import SecurityHeadersMiddleware
from sameboat.networks.models import Member, Network

JSON_FILE = 'inline; filename="api.json"'


def signed_in(member: Member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member.user)
    return client


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("api-me", {}),
        ("api-network-list", {}),
        ("api-ask-list", {"network_slug": "riverside"}),
        ("api-category-list", {"network_slug": "riverside"}),
    ],
)
def test_json_answers_are_marked_as_a_file(
    member: Member, network: Network, name: str, kwargs: dict[str, str]
) -> None:
    response = signed_in(member).get(reverse(name, kwargs=kwargs), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == JSON_FILE


def test_errors_are_marked_too(member: Member, network: Network) -> None:
    anonymous = APIClient().get(reverse("api-me"), HTTP_ACCEPT="application/json")
    assert anonymous.status_code in (401, 403)
    assert anonymous["Content-Disposition"] == JSON_FILE
    refused = APIClient().post(reverse("api-token"), {"email": "not an address"}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Disposition"] == JSON_FILE
    # Another network's asks: the 404 is JSON as well.
    missing = signed_in(member).get(
        reverse("api-ask-list", kwargs={"network_slug": "nowhere"}),
        HTTP_ACCEPT="application/json",
    )
    assert missing.status_code == 404
    assert missing["Content-Disposition"] == JSON_FILE


def test_the_schema_keeps_the_file_name_it_gives_itself(member: Member) -> None:
    client = signed_in(member)
    for query in ({}, {"format": "json"}):
        schema = client.get(reverse("api-schema"), query)
        assert schema.status_code == 200
        assert schema["Content-Disposition"].startswith('inline; filename="Sameboat API.')


def test_pages_are_not_marked(member: Member) -> None:
    client = signed_in(member)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")
    assert not docs.has_header("Content-Disposition")
    home = client.get("/")
    assert not home.has_header("Content-Disposition")


def test_an_api_download_keeps_its_own_file_name() -> None:
    def download(request: HttpRequest) -> HttpResponse:
        response = JsonResponse({"records": []})
        response["Content-Disposition"] = 'attachment; filename="ledger.json"'
        return response

    def answer(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"ok": True})

    api_request = RequestFactory().get("/api/v1/something/")
    kept = SecurityHeadersMiddleware(download)(api_request)
    assert kept["Content-Disposition"] == 'attachment; filename="ledger.json"'
    assert SecurityHeadersMiddleware(answer)(api_request)["Content-Disposition"] == JSON_FILE
    # JSON served outside the API (a page's data endpoint) is not the API's business here.
    page_request = RequestFactory().get("/riverside/something.json")
    assert not SecurityHeadersMiddleware(answer)(page_request).has_header("Content-Disposition")
