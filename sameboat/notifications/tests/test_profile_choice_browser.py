"""Choosing how often we email, in a real browser, with the keyboard only: axe finds nothing
on the profile page before or after."""

import pytest
from django.conf import settings
from django.test import Client

from sameboat.accounts.models import NotificationFrequency

pytestmark = pytest.mark.browser


def test_person_chooses_a_daily_digest_with_the_keyboard(
    browser, live_server, assert_accessible, seeded_languages, member
):
    client = Client()
    client.force_login(member.user)
    context = browser.new_context()
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
        page.goto(f"{live_server.url}/profile/")
        group = page.get_by_role("group", name="Emails with your news")
        assert group.get_by_role("radio", name="Right away, one email each time").is_checked()
        assert_accessible(page)

        # Radios move with the arrow keys, as a radio group should.
        group.get_by_role("radio", name="Right away, one email each time").focus()
        page.keyboard.press("ArrowDown")
        assert group.get_by_role("radio", name="Once a day, in one email").is_checked()
        page.get_by_role("button", name="Save profile").focus()
        page.keyboard.press("Enter")
        page.get_by_text("Your profile is saved.").wait_for()
        assert_accessible(page)
    finally:
        context.close()
    member.user.refresh_from_db()
    assert member.user.notification_frequency == NotificationFrequency.DAILY
