"""`sameboat backup FILE` and `sameboat restore FILE`, on whichever database the suite runs on
(SQLite in `make test`, PostgreSQL in CI's second pass).

The demo network (every app's data) is backed up; `sameboat restore` runs as its own process
against a new, empty database, as an operator would run it; then every row of every table of
the restored database is compared with the original, as the database stores it (encrypted
fields as ciphertext), except the live credentials (sessions, API tokens, the cache), which
are left out and come back empty. The file is encrypted as a whole: no plaintext in it, a
wrong key or a changed byte refused, any of the listed keys opens it. Erasures made after the
backup come back on restore.
"""

import io
import os
import sqlite3
import struct
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum
from rest_framework.authtoken.models import Token

from conftest import MakeMember
from sameboat.accounts.models import User
from sameboat.aid.models import Ask
from sameboat.aid.services import match_accept, match_complete, match_offer_help
from sameboat.audit.models import AuditEvent
from sameboat.core.backup import (
    CHUNK,
    BackupError,
    _backup_keys,
    _OpeningReader,
    _SealingWriter,
)
from sameboat.groups.models import Group
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.services import exchange_post
from sameboat.networks.models import Member
from sameboat.privacy.services import account_erase

pytestmark = pytest.mark.django_db(transaction=True)

Contents = dict[str, list[str]]
SECRET_NOTE = "Step-free access please: wheelchair since the accident"
AUDIT = AuditEvent._meta.db_table
SEQUENCES = "(sequences)"
# The live credentials a backup leaves out: their tables come back, empty.
LEFT_OUT = ("django_session", "usersessions_usersession", "authtoken_token") + (
    # The cache is a database table unless Redis holds it (CI's PostgreSQL pass).
    ("sameboat_cache",)
    if settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    else ()
)


