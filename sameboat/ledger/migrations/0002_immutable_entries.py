"""Entries and exchanges are never edited, only reversed: the database itself refuses an
UPDATE, so no code path (admin, shell, a future bug) can rewrite history. Members, accounts
and categories that the ledger refers to are protected from deletion too: a network with
history is kept, not deleted."""

from django.db import migrations

TABLES = ["ledger_entry", "ledger_exchange"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are immutable: post a reversal'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION sameboat_ledger_immutable() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '%% rows are immutable: post a reversal', TG_TABLE_NAME; "
                "END; $$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION sameboat_ledger_immutable();"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
