"""Two-factor secrets written before MfaAdapter encrypted them (TOTP secrets, recovery-code
seeds, imported recovery codes in allauth's Authenticator.data) are encrypted in place under
the field keys. Safe to run on rows already encrypted: a Fernet token is left as it is."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from sameboat.accounts.mfa_secrets import (
    decrypt_if_token,
    encrypt_if_plaintext,
    rewrite_authenticators,
)


def encrypt_mfa_secrets(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    rewrite_authenticators(
        apps.get_model("mfa", "Authenticator"),
        encrypt_if_plaintext,
        using=schema_editor.connection.alias,
    )


def decrypt_mfa_secrets(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    rewrite_authenticators(
        apps.get_model("mfa", "Authenticator"),
        decrypt_if_token,
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_encrypt_accessibility_and_contact_sharing"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_mfa_secrets, decrypt_mfa_secrets),
    ]
