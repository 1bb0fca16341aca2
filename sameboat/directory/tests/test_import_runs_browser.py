"""A coordinator uploads an HSDS file in Chromium and follows the run on its page: it waits
for the worker, shows a progress bar that moves as the worker writes its progress (htmx
polling, under our strict CSP), and the report once done, without reloading; axe checks
every state of the page."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from sameboat.directory import sample as dataset
from sameboat.directory import tasks
from sameboat.directory.models import ImportRun, ImportStage, ImportStatus, Service
from sameboat.networks.models import Role

pytestmark = pytest.mark.browser

# Keeps what is queued without running it: the test plays the worker, when it chooses.
NO_WORKER = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def log_in(browser: Any, base_url: str, email: str) -> Any:
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))
    return page


def test_a_coordinator_uploads_a_file_and_follows_its_progress_to_the_report(
    browser: Any,
    live_server: Any,
    assert_accessible: Any,
    seeded_languages: None,
    make_member: Any,
    network: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    settings.TASKS = NO_WORKER
    coordinator = make_member(Role.COORDINATOR, display_name="Cora")
    services = dataset.services()
    broken = json.loads(json.dumps(services[0]))
    broken["phones"][0].pop("number")
    upload = tmp_path / "services.json"
    upload.write_text(json.dumps([broken, *services[1:]]))
    base = live_server.url
    page = log_in(browser, base, coordinator.user.email)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{base}/n/riverside/directory/import/")
    expect(page.get_by_text("No imports yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("HSDS file")).set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/directory/import/[0-9a-f-]{36}/$"))
    headline = page.locator("#import-headline")
    expect(headline).to_have_attribute("role", "status")
    expect(headline).to_have_text("Waiting for the worker…")
    bar = page.get_by_role("progressbar", name="Waiting for the worker…")
    expect(bar).to_be_visible()
    assert_accessible(page)

    # The worker takes it (as `manage.py db_worker` would): the page shows the report on
    # its own, and stops polling.
    run = ImportRun.objects.get()
    assert tasks.import_hsds.call(str(run.pk), "en") == ImportStatus.DONE
    expect(headline).to_have_text(
        f"Import finished: {len(services)} documents or rows read, 1 invalid."
    )
    expect(page.get_by_role("table", name=re.compile("Invalid records"))).to_contain_text(
        broken["phones"][0]["id"]
    )
    expect(page.get_by_role("progressbar")).to_have_count(0)
    assert_accessible(page)
    assert Service.objects.filter(network=network).count() == len(services) - 1

    # The import page lists the run: who, when, how it went.
    page.get_by_role("link", name="All imports").click()
    row = page.get_by_role("row", name=re.compile("services.json"))
    expect(row).to_contain_text("Cora")
    expect(row).to_contain_text("1 invalid")
    assert_accessible(page)

    # A file that is not HSDS: the run fails, and says why.
    bad = tmp_path / "notes.json"
    bad.write_text("{not json")
    page.get_by_label(re.compile("HSDS file")).set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/directory/import/[0-9a-f-]{36}/$"))
    failed = ImportRun.objects.get(name="notes.json")
    assert tasks.import_hsds.call(str(failed.pk), "en") == ImportStatus.FAILED
    expect(page.locator("#import-headline")).to_contain_text(
        "The file could not be imported: notes.json is not valid JSON"
    )
    expect(page.get_by_role("link", name="Try another file")).to_be_visible()
    assert_accessible(page)

    # A run the worker is in the middle of: the bar says how far, and moves.
    running = ImportRun.objects.create(
        network=network, started_by=coordinator.user, name="big.zip", status=ImportStatus.RUNNING
    )
    writer = tasks.ProgressWriter(running.pk)
    writer(ImportStage.VALIDATING, 0, 2000)
    writer(ImportStage.VALIDATING, 2000, 2000)
    writer(ImportStage.WRITING, 0, 9000)
    page.goto(f"{base}/n/riverside/directory/import/{running.pk}/")
    bar = page.get_by_role("progressbar", name="Writing the records…")
    expect(bar).to_have_attribute("max", "9000")
    expect(bar).to_have_attribute("value", "0")
    assert_accessible(page)
    # (Another writer: this one just wrote, and writes at most once a second.)
    tasks.ProgressWriter(running.pk)(ImportStage.WRITING, 4500, 9000)
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "4500")
    expect(page.get_by_text("4500 of 9000")).to_be_visible()
    assert refused == []
    page.context.close()
