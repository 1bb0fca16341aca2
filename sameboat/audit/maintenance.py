"""Lifting the audit log's append-only guard, for whole-database maintenance only.

`manage.py flush` (the test runner's reset between transactional tests) and a restore into
a database must be able to empty the table. `append_only_lifted` drops the triggers, runs
the block and creates them again, all in one transaction: no other connection ever sees
the table unguarded, and if the block fails the triggers were never gone. Nothing in the
application's request paths uses it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

_triggers = import_module("sameboat.audit.migrations.0002_append_only")


class _Executor:
    """What the migration's trigger functions use of a schema editor: the connection and
    `execute`. (SQLite's real schema editor cannot open inside a transaction.)"""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


@contextmanager
def append_only_lifted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    connection = connections[using]
    with transaction.atomic(using=using):
        _triggers.drop_triggers(None, _Executor(connection))
        yield
        _triggers.create_triggers(None, _Executor(connection))
