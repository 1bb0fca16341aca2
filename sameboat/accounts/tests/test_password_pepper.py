"""Password hashes carry a secret pepper (ASVS 2.4.5): HMAC-SHA256 under a secret from the
environment, then Argon2. A hash verifies only where the pepper is; older hashes (plain Argon2,
or an older pepper after a rotation) still verify and are hashed again at the next login."""

import argon2
import pytest
from django.conf import settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from sameboat.accounts.hashers import PepperedArgon2PasswordHasher, pepper_id
from sameboat.accounts.models import User
from sameboat.core.tests.production import production_env, run
from sameboat.networks.models import Member

OLD_PEPPER = "old-pepper-Yx8QpL2vN4sR7tW1zK5mC9"
NEW_PEPPER = "new-pepper-Hd3Jf6Gk8Lm0Np2Qr4St6U"


class CheapPepperedArgon2(PepperedArgon2PasswordHasher):
    # The production cost (100 MiB per hash) would make each test slow; the scheme is the same.
    time_cost = 1
    memory_cost = 64
    parallelism = 1


class CheapArgon2(Argon2PasswordHasher):
    # Plain Argon2, as hashes were stored before the pepper.
    time_cost = 1
    memory_cost = 64
    parallelism = 1


PEPPERED_FIRST = [f"{__name__}.CheapPepperedArgon2", f"{__name__}.CheapArgon2"]


def login(client: Client, email: str, password: str = PASSWORD) -> bool:
    client.post(reverse("account_login"), {"login": email, "password": password})
    return "_auth_user_id" in client.session


def stored_hash(user: User) -> str:
    user.refresh_from_db(fields=["password"])
    return user.password


@override_settings(PASSWORD_HASHERS=PEPPERED_FIRST, PASSWORD_PEPPERS=[NEW_PEPPER])
def test_a_hash_verifies_with_its_pepper_only() -> None:
    encoded = make_password(PASSWORD)
    assert encoded.startswith(f"argon2_peppered${pepper_id(NEW_PEPPER)}$argon2id$")
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)
    with override_settings(PASSWORD_PEPPERS=[OLD_PEPPER]):
        assert not check_password(PASSWORD, encoded)
    # The same password under another pepper is another hash, not only another salt.
    with override_settings(PASSWORD_PEPPERS=[OLD_PEPPER]):
        other = make_password(PASSWORD, salt=identify_hasher(encoded).decode(encoded)["salt"])
    assert other.split("$")[-1] != encoded.split("$")[-1]


@override_settings(PASSWORD_HASHERS=PEPPERED_FIRST, PASSWORD_PEPPERS=[NEW_PEPPER])
def test_a_leaked_hash_cannot_be_checked_without_the_pepper() -> None:
    encoded = make_password(PASSWORD)
    argon2_part = "$" + encoded.split("$", 2)[2]
    # Someone holding the database but not the environment: no pepper, or a guessed one.
    for peppers in ([], [""], ["guessed-pepper"]):
        with override_settings(PASSWORD_PEPPERS=peppers):
            assert not check_password(PASSWORD, encoded)
    # Renaming the hash's pepper to a guessed one's does not help either.
    forged = f"argon2_peppered${pepper_id('')}{argon2_part}"
    with override_settings(PASSWORD_PEPPERS=[""]):
        assert not check_password(PASSWORD, forged)
    # Nor does treating it as a plain Argon2 hash of the password: the password alone never
    # went into Argon2.
    with pytest.raises(argon2.exceptions.VerifyMismatchError):
        argon2.PasswordHasher().verify(argon2_part, PASSWORD)


@override_settings(PASSWORD_HASHERS=PEPPERED_FIRST, PASSWORD_PEPPERS=[NEW_PEPPER])
def test_a_plain_argon2_hash_is_peppered_at_the_next_login(client: Client, member: Member) -> None:
    user = member.user
    user.password = make_password(PASSWORD, hasher="argon2")
    user.save(update_fields=["password"])
    assert identify_hasher(stored_hash(user)).algorithm == "argon2"

    assert login(client, user.email)

    upgraded = stored_hash(user)
    assert upgraded.startswith(f"argon2_peppered${pepper_id(NEW_PEPPER)}$")
    assert check_password(PASSWORD, upgraded)


@override_settings(PASSWORD_HASHERS=PEPPERED_FIRST, PASSWORD_PEPPERS=[OLD_PEPPER])
def test_after_a_rotation_a_login_hashes_again_under_the_new_pepper(
    client: Client, member: Member
) -> None:
    user = member.user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    assert stored_hash(user).startswith(f"argon2_peppered${pepper_id(OLD_PEPPER)}$")

    with override_settings(PASSWORD_PEPPERS=[NEW_PEPPER, OLD_PEPPER]):
        assert login(client, user.email)
        rehashed = stored_hash(user)
        assert rehashed.startswith(f"argon2_peppered${pepper_id(NEW_PEPPER)}$")
        # A login under the newest pepper changes nothing more.
        client.logout()
        assert login(client, user.email)
        assert stored_hash(user) == rehashed

    # The old pepper can now be dropped: this person still logs in.
    client.logout()
    with override_settings(PASSWORD_PEPPERS=[NEW_PEPPER]):
        assert login(client, user.email)
        assert not login(Client(), user.email, PASSWORD + "x")


def test_development_and_tests_derive_a_pepper_of_their_own() -> None:
    assert settings.PASSWORD_PEPPERS
    assert settings.PASSWORD_PEPPERS[0] not in (
        settings.SECRET_KEY,
        *settings.FIELD_ENCRYPTION_KEYS,
    )


def test_production_refuses_to_start_without_a_pepper(tmp_path) -> None:
    env = production_env(tmp_path)
    del env["SAMEBOAT_PASSWORD_PEPPERS"]
    result = run(["-c", "import sameboat.settings"], env)
    assert result.returncode != 0
    assert "SAMEBOAT_PASSWORD_PEPPERS must be set" in result.stderr
