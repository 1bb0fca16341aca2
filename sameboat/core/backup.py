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

**No live credentials.** Logins in progress (`django_session`), API tokens
(`authtoken_token`) and the cache table (login limits, throttles, used two-factor codes) are
left out: a stolen backup must not be a way in. Their tables are kept, empty: on SQLite the
rows are deleted in the copy (secure_delete, then VACUUM, so no page keeps them), on
PostgreSQL `pg_dump --exclude-table-data`. After a restore everyone logs in again and makes
new API tokens; passwords, second factors and everything else come back.

**Encrypted as a whole**, with SAMEBOAT_BACKUP_KEYS (settings.BACKUP_ENCRYPTION_KEYS):
Fernet keys, newest first, kept apart from the database and from SAMEBOAT_FIELD_KEYS (the
encrypted fields stay ciphertext inside as well, so a restore needs both). Fernet alone
would hold the whole file in memory, so the file is sealed in chunks instead:

    header  = MAGIC (16 bytes) | version (1 byte) | n (2 bytes, big-endian)
              | the file key wrapped by the newest backup key (a Fernet token, n bytes)
    chunk*  = length (4 bytes, big-endian) | AES-256-GCM ciphertext and tag

A new random 256-bit key per file encrypts 1 MiB chunks of the plaintext; each chunk's nonce
is its number (11 bytes) and a last-chunk flag (1 byte), and the whole header is its
associated data. So a chunk changed, moved, dropped or taken from another backup, a file cut
short or lengthened, or a header changed, fails authentication; restore reads the whole file
through, checking every chunk, before it touches the database. Only the wrapped key depends
on the backup keys: any of them opens a backup (rotation), and the plaintext is never held
whole in memory. The plaintext is a tar archive of `manifest.json` (format, database kind,
when the snapshot was taken, the migrations it holds, a SHA-256 of the data) and the
database itself. While a backup is made or restored, the database copy lies unencrypted in a
temporary folder (mode 0700) next to the backup file, or in the system's temporary folder,
and is deleted at once.

Restore checks all of it before touching anything, refuses a database that is not empty,
migrates the restored data up to the running code, then applies again every erasure the
erasure journal records since the snapshot: an erased member stays erased whatever backup is
restored.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "sameboat-backup"
VERSION = 2
MANIFEST = "manifest.json"
DATA = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# An erasure journalled up to this long before the snapshot began may still have committed
# after it; erasing again is harmless, so restore applies those too.
JOURNAL_MARGIN = timedelta(minutes=10)
CHUNK = 1 << 20
MAGIC = b"SAMEBOAT-BACKUP\n"
HEADER = struct.Struct(">16sBH")
LENGTH = struct.Struct(">I")
TAG = 16
# Says what to do after a restore; the commands print it, docs/security.md explains it.
LEFT_OUT = (
    "Sessions, API tokens and the cache are not in backups: after a restore everyone logs in again."
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


# --- encryption -------------------------------------------------------------------------------


def _backup_keys() -> MultiFernet:
    """The backup keys of the moment (read each call, so tests can override the setting)."""
    keys = list(getattr(settings, "BACKUP_ENCRYPTION_KEYS", []))
    if not keys:
        raise BackupError(
            "No backup key: set SAMEBOAT_BACKUP_KEYS to one or more Fernet keys, newest first "
            "(`sameboat keys generate` prints one). Keep it apart from the database, its "
            "backups and SAMEBOAT_FIELD_KEYS."
        )
    if set(keys) & set(settings.FIELD_ENCRYPTION_KEYS):
        # One stolen key would then open both the backup and the fields inside it.
        raise BackupError(
            "SAMEBOAT_BACKUP_KEYS holds a key of SAMEBOAT_FIELD_KEYS; give backups keys of "
            "their own (`sameboat keys generate`)."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise BackupError(
            "SAMEBOAT_BACKUP_KEYS holds a value that is not a Fernet key (32 url-safe "
            "base64-encoded bytes; `sameboat keys generate` prints one)."
        ) from error


def _nonce(index: int, last: bool) -> bytes:
    # Unique per chunk under a key made for this file alone; the flag marks the end, so a
    # file cut at a chunk boundary is told from a whole one.
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class _SealingWriter(io.RawIOBase):
    """Encrypts what is written to it, chunk by chunk, into `raw`. `finish()` seals the last
    chunk; a file never finished cannot be restored."""

    def __init__(self, raw: BinaryIO, keys: MultiFernet) -> None:
        super().__init__()
        key = AESGCM.generate_key(bit_length=256)
        wrapped = keys.encrypt(key)
        self._header = HEADER.pack(MAGIC, VERSION, len(wrapped)) + wrapped
        self._aead = AESGCM(key)
        self._raw = raw
        self._buffer = bytearray()
        self._index = 0
        raw.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        # A full chunk goes out only once more follows it: the last one carries the flag.
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, last), plain, self._header)
        self._raw.write(LENGTH.pack(len(sealed)) + sealed)
        self._index += 1


