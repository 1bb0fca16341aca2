"""Background imports started from the coordinator's pages (run by the task worker,
`manage.py db_worker`; the tests use the immediate backend).

A run is kept as files in settings.DATA_DIR/directory-imports/: the upload (in a folder named
after the run, removed once imported) and
`<run id>.json`, its state (network, status, and the report once done), which the import-run
page reads. Files rather than a table because the web process and the worker share the
data folder, and the state of a run is only needed until someone has read its report:
starting a run removes the runs finished more than KEEP_DAYS ago.
"""

import contextlib
import json
import logging
import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from sameboat.directory import services
from sameboat.directory.importing import ImportFailed
from sameboat.networks.models import Network

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
KEEP_DAYS = 30


def runs_dir() -> Path:
    # DIRECTORY_IMPORTS_DIR lets the tests keep their runs in a temporary folder.
    folder = Path(
        getattr(settings, "DIRECTORY_IMPORTS_DIR", None)
        or Path(settings.DATA_DIR) / "directory-imports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _state_path(run_id: str) -> Path:
    return runs_dir() / f"{run_id}.json"


def run_state(run_id: str) -> dict[str, Any] | None:
    # Run ids are ours (token_hex); anything else is not a run.
    if not run_id.isalnum():
        return None
    path = _state_path(run_id)
    if not path.exists():
        return None
    state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return state


def run_save(run_id: str, state: dict[str, Any]) -> None:
    temporary = _state_path(run_id).with_suffix(".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(_state_path(run_id))


def run_start(*, network: Network, name: str, content: bytes) -> str:
    """Keep the upload and queue its import; the run's id names its page."""
    _forget_old_runs()
    run_id = secrets.token_hex(16)
    # The upload keeps its own name (the report says where each problem is by file name),
    # made safe, in a folder of its run.
    suffix = ".zip" if name.lower().endswith(".zip") else ".json"
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(name).stem)[:80].strip(".-") or "upload"
    folder = runs_dir() / run_id
    folder.mkdir()
    upload = folder / f"{stem}{suffix}"
    upload.write_bytes(content)
    run_save(
        run_id,
        {
            "network_id": network.pk,
            "name": name,
            "upload": f"{run_id}/{upload.name}",
            "status": QUEUED,
            "started": timezone.now().isoformat(),
        },
    )
    import_hsds.enqueue(run_id)
    return run_id


def _forget_old_runs() -> None:
    cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
    for path in runs_dir().glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            state = json.loads(path.read_text(encoding="utf-8"))
            finished = state.get("finished")
            if finished and datetime.fromisoformat(finished) < cutoff:
                path.unlink()


@task()
def import_hsds(run_id: str) -> str:
    state = run_state(run_id)
    if state is None:
        return "missing"
    network = Network.objects.get(pk=state["network_id"])
    upload = runs_dir() / state["upload"]
    state["status"] = RUNNING
    run_save(run_id, state)
    try:
        report = services.hsds_import(network=network, path=upload)
    except ImportFailed as error:
        state |= {"status": FAILED, "error": str(error)}
    except Exception:
        # A broken upload (a damaged zip...) must end the run with a message, not hang it.
        logger.exception("directory import %s failed", run_id)
        state |= {"status": FAILED, "error": "The file could not be read as HSDS."}
    else:
        state |= {
            "status": DONE,
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
    finally:
        upload.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            upload.parent.rmdir()
    state["finished"] = timezone.now().isoformat()
    run_save(run_id, state)
    return str(state["status"])
