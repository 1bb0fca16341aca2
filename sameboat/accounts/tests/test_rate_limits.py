"""Login and password reset are rate-limited, per account and per client address, in a real
cache shared by every process (Redis in CI's PostgreSQL pass, the database's cache table
otherwise): what an attacker's guesses run into."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, MakeMember
from sameboat.networks.models import Member

LOGIN_URL = reverse("account_login")
RESET_URL = reverse("account_reset_password")
TOO_MANY = "Too many failed login attempts"


def login(client: Client, email: str, password: str, ip: str) -> tuple[int, str]:
    response = client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=ip)
    return response.status_code, response.content.decode()


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_cache_is_shared_by_every_process_never_one_process_memory() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.db.DatabaseCache",
    )
    assert settings.ACCOUNT_RATE_LIMITS, "the limits must be on, in tests too"


def test_the_cache_really_stores_between_requests(db: None) -> None:
    cache.set("sameboat-test", "kept", 30)
    assert cache.get("sameboat-test") == "kept"


def test_five_wrong_passwords_lock_the_account_even_from_new_addresses(member: Member) -> None:
    email = member.user.email
    for attempt in range(5):
        status, body = login(Client(), email, "wrong-password", ip=f"198.51.100.{attempt + 1}")
        assert status == 200 and TOO_MANY not in body
    # The sixth try, from yet another address and with the right password, is refused.
    client = Client()
    status, body = login(client, email, PASSWORD, ip="198.51.100.99")
    assert status == 200
    assert TOO_MANY in body
    assert not logged_in(client)


def test_a_locked_account_does_not_lock_anyone_else(member: Member, helper: Member) -> None:
    for attempt in range(5):
        login(Client(), member.user.email, "wrong-password", ip=f"198.51.100.{attempt + 1}")
    client = Client()
    _status, body = login(client, helper.user.email, PASSWORD, ip="198.51.100.50")
    assert TOO_MANY not in body
    assert logged_in(client)


def test_ten_wrong_passwords_from_one_address_stop_that_address(
    make_member: MakeMember,
) -> None:
    people = [make_member() for _ in range(6)]
    # Two wrong tries against each of five accounts: no account reaches its own limit.
    for person in people[:5]:
        for _ in range(2):
            _status, body = login(Client(), person.user.email, "wrong", ip="203.0.113.7")
            assert TOO_MANY not in body
    # The address is spent: even a right password for a sixth account is refused from it...
    client = Client()
    _status, body = login(client, people[5].user.email, PASSWORD, ip="203.0.113.7")
    assert TOO_MANY in body
    assert not logged_in(client)
    # ...and works from another address.
    client = Client()
    _status, body = login(client, people[5].user.email, PASSWORD, ip="203.0.113.8")
    assert TOO_MANY not in body
    assert logged_in(client)


def test_a_right_password_gives_its_attempt_back(member: Member) -> None:
    """A person who logs in often, now and then mistyping, is never locked out: only the
    failures count against the account's five."""
    for round_ in range(10):
        if round_ < 4:
            _status, body = login(Client(), member.user.email, "typo", ip="192.0.2.1")
            assert TOO_MANY not in body
        client = Client()
        login(client, member.user.email, PASSWORD, ip="192.0.2.1")
        assert logged_in(client), f"locked out after {round_ + 1} good logins"


def test_thirty_logins_a_minute_from_one_address_then_429(member: Member) -> None:
    for _ in range(30):
        status, _body = login(Client(), "nobody@example.org", "x", ip="192.0.2.30")
        assert status == 200
    status, body = login(Client(), member.user.email, PASSWORD, ip="192.0.2.30")
    assert status == 429
    assert "Too many attempts" in body
    # Another address is not held back.
    status, _body = login(Client(), member.user.email, PASSWORD, ip="192.0.2.31")
    assert status == 302


def test_password_reset_mails_one_address_five_times_a_minute_at_most(member: Member) -> None:
    email = member.user.email
    for attempt in range(5):
        response = Client().post(RESET_URL, {"email": email}, REMOTE_ADDR=f"192.0.2.{attempt}")
        assert response.status_code == 302
    assert len(mail.outbox) == 5
    response = Client().post(RESET_URL, {"email": email}, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_password_reset_from_one_address_twenty_a_minute_at_most(
    make_member: MakeMember,
) -> None:
    people = [make_member() for _ in range(21)]
    for person in people[:20]:
        response = Client().post(RESET_URL, {"email": person.user.email}, REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 302
    response = Client().post(RESET_URL, {"email": people[20].user.email}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    response = Client().post(RESET_URL, {"email": people[20].user.email}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302


@pytest.mark.parametrize("guess", ["aaaa-bbbb", "zzzz-zzzz"])
def test_guessing_reset_keys_is_limited_too(db: None, guess: str) -> None:
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": guess})
    statuses = [
        Client().post(url, {"password1": "x", "password2": "x"}, REMOTE_ADDR="192.0.2.77")
        for _ in range(21)
    ]
    assert all(response.status_code != 429 for response in statuses[:20])
    assert statuses[20].status_code == 429