class _OpeningReader(io.RawIOBase):
    """Reads back what _SealingWriter wrote, each chunk authenticated before any of it is
    given out; raises BackupError on anything not exactly as sealed."""

    def __init__(self, raw: BinaryIO, keys: MultiFernet) -> None:
        super().__init__()
        fixed = raw.read(HEADER.size)
        if len(fixed) < HEADER.size or not fixed.startswith(MAGIC):
            raise _NotSealed()
        _magic, version, size = HEADER.unpack(fixed)
        if version != VERSION:
            raise BackupError(
                f"This backup's format is version {version}; this Sameboat reads version {VERSION}."
            )
        wrapped = raw.read(size)
        try:
            key = keys.decrypt(wrapped)
        except InvalidToken as error:
            raise BackupError(
                "The backup cannot be opened with the keys in SAMEBOAT_BACKUP_KEYS: it was "
                "made with another key, or its header is damaged."
            ) from error
        if len(key) != 32:
            raise BackupError("The backup's header is damaged.")
        self._header = fixed + wrapped
        self._aead = AESGCM(key)
        self._raw = raw
        self._plain = b""
        self._index = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._plain and not self._ended:
            self._open_next()
        count = min(len(target), len(self._plain))
        target[:count] = self._plain[:count]
        self._plain = self._plain[count:]
        return count

    def _open_next(self) -> None:
        prefix = self._raw.read(LENGTH.size)
        if len(prefix) < LENGTH.size:
            raise BackupError("The backup is damaged: it ends too soon (cut short?).")
        (size,) = LENGTH.unpack(prefix)
        sealed = self._raw.read(size) if size <= CHUNK + TAG else b""
        if size > CHUNK + TAG or len(sealed) != size:
            raise BackupError("The backup is damaged: a chunk is cut short or altered.")
        for last in (False, True):
            try:
                self._plain = self._aead.decrypt(_nonce(self._index, last), sealed, self._header)
            except InvalidTag:
                continue
            self._index += 1
            if last:
                self._ended = True
                if self._raw.read(1):
                    raise BackupError("The backup is damaged: there is more after its end.")
            return
        raise BackupError(
            "The backup is damaged or was altered: a part of it fails its authentication "
            "check. Nothing was restored."
        )


class _NotSealed(BackupError):
    """Not an encrypted Sameboat backup (an unencrypted one from before, or another file)."""


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
    """Write a consistent copy of the whole database, less its live credentials, to `path`
    (replaced if it exists), encrypted with the newest backup key."""
    vendor = _vendor()
    keys = _backup_keys()  # before any work: no key, no backup
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
            "left_out": _credential_tables(),
        }
        partial = Path(work) / "backup.partial"
        # Readable by its owner only, from the first byte written, encrypted or not.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            sealed = _SealingWriter(raw, keys)
            # A stream ("w|"): the archive is encrypted as it is written, never held whole.
            with tarfile.open(fileobj=sealed, mode="w|") as tar:
                encoded = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(encoded), 0o600, int(taken_at.timestamp())
                tar.addfile(info, io.BytesIO(encoded))
                tar.add(data, arcname=DATA[vendor], recursive=False, filter=_private)
            sealed.finish()
            raw.flush()
            os.fsync(raw.fileno())
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


