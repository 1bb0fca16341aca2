"""Imports started from the coordinator's pages, run by the task worker (`manage.py
db_worker`; the tests use the immediate backend).

A run is a row (ImportRun), and the database is all the web process and the worker share:
the page queues the run with the upload; the worker takes the upload out of the row (emptied
there and then: the file never outlives its run), imports it from a temporary folder of its
own, writes how far it is as it goes and the report once done. The run's page reads the row.

Progress is written at each new stage and at its end, and otherwise at most once every
PROGRESS_EVERY seconds: one small UPDATE a second costs an import nothing.

Runs are kept KEEP_DAYS for their reports: starting a run removes those finished before
(and those that never finished, their worker lost, started before).
"""

import logging
import math
import re
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sameboat.accounts.models import User
from sameboat.directory import services
from sameboat.directory.importing import ImportFailed, ImportReport
from sameboat.directory.models import ImportRun, ImportStatus
from sameboat.networks.models import Network

logger = logging.getLogger(__name__)

KEEP_DAYS = 30
PROGRESS_EVERY = 1.0  # seconds between two writes of a run's progress within a stage


# A run still waiting or importing after this long lost its worker: it no longer blocks.
STALE_AFTER = timedelta(hours=6)


def run_start(*, network: Network, started_by: User | None, name: str, content: bytes) -> ImportRun:
    """Keep the upload in a new run and queue its import; the run's id names its page. The
    report is written in the language of the request that started it.

    Quotas (ASVS 12.1.3), each upload being up to DIRECTORY_IMPORT_MAX_UPLOAD_BYTES: one run
    at a time per network, and at most DIRECTORY_IMPORTS_PER_DAY started in any 24 hours."""
    now = timezone.now()
    with transaction.atomic():
        # The network's row is the lock: two uploads at the same instant cannot both pass.
        Network.objects.select_for_update().filter(pk=network.pk).first()
        recent = ImportRun.objects.filter(network=network)
        if recent.filter(
            status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING), started_at__gt=now - STALE_AFTER
        ).exists():
            raise ValidationError(
                _("An import is already under way for this network: wait for it to finish.")
            )
        limit = settings.DIRECTORY_IMPORTS_PER_DAY
        if recent.filter(started_at__gt=now - timedelta(days=1)).count() >= limit:
            raise ValidationError(
                _(
                    "This network has started %(limit)d imports in the last 24 hours, the most "
                    "allowed: try again tomorrow."
                )
                % {"limit": limit}
            )
        run = ImportRun.objects.create(
            network=network, started_by=started_by, name=name[:255], upload=content
        )
    runs_purge()
    import_hsds.enqueue(str(run.pk), translation.get_language())
    return run


def runs_purge(*, now: datetime | None = None) -> int:
    """Remove the runs finished more than KEEP_DAYS ago (and the ones started that long ago
    that never finished); how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _by_model = ImportRun.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, started_at__lt=cutoff)
    ).delete()
    return deleted


class ProgressWriter:
    """An importer's `on_progress` that writes to the run: every new stage and the end of
    each, and in between at most every PROGRESS_EVERY seconds."""

    def __init__(self, run_id: uuid.UUID) -> None:
        self.run_id = run_id
        self.stage = ""
        self.written = -math.inf
        self.writes = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.written < PROGRESS_EVERY:
            return
        self.stage, self.written = stage, now
        self.writes += 1
        ImportRun.objects.filter(pk=self.run_id).update(stage=stage, done=done, total=total)


def _take(run_id: str) -> tuple[ImportRun, bytes] | None:
    """Claim a queued run for this worker and take its upload out of the row."""
    with transaction.atomic():
        run = (
            ImportRun.objects.select_for_update()
            .select_related("network")
            .filter(pk=run_id, status=ImportStatus.QUEUED)
            .first()
        )
        if run is None:
            return None
        content = bytes(run.upload)
        run.status = ImportStatus.RUNNING
        run.upload = b""
        run.save(update_fields=["status", "upload"])
    return run, content


def _upload_name(name: str) -> str:
    """The upload's own name, made safe (reports say where each problem is by file name, and
    the importer tells services.json from organizations.json by it)."""
    suffix = ".zip" if name.lower().endswith(".zip") else ".json"
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", PurePath(name).stem)[:80].strip(".-") or "upload"
    return f"{stem}{suffix}"


def _report_fields(report: ImportReport) -> dict[str, object]:
    return {
        "status": ImportStatus.DONE,
        "sources": report.sources,
        "rejected": report.rejected,
        "created": sum(report.created.values()),
        "updated": sum(report.updated.values()),
        "unchanged": sum(report.unchanged.values()),
        "deleted": sum(report.deleted.values()),
        "problems": [
            {
                "where": p.where,
                "table": p.table,
                "id": p.id or "",
                "path": p.path,
                "reason": p.reason,
            }
            for p in report.problems
        ],
        "warnings": list(report.warnings),
    }


@task()
def import_hsds(run_id: str, language: str | None = None) -> str:
    taken = _take(run_id)
    if taken is None:
        # Unknown, or already taken by another worker: nothing to do.
        return "missing"
    run, content = taken
    fields: dict[str, object]
    with (
        translation.override(language),
        tempfile.TemporaryDirectory(prefix="hsds-import-") as folder,
    ):
        upload = Path(folder) / _upload_name(run.name)
        upload.write_bytes(content)
        del content
        try:
            report = services.hsds_import(
                network=run.network, path=upload, on_progress=ProgressWriter(run.pk)
            )
        except ImportFailed as error:
            # Said of the file by its name, not by where the worker kept it.
            fields = {
                "status": ImportStatus.FAILED,
                "error": str(error).replace(f"{folder}/", ""),
            }
        except Exception:
            # Whatever else breaks (a damaged zip...) must end the run with a message.
            logger.exception("directory import %s failed", run_id)
            fields = {
                "status": ImportStatus.FAILED,
                "error": _("The file could not be read as HSDS."),
            }
        else:
            fields = _report_fields(report)
    ImportRun.objects.filter(pk=run.pk).update(**fields, finished_at=timezone.now())
    return str(fields["status"])
