"""The audit log is append-only, enforced by the database: it refuses every UPDATE and
DELETE on audit_auditevent, so no code path (admin, shell, a future bug) can rewrite or
hide what happened. One UPDATE is let through: the one Django makes when a person or a
network is deleted, which sets actor_id / network_id to NULL and changes nothing else
(actor_ref / network_ref keep the numbers)."""

from django.db import migrations

TABLE = "audit_auditevent"
KEPT = ["id", "created_at", "network_ref", "actor_ref", "action", "target", "detail", "ip", "request_id"]
MESSAGE = "audit_auditevent rows are append-only"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in KEPT)
        only_nulling = (
            f"{unchanged} AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id IS NULL) "
            f"AND (NEW.network_id IS OLD.network_id OR NEW.network_id IS NULL)"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"WHEN NOT ({only_nulling}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    elif vendor == "postgresql":
        unchanged = " AND ".join(
            f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in KEPT
        )
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION sameboat_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN "
            f"IF TG_OP = 'UPDATE' AND {unchanged} "
            "AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR NEW.actor_id IS NULL) "
            "AND (NEW.network_id IS NOT DISTINCT FROM OLD.network_id OR NEW.network_id IS NULL) "
            "THEN RETURN NEW; END IF; "
            f"RAISE EXCEPTION '{MESSAGE}'; "
            "END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION sameboat_audit_append_only();"
        )
        # TRUNCATE skips row triggers: refuse it with a statement trigger.
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION sameboat_audit_append_only();"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update;")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};")
        schema_editor.execute("DROP FUNCTION IF EXISTS sameboat_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