def _credential_tables() -> list[str]:
    """The tables whose rows would let someone in, left out of every backup: sessions (and
    allauth's list of them), API tokens, and the database cache (login limits, throttles,
    used two-factor codes). Their tables stay, empty."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from rest_framework.authtoken.models import Token

    # allauth's list of a person's sessions holds their session keys too.
    tables = [Session._meta.db_table, Token._meta.db_table, UserSession._meta.db_table]
    for cache in settings.CACHES.values():
        if cache.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache":
            tables.append(str(cache["LOCATION"]))
    return sorted(set(tables))


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    source: Any = connection.connection
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the whole copy is read in one read transaction, a snapshot.
        source.backup(copy)
        # One file, whatever mode the live database runs in.
        copy.execute("PRAGMA journal_mode=DELETE")
        # Deleted rows are overwritten (secure_delete) and their pages dropped (VACUUM):
        # no trace of a session or token stays in the file.
        copy.execute("PRAGMA secure_delete=ON")
        present = {
            name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        for table in _credential_tables():
            if table in present:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our own table names)
        copy.commit()
        copy.execute("VACUUM")
        (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"The copy failed SQLite's integrity check: {result}")
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
            # The tables stay, empty: restore then gives a complete schema.
            *(f'--exclude-table-data="{table}"' for table in _credential_tables()),
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
    """Decrypt the backup and write its data to `work`, reading the file through to its
    sealed end: a file that fails any check raises BackupError, and nothing is restored."""
    keys = _backup_keys()
    try:
        with path.open("rb") as raw:
            try:
                plain = io.BufferedReader(_OpeningReader(raw, keys), CHUNK)
            except _NotSealed:
                raw.seek(0)
                if tarfile.is_tarfile(raw):
                    raise BackupError(
                        f"{path} is an unencrypted backup from an earlier Sameboat; this one "
                        "restores encrypted backups only. Restore it with the Sameboat that "
                        "wrote it, then take a new backup."
                    ) from None
                raise BackupError(f"{path} is not a readable Sameboat backup.") from None
            # A stream ("r|"): members in the order written, each chunk checked as it comes.
            with tarfile.open(fileobj=plain, mode="r|") as tar:
                first = tar.next()
                if first is None or first.name != MANIFEST or not first.isfile():
                    raise BackupError("The backup has no manifest.")
                manifest = _read_manifest(_member_stream(tar, first).read(1 << 20))
                member = tar.next()
                if member is None or member.name != manifest["data"] or not member.isfile():
                    raise BackupError("The backup's data is missing or not a plain file.")
                data = work / Path(manifest["data"]).name
                digest = hashlib.sha256()
                with _member_stream(tar, member) as stream, data.open("wb") as out:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if tar.next() is not None:
                    raise BackupError("The backup holds more than its manifest and data.")
            # Through to the sealed last chunk: a file cut short or lengthened is refused.
            while plain.read(CHUNK):
                pass
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{path} is not a readable Sameboat backup ({error}).") from error
    if digest.hexdigest() != manifest["sha256"]:
        raise BackupError("The backup is damaged: its data does not match its checksum.")
    return manifest, data


def _member_stream(tar: tarfile.TarFile, member: tarfile.TarInfo) -> Any:
    stream = tar.extractfile(member)
    if stream is None:
        raise BackupError("The backup's data cannot be read.")
    return stream


def _read_manifest(encoded: bytes) -> dict[str, Any]:
    manifest = json.loads(encoded)
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
