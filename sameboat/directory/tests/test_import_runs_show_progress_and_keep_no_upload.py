"""An import started from the pages is a run in the database: the importer tells how far it
is, stage by stage, and the worker writes it to the run (throttled); the run's page shows a
progress bar while it goes and the report once done; a file that cannot be read ends the run
as failed, with a message; the upload never outlives its run; runs are only seen within
their network, and old ones are removed."""

import io
import json
import zipfile
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sameboat.directory import exporting, tasks
from sameboat.directory import sample as dataset
from sameboat.directory.importing import PROGRESS_STEP
from sameboat.directory.models import ImportRun, ImportStage, ImportStatus, Service
from sameboat.directory.services import hsds_import, hsds_import_documents
from sameboat.networks.models import Member, Network

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Keeps what is queued without running it: a run waiting for the worker.
NO_WORKER = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
STAGES = [ImportStage.READING, ImportStage.VALIDATING, ImportStage.CHECKING, ImportStage.WRITING]


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def url(name: str, network: str = "riverside", **kwargs: object) -> str:
    return reverse(f"directory:{name}", kwargs={"network": network, **kwargs})


def upload(client: Client, name: str, body: bytes) -> ImportRun:
    response = client.post(url("import"), {"file": SimpleUploadedFile(name, body)})
    assert response.status_code == 302
    run = ImportRun.objects.order_by("-started_at").first()
    assert run is not None
    assert response["Location"] == url("import_run", run_id=run.pk)
    return run


def by_stage(calls: list[tuple[str, int, int]]) -> dict[str, list[tuple[int, int]]]:
    stages: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for stage, done, total in calls:
        stages[stage].append((done, total))
    return stages


def assert_grows_to_its_total(counts: list[tuple[int, int]]) -> None:
    totals = {total for _done, total in counts}
    assert len(totals) == 1, counts
    done = [d for d, _total in counts]
    assert done == sorted(done), counts
    assert done[0] == 0
    assert done[-1] == totals.pop()


def test_the_importer_reports_each_stage_with_counts_growing_to_its_total(
    network: Network, tmp_path: Path
) -> None:
    documents = dataset.copies(2 * PROGRESS_STEP + 30)
    path = tmp_path / "services.json"
    path.write_text(json.dumps(documents))
    calls: list[tuple[str, int, int]] = []
    report = hsds_import(network=network, path=path, on_progress=lambda *call: calls.append(call))
    assert report.ok, report.problems
    # The stages in the order the importer goes through them, each once.
    assert list(dict.fromkeys(stage for stage, _done, _total in calls)) == STAGES
    stages = by_stage(calls)
    for counts in stages.values():
        assert_grows_to_its_total(counts)
    assert stages[ImportStage.READING][-1] == (1, 1)
    # Every document is counted as it is validated, told every PROGRESS_STEP of them.
    assert stages[ImportStage.VALIDATING] == [
        (0, len(documents)),
        (PROGRESS_STEP, len(documents)),
        (2 * PROGRESS_STEP, len(documents)),
        (len(documents), len(documents)),
    ]
    # Every record written (each document holds many), batch by batch.
    written = sum(report.created.values())
    assert stages[ImportStage.WRITING][-1] == (written, written)
    assert len(stages[ImportStage.WRITING]) > 2


def test_a_package_is_read_file_by_file_and_validated_row_by_row(
    network: Network, other_network: Network, tmp_path: Path
) -> None:
    assert hsds_import_documents(network=network, data=dataset.organizations()).ok
    package = tmp_path / "export.zip"
    exporting.write_package(network, package)
    with zipfile.ZipFile(package) as archive:
        csvs = [name for name in archive.namelist() if name.endswith(".csv")]
        rows = sum(len(archive.read(name).decode("utf-8-sig").splitlines()) - 1 for name in csvs)
    calls: list[tuple[str, int, int]] = []
    report = hsds_import(
        network=other_network, path=package, on_progress=lambda *call: calls.append(call)
    )
    assert report.ok, report.problems
    stages = by_stage(calls)
    for counts in stages.values():
        assert_grows_to_its_total(counts)
    assert stages[ImportStage.READING][-1] == (len(csvs), len(csvs))
    assert stages[ImportStage.VALIDATING][-1] == (rows, rows)
    assert report.sources == rows


