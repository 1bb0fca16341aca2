"""Argon2 with a secret pepper (ASVS 2.4.5).

Argon2 with a per-password salt makes each guess slow, but someone holding a copy of the
database (a stolen backup, an SQL injection) can still try guesses offline for as long as they
like. A pepper is a secret kept outside the database and its backups (the environment,
`SAMEBOAT_PASSWORD_PEPPERS`): each password is first keyed with HMAC-SHA256 under it, then
hashed with Argon2. Without the pepper a leaked hash cannot be checked against any guess.

The stored hash names its pepper by a short id (the first 8 hex digits of the pepper's
SHA-256; it reveals nothing usable about the pepper), so that after a rotation
(`SAMEBOAT_PASSWORD_PEPPERS=NEW,OLD`) old hashes still verify, and `must_update` tells Django
to hash again under the newest pepper at the person's next login. Format:
`argon2_peppered$<pepper id>$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`.
"""

import base64
import hashlib
import hmac
from typing import Any

import argon2
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_bytes
from django.utils.translation import gettext_lazy as _


def pepper_id(pepper: str) -> str:
    """The short, public name of a pepper, stored with each hash made under it."""
    return hashlib.sha256(pepper.encode()).hexdigest()[:8]


def _peppers() -> list[str]:
    # Read at each call, not at import, so that a rotation in settings (and override_settings
    # in tests) takes effect without reloading the hasher.
    return list(getattr(settings, "PASSWORD_PEPPERS", []))


def _keyed(password: str, pepper: str) -> str:
    # Base64 of the MAC as Argon2's input: a fixed 44 ASCII characters, whatever the password.
    mac = hmac.new(pepper.encode(), force_bytes(password), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


class PepperedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id over HMAC-SHA256(pepper, password); the pepper comes from the settings."""

    algorithm = "argon2_peppered"

    def encode(self, password: str, salt: str) -> str:
        peppers = _peppers()
        if not peppers:
            raise ImproperlyConfigured("No password pepper: set SAMEBOAT_PASSWORD_PEPPERS.")
        newest = peppers[0]
        # The parent gives "argon2_peppered$argon2id$…"; the pepper's id goes after the name.
        argon2_part = super().encode(_keyed(password, newest), salt)[len(self.algorithm) :]
        return f"{self.algorithm}${pepper_id(newest)}{argon2_part}"

    def _split(self, encoded: str) -> tuple[str, str]:
        algorithm, identifier, argon2_part = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return identifier, "$" + argon2_part

    def decode(self, encoded: str) -> dict[str, Any]:
        identifier, argon2_part = self._split(encoded)
        decoded = super().decode(self.algorithm + argon2_part)
        decoded["pepper_id"] = identifier
        return decoded

    def verify(self, password: str, encoded: str) -> bool:
        identifier, argon2_part = self._split(encoded)
        pepper = next((p for p in _peppers() if pepper_id(p) == identifier), None)
        if pepper is None:
            # A hash made under a pepper this server no longer (or never) had: nothing can
            # check it, which is the point of the pepper.
            return False
        try:
            return bool(argon2.PasswordHasher().verify(argon2_part, _keyed(password, pepper)))
        except argon2.exceptions.VerificationError:
            return False

    def must_update(self, encoded: str) -> bool:
        peppers = _peppers()
        if peppers and self.decode(encoded)["pepper_id"] != pepper_id(peppers[0]):
            return True
        # The parent compares Argon2's cost parameters and salt, through our decode.
        return super().must_update(encoded)

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        summary = super().safe_summary(encoded)
        summary[_("pepper")] = self.decode(encoded)["pepper_id"]
        return summary
