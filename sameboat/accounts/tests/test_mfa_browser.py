"""Two-factor authentication in Chromium, as a coordinator meets it: their network requires
it, so their first visit sends them to set up an authenticator app; they confirm their
password, read the secret (an app would scan the QR code), type the app's code, see their
recovery codes, log out, and log in again with password and code. axe checks every page and
the Content-Security-Policy is never broken."""

import re
import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from conftest import PASSWORD
from sameboat.networks.models import Member, Network

pytestmark = pytest.mark.browser


def code_for(secret: str) -> str:
    """What the authenticator app shows now: RFC 6238 with allauth's own implementation."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_coordinator_sets_up_an_authenticator_app_and_logs_in_with_it(
    browser: Any,
    live_server: Any,
    assert_accessible: Any,
    seeded_languages: None,
    network: Network,
    coordinator: Member,
) -> None:
    network.mfa_required_for_leaders = True
    network.save(update_fields=["mfa_required_for_leaders"])
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    policy_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            policy_errors.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    base = live_server.url

    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(coordinator.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # The network's pages send them to set it up; first the password again.
    page.goto(base + f"/n/{network.slug}/")
    page.wait_for_url(re.compile(r".*/accounts/reauthenticate/.*"))
    assert "two-factor" in page.content()
    assert_accessible(page)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/$"))
    assert_accessible(page)
    assert (
        page.get_by_role("img")
        .first.get_attribute("src", timeout=5_000)
        .startswith("data:image/svg+xml")
    )
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    # A wrong code first: refused, with a message, still accessible.
    page.get_by_label("Authenticator code").fill("abcdef")
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/$"))
    assert "Incorrect code" in page.content()
    assert_accessible(page)
    assert not Authenticator.objects.filter(user=coordinator.user).exists()

    page.get_by_label("Authenticator code").fill(code_for(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/recovery-codes/$"))
    assert_accessible(page)
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    assert Authenticator.objects.filter(user=coordinator.user, type="totp").exists()

    # The network opens now.
    page.goto(base + f"/n/{network.slug}/")
    page.wait_for_url(re.compile(rf".*/n/{network.slug}/$"))
    assert page.get_by_role("heading", level=1).count() == 1

    # Log out, then in: the password alone is not enough.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(coordinator.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/$"))
    assert_accessible(page)
    page.get_by_label("Code").fill("abcdef")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/authenticate/$"))
    assert "Incorrect code" in page.content()
    assert_accessible(page)
    page.get_by_label("Code").fill(code_for(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(rf".*/n/{network.slug}/$"))
    assert_accessible(page)
    context.close()
    assert policy_errors == []
