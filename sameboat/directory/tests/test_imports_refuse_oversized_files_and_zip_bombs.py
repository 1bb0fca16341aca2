"""An import upload is bounded (ASVS 12.1.1/12.1.2): a file over
DIRECTORY_IMPORT_MAX_UPLOAD_BYTES is refused by the form; a zip that would unpack to more than
DIRECTORY_IMPORT_MAX_UNPACKED_BYTES, or any of whose files is compressed more than
DIRECTORY_IMPORT_MAX_COMPRESSION_RATIO times, is refused from its directory alone, before
anything is unpacked, by the form and by the import itself; a zip file that unpacks past the
size it declares is cut there. Nothing of a refused file is written.

The limits are lowered here so that a few megabytes of zeros stand for a real bomb."""

import io
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sameboat.directory import tasks
from sameboat.directory.importing import ImportFailed
from sameboat.directory.models import ImportRun, ImportStatus, Organization, Service
from sameboat.directory.services import hsds_import
from sameboat.networks.models import Member, Network

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
ORGANIZATIONS = "id,name,description\n1d4f2b6c-3a34-4bd5-9d27-5f1d6b0f0c11,Food bank,Food\n"


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb(size: int) -> bytes:
    """A package whose services.csv is `size` bytes of zeros, packed a thousand-fold; and its
    packed data then overwritten with garbage, so that unpacking it at all would fail with
    another message than the refusal's."""
    body = bytearray(
        zipped({"organizations.csv": ORGANIZATIONS.encode(), "services.csv": b"0" * size})
    )
    with zipfile.ZipFile(io.BytesIO(bytes(body))) as archive:
        info = archive.getinfo("services.csv")
    name_length, extra_length = struct.unpack(
        "<HH", body[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_length + extra_length
    body[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(body)


def post(client: Client, name: str, body: bytes) -> Any:
    return client.post(
        reverse("directory:import", kwargs={"network": "riverside"}),
        {"file": SimpleUploadedFile(name, body)},
    )


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_a_file_over_the_upload_limit_is_refused_by_the_form(
    coordinator: Member, settings: Any
) -> None:
    settings.DIRECTORY_IMPORT_MAX_UPLOAD_BYTES = 1000
    response = post(client_for(coordinator), "services.json", b"[" + b" " * 2000 + b"]")
    assert response.status_code == 400
    assert "an import may be at most 1000\xa0bytes" in response.content.decode()
    assert not ImportRun.objects.exists()
    # At the limit, it is taken.
    response = post(client_for(coordinator), "services.json", b"[" + b" " * 998 + b"]")
    assert response.status_code == 302
    assert ImportRun.objects.count() == 1


def test_a_zip_that_would_unpack_too_far_is_refused_by_the_form(
    coordinator: Member, settings: Any
) -> None:
    settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES = 4 * MB
    body = bomb(8 * MB)
    assert len(body) < 100_000  # small to send, large to unpack
    response = post(client_for(coordinator), "export.zip", body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This zip cannot be imported: it would unpack to more than 4.0\xa0MB" in page
    assert not ImportRun.objects.exists()


def test_a_zip_packed_like_a_bomb_is_refused_by_the_form(
    coordinator: Member, settings: Any
) -> None:
    """Within the size limit, but services.csv is packed a thousand-fold: no CSV is."""
    response = post(client_for(coordinator), "export.zip", bomb(2 * MB))
    assert response.status_code == 400
    assert "services.csv is compressed more than 200 times" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_import_itself_refuses_a_bomb_before_unpacking_it(
    network: Network, tmp_path: Path, settings: Any
) -> None:
    """From the command line, or a run queued before the limit was lowered: the import says
    why it refuses, not that the (garbled) data cannot be unpacked, so it never tried."""
    settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES = 4 * MB
    path = tmp_path / "export.zip"
    path.write_bytes(bomb(8 * MB))
    with pytest.raises(ImportFailed, match=re.escape("it would unpack to more than 4.0\xa0MB")):
        hsds_import(network=network, path=path)
    assert not Organization.objects.filter(network=network).exists()


def test_a_run_given_a_bomb_fails_with_the_reason_and_writes_nothing(
    coordinator: Member, network: Network, settings: Any
) -> None:
    settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES = 4 * MB
    run = tasks.run_start(
        network=network, started_by=coordinator.user, name="export.zip", content=bomb(8 * MB)
    )
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "export.zip cannot be imported: it would unpack to more than 4.0\xa0MB" in run.error
    assert bytes(run.upload) == b""
    assert not Organization.objects.filter(network=network).exists()
    assert not Service.objects.filter(network=network).exists()


def test_a_zip_file_larger_than_it_declares_is_not_read_past_it(
    network: Network, tmp_path: Path
) -> None:
    """A zip's directory may lie about a file's size, to slip past the limits: the file is
    read no further than declared, and the import fails rather than taking part of it."""
    body = bytearray(zipped({"organizations.csv": ORGANIZATIONS.encode() + b"x" * MB}))
    declared = len(ORGANIZATIONS)
    # The uncompressed size, in the file's local header and in the zip's central directory.
    local = body.index(b"PK\x03\x04")
    body[local + 22 : local + 26] = struct.pack("<I", declared)
    central = body.index(b"PK\x01\x02")
    body[central + 24 : central + 28] = struct.pack("<I", declared)
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(body))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("organizations.csv").file_size == declared
    with pytest.raises(ImportFailed, match=re.escape("organizations.csv cannot be read")):
        hsds_import(network=network, path=path)
    assert not Organization.objects.filter(network=network).exists()


def test_an_ordinary_package_is_still_taken(
    coordinator: Member, network: Network, settings: Any
) -> None:
    settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES = 4 * MB
    response = post(
        client_for(coordinator), "export.zip", zipped({"organizations.csv": ORGANIZATIONS.encode()})
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE, run.error
    assert Organization.objects.filter(network=network, name="Food bank").exists()