def test_a_run_holds_its_final_progress_and_report_and_not_the_upload(
    coordinator: Member, network: Network
) -> None:
    documents = dataset.copies(PROGRESS_STEP + 20)
    run = upload(client_for(coordinator), "services.json", json.dumps(documents).encode())
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert run.finished_at is not None
    assert bytes(run.upload) == b""
    assert (run.sources, run.rejected) == (len(documents), 0)
    # The last stage, whole: every record written is counted.
    assert run.stage == ImportStage.WRITING
    assert run.done == run.total == run.created + run.updated + run.unchanged
    assert Service.objects.filter(network=network).count() == len(documents)

    page = client_for(coordinator).get(url("import_run", run_id=run.pk)).content.decode()
    assert f"Import finished: {len(documents)} documents or rows read, 0 invalid." in page
    assert f"Created: {run.created}" in page
    # Finished: the page no longer polls.
    assert "hx-trigger" not in page


def test_the_progress_writer_writes_each_stage_and_its_end_and_at_most_once_a_second(
    coordinator: Member, network: Network, settings: Any
) -> None:
    settings.TASKS = NO_WORKER
    run = tasks.run_start(
        network=network, started_by=coordinator.user, name="x.json", content=b"[]"
    )
    writer = tasks.ProgressWriter(run.pk)
    writer(ImportStage.READING, 0, 1)
    writer(ImportStage.READING, 1, 1)
    for done in range(10_000):
        writer(ImportStage.VALIDATING, done, 10_000)
    run.refresh_from_db()
    assert (run.stage, run.done, run.total) == (ImportStage.VALIDATING, 0, 10_000)
    writer(ImportStage.VALIDATING, 10_000, 10_000)
    # Reading's start and end, validating's start and end: not ten thousand updates.
    assert writer.writes == 4
    run.refresh_from_db()
    assert (run.stage, run.done, run.total) == (ImportStage.VALIDATING, 10_000, 10_000)


def test_a_run_waiting_for_the_worker_keeps_its_upload_until_the_worker_takes_it(
    coordinator: Member, network: Network, settings: Any
) -> None:
    settings.TASKS = NO_WORKER
    body = json.dumps(dataset.services()).encode()
    client = client_for(coordinator)
    run = upload(client, "services.json", body)
    assert run.status == ImportStatus.QUEUED
    assert bytes(run.upload) == body
    page = client.get(url("import_run", run_id=run.pk)).content.decode()
    assert "Waiting for the worker" in page
    assert 'hx-trigger="every 2s"' in page
    assert "<progress" in page

    # The worker runs it (as `manage.py db_worker` would).
    assert tasks.import_hsds.call(str(run.pk), "en") == ImportStatus.DONE
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert bytes(run.upload) == b""
    assert Service.objects.filter(network=network).count() == len(dataset.services())
    # A second delivery of the same task finds nothing to do.
    assert tasks.import_hsds.call(str(run.pk), "en") == "missing"


def test_the_page_polls_and_says_the_stage_again_only_when_it_changed(
    coordinator: Member, network: Network, settings: Any
) -> None:
    settings.TASKS = NO_WORKER
    client = client_for(coordinator)
    run = upload(client, "services.json", b"[]")
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    tasks.ProgressWriter(run.pk)(ImportStage.VALIDATING, 120, 230)
    page_url = url("import_run", run_id=run.pk)

    page = client.get(page_url).content.decode()
    assert 'value="120" max="230"' in page
    assert "120 of 230" in page
    assert "Checking each record against the HSDS schemas…" in page
    assert 'role="status"' in page
    assert f'hx-get="{page_url}?shown=running.validating"' in page

    # A poll from a page that showed this stage gets the bar, not the headline again.
    same = client.get(page_url, {"shown": "running.validating"}, headers={"HX-Request": "true"})
    assert "hx-swap-oob" not in same.content.decode()
    moved = client.get(page_url, {"shown": "running.reading"}, headers={"HX-Request": "true"})
    assert 'id="import-headline" role="status" hx-swap-oob="innerHTML"' in moved.content.decode()


