"""The privacy page and the erasure page in a real browser, on a phone-sized screen, with the
keyboard only: a member withdraws a consent, then erases their account. Axe finds nothing."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from conftest import PASSWORD
from sameboat.accounts.models import User
from sameboat.core.erasable import ERASED_MEMBER
from sameboat.networks.models import Member

pytestmark = pytest.mark.browser


def test_member_withdraws_a_consent_then_erases_their_account(
    browser: Any, live_server: Any, assert_accessible: Any, seeded_languages: None, member: Member
) -> None:
    client = Client()
    client.force_login(member.user)
    context = browser.new_context(viewport={"width": 375, "height": 740})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/privacy/")
        contact = page.get_by_role("checkbox", name="Share my email and phone")
        assert contact.is_checked()
        assert_accessible(page)

        contact.focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Save my choices").focus()
        page.keyboard.press("Enter")
        page.get_by_text("Your choices are saved.").wait_for()
        assert not page.get_by_role("checkbox", name="Share my email and phone").is_checked()
        assert_accessible(page)
        assert not User.objects.get(pk=member.user.pk).shares_contact

        page.get_by_role("link", name="Erase my account…").click()
        page.get_by_label("Your password, to confirm").fill("wrong password")
        page.get_by_role("button", name="Erase my account").click()
        page.get_by_text("That is not your password.").wait_for()
        assert_accessible(page)
        page.get_by_label("Your password, to confirm").fill(PASSWORD)
        page.get_by_role("button", name="Erase my account").click()
        page.get_by_text("Your account is erased.").wait_for()
    finally:
        context.close()
    assert User.objects.get(pk=member.user.pk).display_name is ERASED_MEMBER


def test_coordinator_erases_a_member_at_their_request_in_the_browser(
    browser: Any,
    live_server: Any,
    assert_accessible: Any,
    seeded_languages: None,
    coordinator: Member,
    member: Member,
) -> None:
    client = Client()
    client.force_login(coordinator.user)
    context = browser.new_context(viewport={"width": 375, "height": 740})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/n/{member.network.slug}/members/")
        page.get_by_role("link", name=f"Erase {member.user.display_name}'s account").click()
        assert_accessible(page)
        page.get_by_role("button", name="Erase this account").click()
        page.get_by_text("Erase an account only when its person asked for it.").wait_for()
        assert_accessible(page)
        page.get_by_label("This person asked us to erase their account.").check()
        page.get_by_role("button", name="Erase this account").click()
        page.get_by_text("The account is erased.").wait_for()
    finally:
        context.close()
    assert User.objects.get(pk=member.user.pk).display_name is ERASED_MEMBER
