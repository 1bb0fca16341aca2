"""`manage.py flush`, able to empty the append-only audit log.

Django's flush empties every table (DELETE on SQLite, TRUNCATE on PostgreSQL); the audit
log's triggers refuse that. Flush is the deliberate "wipe this whole database" command,
used by the test runner between transactional tests and by developers, so it lifts the
triggers for its own statements only (`append_only_lifted`: one transaction).
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from sameboat.audit.maintenance import append_only_lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        if options["interactive"]:
            name = connections[database].settings_dict["NAME"]
            confirm = input(
                f'You have requested a flush of the database "{name}": this IRREVERSIBLY '
                "DESTROYS all its data, the audit log included.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
            options = {**options, "interactive": False}
        with append_only_lifted(database):
            super().handle(**options)