@pytest.mark.parametrize("damage", ["truncated", "scrambled"])
def test_a_damaged_zip_ends_the_run_as_failed_with_a_message_and_keeps_nothing(
    coordinator: Member, network: Network, other_network: Network, tmp_path: Path, damage: str
) -> None:
    assert hsds_import_documents(network=other_network, data=dataset.organizations()).ok
    package = tmp_path / "package.zip"
    exporting.write_package(other_network, package)
    body = package.read_bytes()
    if damage == "truncated":
        body = body[: len(body) // 2]
        expected = "package.zip is not a data package"
    else:
        # The archive's directory is whole, one of its files is not: its data scrambled.
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            tables = [info for info in archive.infolist() if info.filename.endswith(".csv")]
            largest = max(tables, key=lambda info: info.compress_size)
        header = 30 + len(largest.filename.encode()) + len(largest.extra)
        start = largest.header_offset + header + largest.compress_size // 3
        scrambled = bytes(byte ^ 0x5A for byte in body[start : start + 64])
        body = body[:start] + scrambled + body[start + 64 :]
        expected = f"{largest.filename} cannot be read"
    client = client_for(coordinator)
    run = upload(client, "package.zip", body)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.error
    assert run.finished_at is not None
    assert bytes(run.upload) == b""
    assert not Service.objects.filter(network=network).exists()
    page = client.get(url("import_run", run_id=run.pk)).content.decode()
    assert "The file could not be imported: " + run.error.replace("'", "&#x27;") in page
    assert expected in run.error
    assert "hsds-import-" not in run.error


def test_a_run_of_another_network_is_not_found(
    coordinator: Member, network: Network, other_network: Network, make_member: Any
) -> None:
    theirs = ImportRun.objects.create(network=other_network, name="theirs.json")
    client = client_for(coordinator)
    assert client.get(url("import_run", run_id=theirs.pk)).status_code == 404
    assert client.get(url("import_run", network="elsewhere", run_id=theirs.pk)).status_code == 404
    assert "theirs.json" not in client.get(url("import")).content.decode()


def test_starting_a_run_removes_runs_older_than_keep_days(
    coordinator: Member, network: Network
) -> None:
    now = timezone.now()
    old = now - timedelta(days=tasks.KEEP_DAYS + 1)
    finished_long_ago = ImportRun.objects.create(
        network=network, name="a.json", status=ImportStatus.DONE, started_at=old, finished_at=old
    )
    lost_long_ago = ImportRun.objects.create(
        network=network, name="b.json", status=ImportStatus.RUNNING, started_at=old
    )
    recent = ImportRun.objects.create(
        network=network,
        name="c.json",
        status=ImportStatus.DONE,
        started_at=old,
        finished_at=now - timedelta(days=tasks.KEEP_DAYS - 1),
    )
    run = upload(client_for(coordinator), "services.json", json.dumps(dataset.services()).encode())
    left = set(ImportRun.objects.values_list("pk", flat=True))
    assert left == {recent.pk, run.pk}
    assert finished_long_ago.pk not in left and lost_long_ago.pk not in left


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_import_pages_make_a_flat_number_of_queries(
    coordinator: Member, network: Network, make_member: Any
) -> None:
    client = client_for(coordinator)
    problem = {"where": "s.json, item 1", "table": "phone", "id": "", "path": "$", "reason": "x"}
    one = ImportRun.objects.create(
        network=network, started_by=coordinator.user, name="one.json", problems=[problem]
    )
    few = _queries(client, url("import"))
    few_run = _queries(client, url("import_run", run_id=one.pk))
    for n in range(12):
        starter = make_member(display_name=f"Starter {n}").user
        ImportRun.objects.create(
            network=network, started_by=starter, name=f"{n}.json", status=ImportStatus.DONE
        )
    many_problems = ImportRun.objects.create(
        network=network,
        started_by=coordinator.user,
        name="many.json",
        status=ImportStatus.DONE,
        problems=[problem] * 200,
        warnings=["left out"] * 20,
    )
    assert _queries(client, url("import")) == few
    assert _queries(client, url("import_run", run_id=many_problems.pk)) == few_run
    page = client.get(url("import")).content.decode()
    assert "Starter 11" in page and "many.json" in page
