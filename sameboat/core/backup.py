"""Backups of the whole database, taken while Sameboat runs, and restoring one into an empty
database. Used by `sameboat backup FILE` and `sameboat restore FILE`.

How, and why so:

- **SQLite**: SQLite's online backup API copies the database page by page under one read
  transaction, so the copy is consistent while the web process and the task worker go on
  writing (WAL mode lets them). Restoring uses the same API the other way round.
- **PostgreSQL**: `pg_dump`, PostgreSQL's own tool. It reads everything in one REPEATABLE
  READ transaction (a consistent snapshot that blocks no writer) and keeps what an ORM copy
  would lose: sequences where they stood, the ledger's immutability triggers and their
  function, constraints, and every table, Django's own included. `pg_restore` loads it in one
  transaction, so a failed restore leaves the database empty rather than half-filled.
  pg_dump must be at least as new as the server (it refuses an older one); the command checks
  and says which client to install.

Either way the rows are copied as stored: encrypted fields stay ciphertext in the file, so a
backup needs the same SAMEBOAT_FIELD_KEYS to be read, and a stolen one shows none of those
texts. The file holds personal data all the same: it is written readable by its owner only.

A backup file is a tar archive of `manifest.json` (format, database kind, when the snapshot
was taken, the migrations it holds, a SHA-256 of the data) and the database itself. Restore
checks all of it before touching anything, refuses a database that is not empty, migrates
the restored data up to the running code, then applies again every erasure the erasure
journal records since the snapshot: an erased member stays erased whatever backup is restored.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "sameboat-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# An erasure journalled up to this long before the snapshot began may still have committed
# after it; erasing again is harmless, so restore applies those too.
JOURNAL_MARGIN = timedelta(minutes=10)
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    vendor: str
    taken_at: datetime
    size: int


@dataclass(frozen=True, slots=True)
class RestoreResult:
    vendor: str
    taken_at: datetime
    erasures_applied: int


# --- backup ---------------------------------------------------------------------------------


def backup_create(path: Path) -> BackupResult:
    """Write a consistent copy of the whole database to `path` (replaced if it exists)."""
    vendor = _vendor()
    path = path.expanduser().resolve()
    if path.is_dir():
        raise BackupError(f"{path} is a folder; name the backup file to write.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix=".sameboat-backup-", dir=path.parent) as work:
        data = Path(work) / DATA[vendor]
        taken_at = timezone.now()
        if vendor == "sqlite":
            _sqlite_backup(data)
            migrations = _sqlite_migrations(data)
        else:
            migrations = _applied_migrations()
            _pg_dump(data)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "vendor": vendor,
            "taken_at": taken_at.isoformat(),
            "migrations": migrations,
            "data": DATA[vendor],
            "sha256": _sha256(data),
            "bytes": data.stat().st_size,
        }
        partial = Path(work) / "backup.tar"
        # Personal data inside: readable by its owner only, from the first byte written.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            encoded = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(encoded), 0o600, int(taken_at.timestamp())
            tar.addfile(info, io.BytesIO(encoded))
            tar.add(data, arcname=DATA[vendor], recursive=False, filter=_private)
        os.replace(partial, path)
    return BackupResult(path=path, vendor=vendor, taken_at=taken_at, size=path.stat().st_size)


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATA:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    source: Any = connection.connection
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the whole copy is read in one read transaction, a snapshot.
        source.backup(copy)
        (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"The copy failed SQLite's integrity check: {result}")
        # One file, whatever mode the live database runs in.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()


def _sqlite_migrations(path: Path) -> list[list[str]]:
    copy = sqlite3.connect(path)
    try:
        rows = copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        copy.close()
    return [[app, name] for app, name in rows]


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return [
        [app, name] for app, name in recorder.migration_qs.order_by("id").values_list("app", "name")
    ]


# --- PostgreSQL's own tools -----------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed; it comes with the PostgreSQL client "
            f"(on Debian: apt-get install postgresql-client-{_server_major()})."
        )
    return found


def _server_major() -> int:
    connection.ensure_connection()
    version: int = connection.pg_version  # type: ignore[attr-defined]
    return version // 10000


def _tool_major(tool: str) -> int:
    output = subprocess.run(  # noqa: S603 (a fixed argument list)
        [tool, "--version"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"\)\s*(\d+)", output) or re.search(r"(\d+)", output)
    if found is None:
        raise BackupError(f"Cannot tell the version of {tool} from {output!r}.")
    return int(found.group(1))


def _pg_checked_tool(name: str) -> str:
    tool = _pg_tool(name)
    client, server = _tool_major(tool), _server_major()
    if client < server:
        raise BackupError(
            f"{name} is version {client} but the server runs PostgreSQL {server}; "
            f"install postgresql-client-{server} (an older {name} cannot read a newer server)."
        )
    return tool


def _pg_connection() -> tuple[str, dict[str, str]]:
    """The database Django uses, as a libpq connection string, and the environment that
    carries its password (never on the command line, where `ps` would show it)."""
    from psycopg.conninfo import make_conninfo

    settings_dict: Mapping[str, Any] = connection.settings_dict
    params: dict[str, str] = {"dbname": str(settings_dict["NAME"])}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user")):
        if settings_dict.get(key):
            params[name] = str(settings_dict[key])
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"}:
            params[key] = str(value)
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return make_conninfo(**params), environment


def _run(arguments: list[str], environment: dict[str, str], what: str) -> None:
    finished = subprocess.run(  # noqa: S603 (an argument list, no shell)
        arguments, capture_output=True, text=True, env=environment, check=False
    )
    if finished.returncode != 0:
        raise BackupError(f"{what} failed: {finished.stderr.strip()[-2000:]}")


def _pg_dump(target: Path) -> None:
    tool = _pg_checked_tool("pg_dump")
    conninfo, environment = _pg_connection()
    _run(
        [
            tool,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            f"--dbname={conninfo}",
        ],
        environment,
        "pg_dump",
    )


def _pg_restore(source: Path) -> None:
    tool = _pg_checked_tool("pg_restore")
    conninfo, environment = _pg_connection()
    connection.close()  # nothing of ours holds the database while it is loaded
    _run(
        [
            tool,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={conninfo}",
            str(source),
        ],
        environment,
        "pg_restore",
    )


# --- restore --------------------------------------------------------------------------------


def backup_restore(path: Path) -> RestoreResult:
    """Load the backup at `path` into the database Django uses, which must be empty; then
    migrate it to the running code and apply again the erasures made since the backup."""
    vendor = _vendor()
    path = path.expanduser().resolve()
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    with tempfile.TemporaryDirectory(prefix=".sameboat-restore-") as work:
        manifest, data = _unpack(path, Path(work))
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"This backup was taken from {manifest['vendor']}; this Sameboat runs on "
                f"{vendor}. Restore it into the same kind of database."
            )
        _check_migrations_known(manifest["migrations"])
        taken_at = datetime.fromisoformat(manifest["taken_at"])
        # Read before anything is changed: a journal that cannot be read stops the restore.
        due = erasures_due(taken_at - JOURNAL_MARGIN)
        _check_empty()
        if vendor == "sqlite":
            _sqlite_restore(data)
        else:
            _pg_restore(data)
    call_command("migrate", interactive=False, verbosity=0)
    applied = erasures_apply(due)
    return RestoreResult(vendor=vendor, taken_at=taken_at, erasures_applied=applied)


def _unpack(path: Path, work: Path) -> tuple[dict[str, Any], Path]:
    try:
        with tarfile.open(path, mode="r:*") as tar:
            manifest = _read_manifest(tar)
            member = tar.getmember(manifest["data"])
            if not member.isfile():
                raise BackupError("The backup's data is not a plain file.")
            stream = tar.extractfile(member)
            if stream is None:
                raise BackupError("The backup's data cannot be read.")
            data = work / Path(manifest["data"]).name
            digest = hashlib.sha256()
            with stream, data.open("wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{path} is not a readable Sameboat backup ({error}).") from error
    if digest.hexdigest() != manifest["sha256"]:
        raise BackupError("The backup is damaged: its data does not match its checksum.")
    return manifest, data


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    stream = tar.extractfile(MANIFEST)
    if stream is None:
        raise BackupError("The backup has no manifest.")
    manifest = json.loads(stream.read(1 << 20))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Sameboat backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"This backup's format is version {manifest.get('version')}; "
            f"this Sameboat reads version {VERSION}."
        )
    if manifest.get("vendor") not in DATA or manifest.get("data") != DATA[manifest["vendor"]]:
        raise BackupError("The backup's manifest names no database this Sameboat knows.")
    datetime.fromisoformat(manifest["taken_at"])
    return manifest


def _check_migrations_known(applied: list[list[str]]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in applied if (app, name) not in known]
    if unknown:
        raise BackupError(
            "This backup was taken by a newer Sameboat: it holds migrations this one does "
            f"not know ({', '.join(unknown[:5])}). Upgrade Sameboat, then restore."
        )


def _check_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database is not empty (it has {len(tables)} tables). Restore into an empty "
            "one: a new SQLite file, or a PostgreSQL database made with CREATE DATABASE."
        )


def _sqlite_restore(source: Path) -> None:
    connection.ensure_connection()
    target: Any = connection.connection
    copy = sqlite3.connect(source)
    try:
        copy.backup(target)
    finally:
        copy.close()
    # The copy is in rollback-journal mode; the live database goes back to WAL.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")


# --- erasures made after the backup ---------------------------------------------------------


def _journal_entries() -> Iterator[tuple[int, datetime]]:
    from sameboat.privacy.services import erasure_journal_path

    journal = erasure_journal_path()
    if not journal.exists():
        return
    with journal.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                user_id, erased_at = (
                    int(entry["user_id"]),
                    datetime.fromisoformat(entry["erased_at"]),
                )
            except (ValueError, KeyError, TypeError) as error:
                raise BackupError(
                    f"The erasure journal {journal} has a line that cannot be read: {line!r}. "
                    "Fix it before restoring, or erased members could come back."
                ) from error
            if timezone.is_naive(erased_at):
                erased_at = timezone.make_aware(erased_at, UTC)
            yield user_id, erased_at


def erasures_due(since: datetime) -> set[int]:
    """The users the erasure journal records as erased at or after `since`.

    Only the journal's lines since the backup count: older erasures are in the backup
    already, and after an earlier restore an old line's user id may belong to someone new.
    """
    since = since if timezone.is_aware(since) else timezone.make_aware(since, UTC)
    return {user_id for user_id, erased_at in _journal_entries() if erased_at >= since}


def erasures_apply(user_ids: set[int]) -> int:
    """Erase again each of these accounts the database still holds unerased; returns how many
    were erased."""
    from sameboat.accounts.models import User
    from sameboat.privacy.services import account_erase, is_erased

    applied = 0
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        if not is_erased(user):
            account_erase(user=user, erased_by=None)
            applied += 1
    return applied
