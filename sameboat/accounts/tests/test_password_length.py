"""ASVS 2.1.1/2.1.2: a password has at least 12 characters and at most 128, checked by the real
signup and password-change forms (settings.AUTH_PASSWORD_VALIDATORS)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from sameboat.accounts.models import User
from sameboat.accounts.validators import MaximumLengthValidator
from sameboat.networks.models import Member, Network

# Just under, at, at and just over the limits.
LENGTHS = [(11, False), (12, True), (128, True), (129, False)]


def password_of(length: int) -> str:
    """An uncommon, non-numeric password of exactly `length` characters."""
    return ("river-stone-lantern-" * 10)[:length]


def signup(client: Client, network: Network, password: str) -> bool:
    network.open_signup = True
    network.save(update_fields=["open_signup"])
    client.post(reverse("networks:join", kwargs={"network": network.slug}))
    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": password,
            "password2": password,
            "display_name": "Newcomer",
        },
    )
    return User.objects.filter(email="newcomer@example.org").exists()


@pytest.mark.parametrize(
    ("length", "accepted"), [(11, False), (12, True), (128, True), (129, False)]
)
def test_signup_takes_12_to_128_characters(network: Network, length: int, accepted: bool) -> None:
    assert signup(Client(), network, password_of(length)) is accepted


@pytest.mark.parametrize(
    ("length", "accepted"), [(11, False), (12, True), (128, True), (129, False)]
)
def test_password_change_takes_12_to_128_characters(
    member: Member, length: int, accepted: bool
) -> None:
    client = Client()
    client.force_login(member.user)
    new = password_of(length)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    member.user.refresh_from_db()
    assert member.user.check_password(new) is accepted
    if not accepted:
        assert response.status_code == 200  # the form again, with the reason


def test_the_too_long_message_names_the_limit() -> None:
    validator = MaximumLengthValidator(max_length=128)
    with pytest.raises(ValidationError, match="at most 128 characters"):
        validator.validate(password_of(129))
    assert "128" in validator.get_help_text()
