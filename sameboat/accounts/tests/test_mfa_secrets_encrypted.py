"""Two-factor secrets are stored encrypted under the field keys: the authenticator app's secret
and the recovery-codes seed in the database are Fernet tokens that decrypt to them; logging in
with an app code or a recovery code still works, also after the keys are rotated and the old
one dropped; the data migration encrypts rows written in plaintext and leaves encrypted ones
as they are."""

import json
from io import StringIO
from types import SimpleNamespace
from typing import Any, cast

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from cryptography.fernet import Fernet
from django.apps.registry import Apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sameboat.accounts import mfa_secrets
from sameboat.accounts.tests.test_mfa import (
    ACTIVATE_URL,
    code_for,
    confirm_password,
    password_login,
)
from sameboat.audit.models import AuditEvent
from sameboat.core import crypto
from sameboat.networks.models import Member

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
MIGRATION = ("accounts", "0005_encrypt_mfa_secrets")


def stored(user_pk: int, kind: str) -> dict[str, Any]:
    """An authenticator's data as the database holds it, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM mfa_authenticator WHERE user_id = %s AND type = %s",
            [user_pk, kind],
        )
        value = cursor.fetchone()[0]
    return cast(dict[str, Any], json.loads(value) if isinstance(value, str) else value)


def raw_text(user_pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE user_id = %s", [user_pk])
        return " ".join(str(row[0]) for row in cursor.fetchall())


def turn_on(member: Member) -> str:
    secret = generate_totp_secret()
    TOTP.activate(member.user, secret)
    RecoveryCodes.activate(member.user)
    return secret


def recovery_codes(member: Member) -> list[str]:
    return RecoveryCodes(
        Authenticator.objects.get(user=member.user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()


def logs_in_with(member: Member, code: str) -> bool:
    client = password_login(member)
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    return response.status_code == 302 and client.session.get("_auth_user_id") == str(
        member.user.pk
    )


def test_setup_stores_the_secret_and_seed_encrypted(member: Member) -> None:
    # Set up as a person does, on the page.
    client = password_login(member)
    confirm_password(client)
    secret = client.get(ACTIVATE_URL).context["form"].secret
    assert client.post(ACTIVATE_URL, {"code": code_for(secret)}).status_code == 302

    totp = stored(member.user.pk, "totp")
    assert totp["secret"] != secret
    assert mfa_secrets.is_token(totp["secret"])
    assert crypto.decrypt(totp["secret"]) == secret
    assert secret not in raw_text(member.user.pk)

    seed = stored(member.user.pk, "recovery_codes")["seed"]
    assert mfa_secrets.is_token(seed)
    plain_seed = crypto.decrypt(seed)
    assert len(plain_seed) == 80 and plain_seed not in raw_text(member.user.pk)
    # The codes shown to the person come from that seed.
    codes = recovery_codes(member)
    unencrypted = Authenticator(type="recovery_codes", data={"seed": plain_seed, "used_mask": 0})
    with override_settings(MFA_ADAPTER="allauth.mfa.adapter.DefaultMFAAdapter"):
        assert RecoveryCodes(unencrypted).generate_codes() == codes
    for code in codes:
        assert code not in raw_text(member.user.pk)


def test_login_with_an_app_code_and_with_a_recovery_code(member: Member) -> None:
    secret = turn_on(member)
    assert not logs_in_with(member, "000000" if code_for(secret) != "000000" else "111111")
    assert logs_in_with(member, code_for(secret))
    first = recovery_codes(member)[0]
    assert logs_in_with(member, first)
    assert first not in recovery_codes(member)  # used up
    assert not logs_in_with(member, first)


def test_codes_still_work_after_rotation_to_a_new_key(member: Member) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        secret = turn_on(member)
        codes = recovery_codes(member)
        under_a = {kind: stored(member.user.pk, kind) for kind in ("totp", "recovery_codes")}
    out = StringIO()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("sameboat_keys", "rotate", stdout=out)
    # Both authenticators re-encrypted, and counted as such.
    assert "mfa.Authenticator.data: 2 re-encrypted" in out.getvalue()
    assert AuditEvent.objects.get(action="keys.rotate").detail["values"] >= 2

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        totp = stored(member.user.pk, "totp")
        seed = stored(member.user.pk, "recovery_codes")["seed"]
        assert totp["secret"] != under_a["totp"]["secret"]
        assert seed != under_a["recovery_codes"]["seed"]
        assert crypto.decrypt(totp["secret"]) == secret
        assert recovery_codes(member) == codes
        assert logs_in_with(member, code_for(secret))
        assert logs_in_with(member, codes[1])
    # The old key alone no longer opens them: it may go.
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored(member.user.pk, "totp")["secret"])


def test_rotation_names_the_two_factor_secrets_when_a_key_was_dropped_too_soon(
    member: Member,
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        turn_on(member)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]),
        pytest.raises(CommandError, match=r"mfa\.Authenticator\.data"),
    ):
        call_command("sameboat_keys", "rotate", stdout=StringIO())


def migration_apps() -> Apps:
    """The models as the migration sees them."""
    return MigrationExecutor(connection).loader.project_state(MIGRATION).apps


def run_migration(direction: str) -> None:
    module = __import__(
        "sameboat.accounts.migrations.0005_encrypt_mfa_secrets", fromlist=["Migration"]
    )
    # The step uses only the schema editor's connection (a real schema editor cannot open
    # inside the test's transaction on SQLite).
    editor = cast(BaseDatabaseSchemaEditor, SimpleNamespace(connection=connection))
    getattr(module, f"{direction}_mfa_secrets")(migration_apps(), editor)


def test_the_migration_encrypts_plaintext_rows_and_leaves_encrypted_ones(
    make_member: Any,
) -> None:
    old, new = make_member(), make_member()
    # Written before the adapter encrypted: the secret, seed and imported codes in the clear.
    old_secret = generate_totp_secret()
    old_seed = RecoveryCodes.generate_seed()
    Authenticator.objects.create(user=old.user, type="totp", data={"secret": old_secret})
    Authenticator.objects.create(
        user=old.user,
        type="recovery_codes",
        data={"seed": old_seed, "used_mask": 0, "migrated_codes": ["a1b2c3d4", "e5f6g7h8"]},
    )
    # Written since: already encrypted.
    new_secret = turn_on(new)
    new_rows = {kind: stored(new.user.pk, kind) for kind in ("totp", "recovery_codes")}

    run_migration("encrypt")

    totp = stored(old.user.pk, "totp")
    codes = stored(old.user.pk, "recovery_codes")
    assert crypto.decrypt(totp["secret"]) == old_secret
    assert crypto.decrypt(codes["seed"]) == old_seed
    assert [crypto.decrypt(code) for code in codes["migrated_codes"]] == ["a1b2c3d4", "e5f6g7h8"]
    assert codes["used_mask"] == 0
    for value in (old_secret, old_seed, "a1b2c3d4", "e5f6g7h8"):
        assert value not in raw_text(old.user.pk)
    assert {kind: stored(new.user.pk, kind) for kind in new_rows} == new_rows

    # Run again: nothing is encrypted twice.
    once = {kind: stored(old.user.pk, kind) for kind in ("totp", "recovery_codes")}
    run_migration("encrypt")
    assert {kind: stored(old.user.pk, kind) for kind in once} == once
    assert {kind: stored(new.user.pk, kind) for kind in new_rows} == new_rows

    # The person whose secret was migrated logs in with their app, and an imported code.
    assert logs_in_with(old, code_for(old_secret))
    assert logs_in_with(old, "e5f6g7h8")
    assert logs_in_with(new, code_for(new_secret))

    # Backwards: the plaintext back, for every row.
    run_migration("decrypt")
    assert stored(old.user.pk, "totp")["secret"] == old_secret
    assert stored(old.user.pk, "recovery_codes")["migrated_codes"] == ["a1b2c3d4"]
    assert stored(new.user.pk, "totp")["secret"] == new_secret


def test_the_migration_stops_at_a_token_the_keys_cannot_open(member: Member) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        turn_on(member)
        before = stored(member.user.pk, "totp")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        with pytest.raises(crypto.DecryptionError):
            run_migration("encrypt")
        # Not encrypted a second time, under the wrong key.
        assert stored(member.user.pk, "totp") == before


@given(
    st.one_of(
        st.builds(generate_totp_secret, st.integers(min_value=1, max_value=64)),
        st.builds(RecoveryCodes.generate_seed),
        st.text(
            alphabet="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_=",
            max_size=64,
        ),
    ),
    st.text(max_size=200),
)
def test_a_plaintext_secret_is_never_taken_for_a_token(secret: str, anything: str) -> None:
    assert not mfa_secrets.is_token(secret)
    assert mfa_secrets.is_token(crypto.encrypt(secret or "x"))
    assert mfa_secrets.is_token(crypto.encrypt(anything or "x"))
