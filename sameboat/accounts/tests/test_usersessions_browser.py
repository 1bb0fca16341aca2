"""The sessions page in Chromium: a person logged in on two browsers finds the page from their
profile, ends the other browser's session (giving their password first), and that browser is
logged out. axe checks each page and the Content-Security-Policy is never broken."""

import re
from typing import Any

import pytest

from conftest import PASSWORD
from sameboat.networks.models import Member

pytestmark = pytest.mark.browser


def log_in(context: Any, base: str, member: Member, policy_errors: list[str]) -> Any:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda message: (
            policy_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(member.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    return page


def test_a_person_ends_the_session_of_another_browser(
    browser: Any,
    live_server: Any,
    assert_accessible: Any,
    seeded_languages: None,
    member: Member,
) -> None:
    base = live_server.url
    policy_errors: list[str] = []
    laptop_context = browser.new_context(user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    phone_context = browser.new_context(
        user_agent="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile"
    )
    laptop = log_in(laptop_context, base, member, policy_errors)
    phone = log_in(phone_context, base, member, policy_errors)

    laptop.goto(base + "/profile/")
    laptop.get_by_role("link", name="Where you are logged in").click()
    laptop.wait_for_url(re.compile(r".*/accounts/sessions/$"))
    assert laptop.get_by_role("heading", level=1).inner_text() == "Your sessions"
    assert laptop.get_by_role("rowheader", name=re.compile("Firefox on Linux")).count() == 1
    assert laptop.get_by_role("rowheader", name=re.compile("Chrome on Android")).count() == 1
    assert_accessible(laptop)

    laptop.get_by_role("button", name=re.compile(r"^End\s*: Chrome on Android")).click()
    laptop.wait_for_url(re.compile(r".*/accounts/reauthenticate/.*"))
    assert_accessible(laptop)
    laptop.locator("#id_password").fill(PASSWORD)
    laptop.get_by_role("button", name="Confirm").click()
    laptop.wait_for_url(re.compile(r".*/accounts/sessions/$"))
    assert "The session has ended." in laptop.content()
    assert laptop.get_by_role("rowheader", name=re.compile("Chrome on Android")).count() == 0
    assert_accessible(laptop)

    # The phone is logged out: its next page is the login form.
    phone.goto(base + "/profile/")
    phone.wait_for_url(re.compile(r".*/accounts/login/.*"))
    laptop_context.close()
    phone_context.close()
    assert policy_errors == []
