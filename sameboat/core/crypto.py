"""Field encryption at rest: the texts that say most about a person (health and accessibility
notes, facilitators' session notes, members' check-ins, personal goals, referral notes) are
stored as Fernet tokens (AES-128-CBC with an HMAC-SHA256), so a stolen copy of the database or
of a backup shows none of them.

Keys come from the environment, `SAMEBOAT_FIELD_KEYS`: comma-separated Fernet keys, newest
first (settings.FIELD_ENCRYPTION_KEYS). New values are encrypted with the newest; any of them
decrypts, so a key is rotated by putting a new one in front, running `manage.py sameboat_keys
rotate` (every encrypted value re-encrypted with the newest key), then dropping the old one.
Development and tests derive one key from SECRET_KEY; production refuses to start without the
variable (see settings).

An empty value is stored empty: it says only that nothing was written, and keeps "is there a
note?" checks and constraints working. Encrypted columns cannot be searched, filtered or
sorted by the database: nothing here is, by design.
"""

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.lookups import Exact

# Rows re-encrypted per transaction by a rotation or a migration: small enough not to hold
# locks for long, large enough to be quick.
BATCH_SIZE = 500


class DecryptionError(Exception):
    """A stored value none of the configured keys opens: a key was dropped too soon."""


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("No field encryption key: set SAMEBOAT_FIELD_KEYS.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SAMEBOAT_FIELD_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes; `manage.py sameboat_keys generate` makes one)."
        ) from error


def fernet() -> MultiFernet:
    """The keys of the moment (read each call, so tests can override the setting)."""
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    if value == "":
        return ""
    # A lone surrogate (which JSON can carry) has no UTF-8 form: stored as U+FFFD, not a 500.
    return fernet().encrypt(value.encode("utf-8", "replace")).decode("ascii")


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise DecryptionError(
            "A stored value cannot be decrypted with the keys in SAMEBOAT_FIELD_KEYS."
        ) from error


def rotate(token: str) -> str:
    """The same value, encrypted again with the newest key."""
    if token == "":
        return ""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise DecryptionError(
            "A stored value cannot be decrypted with the keys in SAMEBOAT_FIELD_KEYS."
        ) from error


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


class EncryptedExact(Exact):
    """`field=""` works (an empty value is stored empty); `field="words"` cannot (every
    encryption differs) and is refused rather than silently matching nothing."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise NotImplementedError(
                "An encrypted column can only be compared with the empty string."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted. Reads and writes look like a TextField's; lookups
    other than against the empty string cannot work (each encryption differs) and are
    refused rather than silently finding nothing."""

    description = "Text, encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("exact", "isnull"):
            raise NotImplementedError(
                f"{self.model.__name__}.{self.name} is encrypted: "
                f"the database cannot compare it ({lookup_name})."
            )
        if lookup_name == "exact":
            return EncryptedExact
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """An encrypted short text: stored like EncryptedTextField, shown as a one-line input
    whose length the form checks (the stored token is longer than the text)."""

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


def encrypted_fields(
    registry: Apps = global_apps,
) -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model (concrete, not proxies)."""
    for model in registry.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _rewrite_column(
    db: BaseDatabaseWrapper,
    table: str,
    pk_column: str,
    column: str,
    transform: Callable[[str], str],
    batch_size: int = BATCH_SIZE,
) -> int:
    """Rewrite every non-empty value of one column through `transform`, in batches of rows
    ordered by primary key, each batch in its own transaction. Raw SQL: the values read are
    the stored ones, whatever the model's field makes of them."""
    quote = db.ops.quote_name
    # Locked while rewritten, so a write by the app in between is not overwritten.
    lock = " FOR UPDATE" if db.features.has_select_for_update else ""
    table_, pk_, column_ = quote(table), quote(pk_column), quote(column)
    first = (
        f"SELECT {pk_}, {column_} FROM {table_} WHERE {column_} <> '' "  # noqa: S608
        f"ORDER BY {pk_} LIMIT {int(batch_size)}{lock}"
    )
    after = (
        f"SELECT {pk_}, {column_} FROM {table_} WHERE {column_} <> '' AND {pk_} > %s "  # noqa: S608
        f"ORDER BY {pk_} LIMIT {int(batch_size)}{lock}"
    )
    update = f"UPDATE {table_} SET {column_} = %s WHERE {pk_} = %s"  # noqa: S608
    rewritten = 0
    last: Any = None
    while True:
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            if last is None:
                cursor.execute(first)
            else:
                cursor.execute(after, [last])
            rows = cursor.fetchall()
            if not rows:
                return rewritten
            cursor.executemany(update, [(transform(value), pk) for pk, value in rows])
        rewritten += len(rows)
        last = rows[-1][0]


def rotate_all(
    *, progress: Callable[[str, int], None] | None = None, db: BaseDatabaseWrapper | None = None
) -> dict[str, int]:
    """Re-encrypt every encrypted value with the newest key. Values already under it are
    re-encrypted too (a Fernet token does not say which key made it), and so are the
    two-factor secrets in `mfa.Authenticator.data`. Returns the count per
    `app_label.Model.field` (for `mfa.Authenticator.data`, the authenticators re-encrypted)."""
    db = db or connection
    counts: dict[str, int] = {}
    for model, field in encrypted_fields():
        label = f"{model._meta.label}.{field.name}"
        pk_column, column = model._meta.pk.column, field.column
        assert pk_column is not None and column is not None
        try:
            counts[label] = _rewrite_column(db, model._meta.db_table, pk_column, column, rotate)
        except DecryptionError as error:
            raise DecryptionError(f"{label}: {error}") from error
        if progress is not None:
            progress(label, counts[label])
    # Two-factor secrets sit inside allauth's JSON column, no field of ours: rotated by the
    # module that knows where they are (imported here, as it imports this one).
    from allauth.mfa.models import Authenticator

    from sameboat.accounts.mfa_secrets import rewrite_authenticators

    label = f"{Authenticator._meta.label}.data"
    try:
        counts[label] = rewrite_authenticators(Authenticator, rotate, using=db.alias)
    except DecryptionError as error:
        raise DecryptionError(f"{label}: {error}") from error
    if progress is not None:
        progress(label, counts[label])
    return counts


def encrypt_existing(
    targets: dict[str, list[str]],
) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    """A data migration's forward step: encrypt the plaintext already in these columns
    (`{"app_label.Model": ["field", ...]}`)."""
    return _migration_step(targets, encrypt)


def decrypt_existing(
    targets: dict[str, list[str]],
) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    """The reverse step: put the plaintext back."""
    return _migration_step(targets, decrypt)


def _migration_step(
    targets: dict[str, list[str]], transform: Callable[[str], str]
) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def step(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        for label, names in targets.items():
            model = apps.get_model(label)
            for name in names:
                field = model._meta.get_field(name)
                assert isinstance(field, models.Field)
                pk_column, column = model._meta.pk.column, field.column
                assert pk_column is not None and column is not None
                _rewrite_column(
                    schema_editor.connection, model._meta.db_table, pk_column, column, transform
                )

    return step
