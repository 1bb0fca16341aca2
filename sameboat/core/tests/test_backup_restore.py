"""`sameboat backup FILE` and `sameboat restore FILE`, on whichever database the suite runs on
(SQLite in `make test`, PostgreSQL in CI's second pass).

The demo network (every app's data) is backed up; `sameboat restore` runs as its own process
against a new, empty database, as an operator would run it; then every row of every table of
the restored database is compared with the original, as the database stores it (encrypted
fields as ciphertext). Erasures made after the backup come back on restore.
"""

import io
import os
import sqlite3
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
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum

from conftest import MakeMember
from sameboat.accounts.models import User
from sameboat.aid.models import Ask
from sameboat.aid.services import match_accept, match_complete, match_offer_help
from sameboat.audit.models import AuditEvent
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.services import exchange_post
from sameboat.networks.models import Member
from sameboat.privacy.services import account_erase

pytestmark = pytest.mark.django_db(transaction=True)

Contents = dict[str, list[str]]
SECRET_NOTE = "Step-free access please: wheelchair since the accident"
AUDIT = AuditEvent._meta.db_table
SEQUENCES = "(sequences)"


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


def sameboat(*args: str, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The `sameboat` command line, run as its own process against another database."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SAMEBOAT_DATA_DIR": str(tmp_path / "data"),
        "ERASURE_JOURNAL": str(settings.ERASURE_JOURNAL),
        "SAMEBOAT_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
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


def test_a_restored_backup_holds_every_row_of_every_table(
    tmp_path: Path, seeded_languages: None
) -> None:
    call_command("demo", progress=False, verbosity=0)
    someone = User.objects.filter(is_active=True).order_by("pk").first()
    assert someone is not None
    someone.accessibility_needs = SECRET_NOTE
    someone.save(update_fields=["accessibility_needs"])
    with connection.cursor() as cursor:
        before = contents(cursor, connection.vendor)
    assert len(before[Entry._meta.db_table]) > 100, "the demo posts a ledger"

    backup = tmp_path / "sameboat.backup"
    call_command("backup", str(backup), verbosity=0)

    assert backup.stat().st_mode & 0o777 == 0o600, "personal data: its owner's eyes only"
    with tarfile.open(backup) as tar:
        assert sorted(tar.getnames()) == sorted(
            [
                "manifest.json",
                "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
            ]
        )
    if connection.vendor == "sqlite":
        # Uncompressed, so a plain text would be found here; it is ciphertext.
        assert SECRET_NOTE.encode() not in backup.read_bytes()
    assert AuditEvent.objects.filter(action="backup.create").count() == 1

    with empty_database(tmp_path) as (url, open_restored):
        done = sameboat("restore", str(backup), database_url=url, tmp_path=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "restored the backup" in done.stdout
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
        again = sameboat("restore", str(backup), database_url=url, tmp_path=tmp_path)
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
    for table in before:
        if table == AUDIT:
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


def test_restore_refuses_a_database_that_is_not_empty_and_a_damaged_file(
    tmp_path: Path, member: Member
) -> None:
    backup = tmp_path / "sameboat.backup"
    call_command("backup", str(backup), verbosity=0)
    users = User.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), verbosity=0)
    assert User.objects.count() == users

    damaged = tmp_path / "damaged.backup"
    with tarfile.open(backup) as source, tarfile.open(damaged, "w") as target:
        for info in source.getmembers():
            data = source.extractfile(info)
            assert data is not None
            body = bytearray(data.read())
            if info.name != "manifest.json":
                body[len(body) // 2] ^= 0xFF
            target.addfile(info, io.BytesIO(bytes(body)))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), verbosity=0)
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), verbosity=0)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="not a readable Sameboat backup"):
        call_command("restore", str(not_a_backup), verbosity=0)
    assert AuditEvent.objects.filter(action="backup.restore").count() == 0


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
