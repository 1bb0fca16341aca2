"""The core loop as two people do it, in Chromium: one asks, the other helps, both accept,
the helper marks it done, and both see the hours on their own pages. axe checks every page."""

import re

import pytest

from conftest import PASSWORD
from sameboat.ledger.models import Entry, Exchange

pytestmark = pytest.mark.browser


def log_in(browser, base_url: str, email: str):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))
    return page


def test_two_members_ask_help_accept_complete_and_both_see_the_hours(
    browser, live_server, assert_accessible, seeded_languages, member, helper
):
    base = live_server.url
    amina = log_in(browser, base, member.user.email)
    assert_accessible(amina)

    # Amina asks for help.
    amina.get_by_role("link", name="Ask for help").click()
    amina.wait_for_url("**/asks/new/")
    assert_accessible(amina)
    amina.get_by_label("Title").fill("Help carrying groceries upstairs")
    amina.get_by_label("Category").select_option(label="Food")
    amina.get_by_label("Details").fill("Third floor, no lift. Friday afternoon.")
    amina.get_by_role("button", name="Post your ask").click()
    amina.wait_for_url(re.compile(r".*/asks/\d+/$"))
    assert_accessible(amina)
    ask_url = amina.url

    # Bongani finds it and offers help.
    bongani = log_in(browser, base, helper.user.email)
    bongani.get_by_role("link", name="Asks", exact=True).click()
    bongani.wait_for_url("**/asks/")
    assert_accessible(bongani)
    bongani.get_by_role("link", name="Help carrying groceries upstairs").click()
    bongani.wait_for_url(ask_url)
    bongani.get_by_role("button", name="I can help").click()
    bongani.wait_for_url(re.compile(r".*/matches/\d+/$"))
    assert_accessible(bongani)
    match_url = bongani.url
    assert "once you both accept" in bongani.content() or "both accept" in bongani.content()
    assert member.user.email not in bongani.content()

    # Amina sees the proposal waiting on her dashboard and accepts.
    amina.goto(base + "/n/riverside/")
    amina.get_by_role("link", name="Help carrying groceries upstairs").first.click()
    amina.wait_for_url(match_url)
    amina.get_by_role("button", name="Accept").click()
    amina.wait_for_url(match_url)
    assert_accessible(amina)
    assert helper.user.email in amina.content()  # contact details shared once both accept

    # Bongani marks it done with the hours given.
    bongani.goto(match_url)
    assert member.user.email in bongani.content()
    bongani.get_by_label("Hours given").fill("1.5")
    bongani.get_by_label("How did it go? (optional)").fill("Good chat on the stairs.")
    bongani.get_by_role("button", name="Mark it done").click()
    bongani.wait_for_url(match_url)
    assert_accessible(bongani)
    assert Exchange.objects.count() == 1 and Entry.objects.count() == 2

    # Both see the hours on their own pages.
    bongani.goto(f"{base}/n/riverside/people/{helper.pk}/")
    assert_accessible(bongani)
    given = bongani.locator(".stats li").first.inner_text()
    assert given.startswith("1.5") and "given" in given
    assert "Amina" in bongani.content()

    amina.goto(f"{base}/n/riverside/people/{member.pk}/")
    assert_accessible(amina)
    received = amina.locator(".stats li").nth(1).inner_text()
    assert received.startswith("1.5") and "received" in received
    assert "Bongani" in amina.content()
    # Close both sessions so no keep-alive connection outlives the live server's database.
    amina.context.close()
    bongani.context.close()
