"""Coordinators import an HSDS file through the task worker and read its report, download
exports that validate, and publish or unpublish the directory."""

import copy
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sameboat.directory import sample as dataset
from sameboat.directory import validation
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import Directory, ImportRun, ImportStatus, Service
from sameboat.directory.services import hsds_import
from sameboat.networks.models import Member, Network

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def url(name: str, **kwargs: object) -> str:
    return reverse(f"directory:{name}", kwargs={"network": "riverside", **kwargs})


def test_an_upload_with_invalid_records_imports_the_valid_ones_and_reports_the_others(
    coordinator: Member, network: Network
) -> None:
    services = dataset.services()
    broken = copy.deepcopy(services[0])
    broken["phones"][0].pop("number")
    body = json.dumps([broken, *services[1:]]).encode()
    client = client_for(coordinator)
    assert client.get(url("import")).status_code == 200
    response = client.post(url("import"), {"file": SimpleUploadedFile("services.json", body)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Invalid records" in text
    assert broken["phones"][0]["id"] in text
    assert "&#x27;number&#x27; is a required property" in text
    stored = set(Service.objects.filter(network=network).values_list("name", flat=True))
    assert stored == {service["name"] for service in services[1:]}
    # The run keeps its report, and who started it; the upload is gone once imported.
    run = ImportRun.objects.get()
    assert response["Location"] == url("import_run", run_id=run.pk)
    assert (run.network, run.started_by, run.name) == (network, coordinator.user, "services.json")
    assert (run.status, run.sources, run.rejected) == (ImportStatus.DONE, len(services), 1)
    assert run.created > 0
    assert run.problems[0]["id"] == broken["phones"][0]["id"]
    assert bytes(run.upload) == b""
    # The import page lists it, with who started it and how it went.
    listing = client.get(url("import")).content.decode()
    assert url("import_run", run_id=run.pk) in listing
    assert coordinator.user.display_name in listing
    assert "1 invalid" in listing


def test_a_run_is_seen_only_by_its_networks_coordinators(
    coordinator: Member, member: Member, outsider: Member
) -> None:
    client = client_for(coordinator)
    body = json.dumps(dataset.organizations()).encode()
    location = client.post(url("import"), {"file": SimpleUploadedFile("orgs.json", body)})[
        "Location"
    ]
    assert client.get(location).status_code == 200
    assert client_for(member).get(location).status_code == 403
    assert client_for(outsider).get(location).status_code == 404
    assert client.get(url("import_run", run_id=uuid.uuid4())).status_code == 404
    assert client.get(f"{url('import')}..%2Fsecret/").status_code == 404
    assert client.get(f"{url('import')}nosuchrun/").status_code == 404


def test_a_file_that_is_not_hsds_is_refused_or_reported(coordinator: Member) -> None:
    client = client_for(coordinator)
    refused = client.post(url("import"), {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert refused.status_code == 400
    broken = client.post(url("import"), {"file": SimpleUploadedFile("bad.json", b"{not json")})
    page = client.get(broken["Location"]).content.decode()
    assert "could not be imported" in page
    # Said of the file by its name, not of where the worker kept it.
    assert "bad.json is not valid JSON" in page
    assert "hsds-import-" not in page


def test_exports_download_and_validate(
    coordinator: Member,
    network: Network,
    other_network: Network,
    imported: ImportReport,
    tmp_path: Path,
) -> None:
    client = client_for(coordinator)
    response = client.get(url("export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    documents = json.loads(b"".join(response.streaming_content))
    assert len(documents) == Service.objects.filter(network=network).count()
    checker = validation.document_validator("service")
    assert all(validation.errors(checker, d) == [] for d in documents)

    package = client.get(url("export_zip"))
    assert package.status_code == 200
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"".join(package.streaming_content))
    assert "datapackage.json" in zipfile.ZipFile(io.BytesIO(archive.read_bytes())).namelist()
    # The package is one another directory can import whole.
    report = hsds_import(network=other_network, path=archive)
    assert report.ok, report.problems
    assert Service.objects.filter(network=other_network).count() == len(documents)


def test_publishing_is_a_toggle_with_its_meaning_explained(
    coordinator: Member, network: Network
) -> None:
    client = client_for(coordinator)
    page = client.get(url("publishing")).content.decode()
    assert "without logging in" in page
    assert client.post(url("publishing"), {"published": "yes"}).status_code == 302
    assert Directory.objects.get(network=network).published
    assert client.post(url("publishing"), {"published": "no"}).status_code == 302
    assert not Directory.objects.get(network=network).published