def contents(cursor: Any, vendor: str) -> Contents:
    """Every row of every table, as the database stores it, in a comparable text form; and
    where each table's id counter stands."""
    found: Contents = {}
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for (table,) in cursor.fetchall():
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns = ", ".join(f'quote("{row[1]}")' for row in cursor.fetchall())
            cursor.execute(f'SELECT {columns} FROM "{table}"')  # noqa: S608 (table names)
            found[table] = sorted(repr(row) for row in cursor.fetchall())
    else:
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT t::text FROM "{table}" AS t')  # noqa: S608 (table names)
            found[table] = sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT sequencename || ' ' || coalesce(last_value, 0) FROM pg_sequences "
            "WHERE schemaname = 'public'"
        )
        found[SEQUENCES] = sorted(row[0] for row in cursor.fetchall())
    return found


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A new, empty database of the suite's kind: its DATABASE_URL, and a way to open it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def open_sqlite() -> Any:
            return sqlite3.connect(path)

        yield f"sqlite:///{path}", open_sqlite
        return
    import psycopg

    live = connection.settings_dict
    name = f"{live['NAME']}_restored"[:63]
    server = {
        "host": live["HOST"] or "localhost",
        "port": live["PORT"] or 5432,
        "user": live["USER"],
        "password": live["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:

        def open_pg() -> Any:
            return psycopg.connect(dbname=name, autocommit=True, **server)

        yield (
            f"postgres://{server['user']}:{server['password']}@{server['host']}:"
            f"{server['port']}/{name}",
            open_pg,
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database: Any, sql: str, *params: object) -> tuple[Any, ...]:
    """One row from a database opened outside Django (sqlite3 or psycopg)."""
    if isinstance(database, sqlite3.Connection):
        sql = sql.replace("%s", "?")
    row: tuple[Any, ...] = database.execute(sql, params).fetchone()
    return row


def sameboat(
    *args: str, database_url: str, tmp_path: Path, backup_keys: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The `sameboat` command line, run as its own process against another database."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SAMEBOAT_DATA_DIR": str(tmp_path / "data"),
        "ERASURE_JOURNAL": str(settings.ERASURE_JOURNAL),
        "SAMEBOAT_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "SAMEBOAT_BACKUP_KEYS": ",".join(backup_keys or settings.BACKUP_ENCRYPTION_KEYS),
    }
    return subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "sameboat.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=600,
    )


@pytest.fixture(autouse=True)
def _journal_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ERASURE_JOURNAL = tmp_path / "erasures.jsonl"


def decrypted(backup: Path) -> bytes:
    """The backup's plaintext (a tar), opened with the keys of the moment."""
    with backup.open("rb") as raw:
        return io.BufferedReader(_OpeningReader(raw, _backup_keys()), CHUNK).read()


def test_a_restored_backup_holds_every_row_of_every_table_but_no_credentials(
    tmp_path: Path, seeded_languages: None, settings: Any
) -> None:
    call_command("demo", progress=False, verbosity=0)
    someone = User.objects.filter(is_active=True).order_by("pk").first()
    assert someone is not None
    someone.accessibility_needs = SECRET_NOTE
    someone.save(update_fields=["accessibility_needs"])
    # A confidential group's name says who its members are (a recovery circle).
    group = Group.objects.filter(confidential=True).order_by("pk").first()
    assert group is not None
    # Live credentials: a login, an API token, a login-limit count in the cache.
    session = SessionStore()
    session["_auth_user_id"] = str(someone.pk)
    session.create()
    UserSession.objects.create(
        user=someone, session_key=session.session_key, ip="192.0.2.1", user_agent="Firefox"
    )
    token = Token.objects.create(user=someone)
    cache.set("backup-test-login-failures", 3)
    with connection.cursor() as cursor:
        before = contents(cursor, connection.vendor)
    assert len(before[Entry._meta.db_table]) > 100, "the demo posts a ledger"
    for table in LEFT_OUT:
        assert before[table], f"{table} has rows to leave out"

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.BACKUP_ENCRYPTION_KEYS = [old]
    backup = tmp_path / "sameboat.backup"
    call_command("backup", str(backup), verbosity=0)

    assert backup.stat().st_mode & 0o777 == 0o600, "personal data: its owner's eyes only"
    raw_bytes = backup.read_bytes()
    assert not tarfile.is_tarfile(backup), "encrypted as a whole, not a tar"
    plain = decrypted(backup)
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        assert tar.getnames() == [
            "manifest.json",
            "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
        ]
    secrets = [someone.email, group.name, token.key, session.session_key, "manifest.json"]
    for secret in [*secrets, SECRET_NOTE]:
        assert str(secret).encode() not in raw_bytes, secret
    if connection.vendor == "sqlite":
        # The decrypted copy is uncompressed: what the file hides is really in it (so the
        # check above can fail), the credentials are not, and the field stays ciphertext.
        assert someone.email.encode() in plain and group.name.encode() in plain
        assert token.key.encode() not in plain
        assert str(session.session_key).encode() not in plain
        assert SECRET_NOTE.encode() not in plain
    assert AuditEvent.objects.filter(action="backup.create").count() == 1

    with empty_database(tmp_path) as (url, open_restored):
        # Without the backup's key: refused, plainly, and nothing is written.
        refused = sameboat(
            "restore", str(backup), database_url=url, tmp_path=tmp_path, backup_keys=[new]
        )
        assert refused.returncode == 1
        assert "cannot be opened with the keys in SAMEBOAT_BACKUP_KEYS" in refused.stderr
        assert "Traceback" not in refused.stderr
        # The key rotated since: the old one, still listed after the new, opens it (and the
        # database is still empty, or this restore would be refused).
        done = sameboat(
            "restore", str(backup), database_url=url, tmp_path=tmp_path, backup_keys=[new, old]
        )
        assert done.returncode == 0, done.stderr
        assert "restored the backup" in done.stdout
        assert "everyone logs in again" in done.stdout
        restored_connection = open_restored()
        try:
            after = contents(restored_connection.cursor(), connection.vendor)
            # The ledger's immutability trigger came back with the rows.
            with pytest.raises(Exception, match="immutable"):
                restored_connection.execute("UPDATE ledger_entry SET amount = amount + 1")
            raw = query(
                restored_connection,
                "SELECT accessibility_needs FROM accounts_user WHERE id = %s",
                someone.pk,
            )[0]
        finally:
            restored_connection.close()

        # Restoring into a database that is no longer empty is refused, and changes nothing.
        again = sameboat(
            "restore", str(backup), database_url=url, tmp_path=tmp_path, backup_keys=[old]
        )
        assert again.returncode == 1
        assert "not empty" in again.stderr

    with connection.cursor() as cursor:
        cursor.execute("SELECT accessibility_needs FROM accounts_user WHERE id = %s", [someone.pk])
        assert raw == cursor.fetchone()[0]
    assert SECRET_NOTE not in raw
    assert raw.startswith("gAAAA"), "a Fernet token"

    assert sorted(after) == sorted(before)
    # The restore wrote one audit event of its own; apart from it, the audit log is the same.
    added = sorted(set(after[AUDIT]) - set(before[AUDIT]))
    assert len(added) == 1 and "backup.restore" in added[0]
    assert sorted(set(after[AUDIT]) - set(added)) == before[AUDIT]
    for table in LEFT_OUT:
        assert after[table] == [], f"{table}: left out of the backup, empty after restore"
    for table in before:
        if table == AUDIT or table in LEFT_OUT:
            continue
        if table in (SEQUENCES, "sqlite_sequence"):
            assert [r for r in after[table] if AUDIT not in r] == [
                r for r in before[table] if AUDIT not in r
            ]
            continue
        assert after[table] == before[table], table


def completed_exchange(ask: Ask, receiver: Member, helper: Member, key: str) -> None:
    match = match_accept(match=match_offer_help(ask=ask, helper=helper), by=receiver)
    match_complete(match=match, by=helper, hours=Decimal("2.5"), key=key)


def test_erasures_made_after_a_backup_are_made_again_on_restore(
    tmp_path: Path, make_member: MakeMember, member: Member, helper: Member, ask: Ask
) -> None:
    completed_exchange(ask, member, helper, "k1")
    early = make_member(display_name="Erased before the backup")
    account_erase(user=early.user, erased_by=early.user)

    backup = tmp_path / "sameboat.backup"
    call_command("backup", str(backup), verbosity=0)
    # After the backup, Amina erases her account: the backup still holds her.
    account_erase(user=member.user, erased_by=member.user)
    email = "person-kept@example.org"
    make_member(email=email)

    with empty_database(tmp_path) as (url, open_restored):
        done = sameboat("restore", str(backup), database_url=url, tmp_path=tmp_path)
        assert done.returncode == 0, done.stderr
        # Only the erasure made since the backup needed doing again.
        assert "erasures applied again since then: 1" in done.stdout
        verified = sameboat("ledger", "verify", database_url=url, tmp_path=tmp_path)
        assert verified.returncode == 0, verified.stderr
        restored = open_restored()
        try:

            def one(sql: str, *params: object) -> tuple[Any, ...]:
                return query(restored, sql, *params)

            amina = one(
                "SELECT email, display_name, is_active FROM accounts_user WHERE id = %s",
                member.user_id,
            )
            # Her ledger stays whole: her account and its entries are there, summing up.
            balance, total = one(
                "SELECT a.balance, (SELECT sum(amount) FROM ledger_entry e "
                "WHERE e.account_id = a.id) FROM ledger_account a WHERE a.member_id = %s",
                member.pk,
            )
            zero = one("SELECT sum(amount) FROM ledger_entry")[0]
            erase_events = one(
                "SELECT count(*) FROM audit_auditevent WHERE action = 'privacy.erase' "
                "AND target = %s",
                f"user:{member.user_id}",
            )[0]
            not_yet = one("SELECT count(*) FROM accounts_user WHERE email = %s", email)[0]
        finally:
            restored.close()

    assert amina[0].endswith("@erased.invalid")
    assert amina[0] != member.user.email
    assert amina[1] == ""  # stored empty, shown as "Erased member" (sameboat.core.erasable)
    assert not amina[2]
    assert balance == total == -250
    assert zero == 0
    assert erase_events == 1
    assert not_yet == 0, "made after the backup: not in it"
    # Nothing changed in the database the backup was taken from.
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == 0
    assert Account.objects.get(member=member).balance == -250
    assert User.objects.filter(email=email).exists()


def chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    """A sealed file's header and its chunks (each with its length prefix)."""
    (size,) = struct.unpack(">H", sealed[17:19])
    at = 19 + size
    header, found = sealed[:at], []
    while at < len(sealed):
        (length,) = struct.unpack(">I", sealed[at : at + 4])
        found.append(sealed[at : at + 4 + length])
        at += 4 + length
    return header, found


def opened(sealed: bytes, keys: MultiFernet) -> bytes:
    return io.BufferedReader(_OpeningReader(io.BytesIO(sealed), keys), CHUNK).read()


def test_sealed_chunks_cannot_be_dropped_moved_or_taken_from_another_file() -> None:
    keys = MultiFernet([Fernet(Fernet.generate_key())])
    plain = os.urandom(3 * CHUNK + 1000)

    def seal(data: bytes) -> bytes:
        out = io.BytesIO()
        writer = _SealingWriter(out, keys)
        writer.write(data[: CHUNK // 3])  # written in pieces, as tarfile does
        writer.write(data[CHUNK // 3 :])
        writer.finish()
        return out.getvalue()

    sealed = seal(plain)
    assert opened(sealed, keys) == plain
    header, parts = chunks(sealed)
    assert len(parts) == 4
    other_header, other_parts = chunks(seal(plain))
    assert other_header != header, "a new key for every file"
    tampered = {
        "a chunk dropped": header + b"".join(parts[:1] + parts[2:]),
        "two chunks swapped": header + b"".join([parts[1], parts[0], *parts[2:]]),
        "cut at a chunk's end": header + b"".join(parts[:3]),
        "a chunk from another file": header + b"".join([other_parts[0], *parts[1:]]),
        "another file's header": other_header + b"".join(parts),
    }
    for what, body in tampered.items():
        with pytest.raises(BackupError):
            opened(body, keys)
            pytest.fail(what)
    # An empty plaintext still ends with its sealed (empty) last chunk.
    assert opened(seal(b""), keys) == b""


def test_restore_refuses_a_wrong_key_and_a_changed_byte_cleanly(
    tmp_path: Path, member: Member, settings: Any
) -> None:
    backup = tmp_path / "sameboat.backup"
    call_command("backup", str(backup), verbosity=0)
    users = User.objects.count()
    # A sound file and its key get as far as the database, which is not empty here.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), verbosity=0)
    assert User.objects.count() == users
    made_with = list(settings.BACKUP_ENCRYPTION_KEYS)
    # A newer key in front: the one it was made with, listed after, still opens it.
    settings.BACKUP_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *made_with]
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), verbosity=0)
    settings.BACKUP_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be opened with the keys"):
        call_command("restore", str(backup), verbosity=0)
    settings.BACKUP_ENCRYPTION_KEYS = made_with

    body = backup.read_bytes()
    header, parts = chunks(body)

    def changed(at: int) -> bytes:
        flipped = bytearray(body)
        flipped[at] ^= 0x01
        return bytes(flipped)

    refused = {
        "a byte of the data": (changed(len(header) + len(parts[0]) // 2), "altered"),
        "the last byte (a tag)": (changed(len(body) - 1), "altered"),
        "a byte of the wrapped key": (changed(19 + 20), "cannot be opened"),
        "a chunk's length": (changed(len(header) + 1), "damaged"),
        "the version": (changed(16), "format is version 3"),
        "the first byte": (changed(0), "not a readable Sameboat backup"),
        "cut short": (body[:-100], "damaged"),
        "cut at a chunk's start": (header + b"".join(parts[:-1]), "ends too soon"),
        "one byte more": (body + b"\0", "more after its end"),
    }
    for what, (damaged_body, message) in refused.items():
        damaged = tmp_path / "damaged.backup"
        damaged.write_bytes(damaged_body)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(damaged), verbosity=0)
            pytest.fail(what)

    # A backup from before encryption (a plain tar) is refused, saying why.
    unencrypted = tmp_path / "unencrypted.backup"
    with tarfile.open(unencrypted, "w") as tar:
        manifest = b'{"format": "sameboat-backup", "version": 1}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(CommandError, match="unencrypted backup from an earlier Sameboat"):
        call_command("restore", str(unencrypted), verbosity=0)
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), verbosity=0)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="not a readable Sameboat backup"):
        call_command("restore", str(not_a_backup), verbosity=0)
    assert AuditEvent.objects.filter(action="backup.restore").count() == 0

    # No backup without a key of its own.
    elsewhere = tmp_path / "other.backup"
    for keys, message in (
        ([], "No backup key: set SAMEBOAT_BACKUP_KEYS"),
        ([settings.FIELD_ENCRYPTION_KEYS[0]], "holds a key of SAMEBOAT_FIELD_KEYS"),
        (["not-a-key"], "not a Fernet key"),
    ):
        settings.BACKUP_ENCRYPTION_KEYS = keys
        with pytest.raises(CommandError, match=message):
            call_command("backup", str(elsewhere), verbosity=0)
        assert not elsewhere.exists()
    assert AuditEvent.objects.filter(action="backup.create").count() == 1


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="Writers alongside the backup need PostgreSQL here: the suite's SQLite database "
    "lives in memory, where another thread's writes lock whole tables.",
)
def test_a_backup_taken_while_exchanges_are_posted_is_consistent(
    tmp_path: Path, make_member: MakeMember
) -> None:
    people = [make_member() for _ in range(4)]
    stop = threading.Event()
    posted: list[int] = []

    def post_all_the_time() -> None:
        try:
            while not stop.is_set():
                n = len(posted)
                exchange_post(
                    provider=people[n % 4],
                    receiver=people[(n + 1) % 4],
                    amount=100 + n,
                    key=f"while-{n}",
                )
                posted.append(n)
        finally:
            connection.close()

    writer = threading.Thread(target=post_all_the_time)
    writer.start()
    try:
        while len(posted) < 5:
            time.sleep(0.05)
        backup = tmp_path / "sameboat.backup"
        call_command("backup", str(backup), verbosity=0)
        during = len(posted)
    finally:
        stop.set()
        writer.join()
    assert len(posted) > 5

    with empty_database(tmp_path) as (url, open_restored):
        done = sameboat("restore", str(backup), database_url=url, tmp_path=tmp_path)
        assert done.returncode == 0, done.stderr
        # Whatever moment the snapshot caught, it is a whole one: the ledger verifies.
        verified = sameboat("ledger", "verify", database_url=url, tmp_path=tmp_path)
        assert verified.returncode == 0, verified.stderr
        restored = open_restored()
        try:
            exchanges = query(restored, "SELECT count(*) FROM ledger_exchange")[0]
            entries = query(restored, "SELECT count(*) FROM ledger_entry")[0]
        finally:
            restored.close()
    assert 5 <= exchanges <= during + 1
    assert entries == 2 * exchanges
    assert Exchange.objects.count() == len(posted)
