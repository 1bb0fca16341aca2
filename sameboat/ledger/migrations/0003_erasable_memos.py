"""An exchange's memo copies the title of the ask or offer it settled ("Insulin pick-up"):
when a side of the exchange erases their account, that text must go too. The ledger stays
immutable in everything else: the one UPDATE the database now allows on an exchange empties
its memo and changes nothing else. Entries stay fully immutable.

SQLite cannot compare whole rows, so its trigger names every column as it is now; the test
`test_an_exchange_admits_no_update_but_emptying_its_memo` tries every column, so a column
added later without recreating this trigger fails the suite."""

from django.db import migrations

MESSAGE = "ledger_exchange rows are immutable: post a reversal"


def _columns(apps):
    exchange = apps.get_model("ledger", "Exchange")
    return [field.column for field in exchange._meta.concrete_fields if field.column != "memo"]


def only_memo_may_be_emptied(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in _columns(apps))
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_exchange_immutable;")
        schema_editor.execute(
            "CREATE TRIGGER ledger_exchange_immutable BEFORE UPDATE ON ledger_exchange "
            f"WHEN NOT (NEW.memo = '' AND {unchanged}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION sameboat_exchange_immutable() RETURNS trigger AS $$ "
            "BEGIN "
            "IF NEW.memo = '' AND (to_jsonb(NEW) - 'memo') = (to_jsonb(OLD) - 'memo') "
            "THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{MESSAGE}'; "
            "END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_exchange_immutable ON ledger_exchange;")
        schema_editor.execute(
            "CREATE TRIGGER ledger_exchange_immutable BEFORE UPDATE ON ledger_exchange "
            "FOR EACH ROW EXECUTE FUNCTION sameboat_exchange_immutable();"
        )


def nothing_may_change(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_exchange_immutable;")
        schema_editor.execute(
            "CREATE TRIGGER ledger_exchange_immutable BEFORE UPDATE ON ledger_exchange "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_exchange_immutable ON ledger_exchange;")
        schema_editor.execute("DROP FUNCTION IF EXISTS sameboat_exchange_immutable();")
        schema_editor.execute(
            "CREATE TRIGGER ledger_exchange_immutable BEFORE UPDATE ON ledger_exchange "
            "FOR EACH ROW EXECUTE FUNCTION sameboat_ledger_immutable();"
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_immutable_entries")]

    operations = [migrations.RunPython(only_memo_may_be_emptied, nothing_may_change)]
