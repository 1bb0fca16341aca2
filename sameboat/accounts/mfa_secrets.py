"""Two-factor secrets at rest: what allauth.mfa keeps in `Authenticator.data` that would let
someone make a person's codes (an authenticator app's TOTP secret, the seed the recovery codes
are derived from, recovery codes imported from another system) is stored as Fernet tokens under
the field keys (sameboat.core.crypto), through MfaAdapter.encrypt/decrypt.

Those values sit inside a JSON column, which `crypto.encrypted_fields` cannot see: this module
finds them for the data migration that encrypted the rows written before, and for `sameboat keys
rotate`. It imports no model, so a migration may use it with its historical one.
"""

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from sameboat.core import crypto

# The keys of Authenticator.data that allauth passes through the adapter's encrypt/decrypt
# (allauth.mfa.totp.internal.auth, allauth.mfa.recovery_codes.internal.auth).
SECRET_VALUES = ("secret", "seed")
SECRET_LISTS = ("migrated_codes",)
# WebAuthn keeps a public key credential, nothing secret: its rows are left alone.
TYPES_WITH_SECRETS = ("totp", "recovery_codes")

_URLSAFE_BASE64 = re.compile(r"[A-Za-z0-9_-]+={0,2}")
# A Fernet token: version byte 0x80, 8-byte timestamp, 16-byte IV, AES-CBC ciphertext (whole
# 16-byte blocks, at least one), 32-byte HMAC.
_FERNET_VERSION = 0x80
_FERNET_OVERHEAD = 1 + 8 + 16 + 32


def is_token(value: str) -> bool:
    """Whether `value` has a Fernet token's shape, so was encrypted. A plaintext secret never
    has it: a TOTP secret is upper-case base32 and a seed lower-case hex (neither holds the
    "g" every token starts with), and a recovery code is far shorter than the 100 characters
    of the smallest token."""
    if len(value) % 4 or not _URLSAFE_BASE64.fullmatch(value):
        return False
    try:
        raw = base64.urlsafe_b64decode(value)
    except (binascii.Error, ValueError):
        return False
    return (
        raw[:1] == bytes([_FERNET_VERSION])
        and len(raw) >= _FERNET_OVERHEAD + 16
        and (len(raw) - _FERNET_OVERHEAD) % 16 == 0
    )


def encrypt_if_plaintext(value: str) -> str:
    """The forward migration's step: a plaintext secret encrypted; a token kept as it is,
    once the keys have been seen to open it (a token they cannot open means a key is missing,
    and stops the migration rather than leave a secret nobody can read)."""
    if is_token(value):
        crypto.decrypt(value)
        return value
    return crypto.encrypt(value)


def decrypt_if_token(value: str) -> str:
    """The reverse step: the plaintext back; a value already plaintext left as it is."""
    return crypto.decrypt(value) if is_token(value) else value


def transform_data(data: Any, transform: Callable[[str], str]) -> Any:
    """A copy of an Authenticator's data with every secret passed through `transform`."""
    if not isinstance(data, dict):
        return data
    result = dict(data)
    for key in SECRET_VALUES:
        if isinstance(result.get(key), str) and result[key]:
            result[key] = transform(result[key])
    for key in SECRET_LISTS:
        if isinstance(result.get(key), list):
            result[key] = [
                transform(item) if isinstance(item, str) and item else item for item in result[key]
            ]
    return result


def rewrite_authenticators(
    model: type[models.Model],
    transform: Callable[[str], str],
    *,
    using: str = "default",
    batch_size: int = crypto.BATCH_SIZE,
) -> int:
    """Pass every secret of every authenticator through `transform`, in batches ordered by
    primary key, each batch locked and in its own transaction. `model` is allauth's
    Authenticator, or its historical version in a migration. Returns how many rows changed."""
    manager = model._default_manager.db_manager(using)
    pks = list(
        manager.filter(type__in=TYPES_WITH_SECRETS).order_by("pk").values_list("pk", flat=True)
    )
    rewritten = 0
    for start in range(0, len(pks), batch_size):
        with transaction.atomic(using=using):
            # Locked while rewritten, so a recovery code used in between is not overwritten.
            rows = manager.select_for_update().filter(pk__in=pks[start : start + batch_size])
            for pk, data in rows.order_by("pk").values_list("pk", "data"):
                new = transform_data(data, transform)
                if new != data:
                    manager.filter(pk=pk).update(data=new)
                    rewritten += 1
    return rewritten
