"""Pages a visitor sees before logging in, in a real browser, checked by axe."""

import pytest

from sameboat.networks.services import invitation_create

pytestmark = pytest.mark.browser


def test_visitor_reads_the_home_page_and_finds_login(browser, live_server, assert_accessible):
    page = browser.new_page()
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Everyone in the same boat"
    assert_accessible(page)
    page.get_by_role("link", name="Log in").first.click()
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page)
    page.close()


def test_invited_person_signs_up_and_lands_in_the_network(
    browser, live_server, assert_accessible, seeded_languages, network, coordinator
):
    invitation = invitation_create(network=network, by=coordinator)
    page = browser.new_page()
    page.goto(f"{live_server.url}/invite/{invitation.token}/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page)
    page.locator("#id_email").fill("new.person@example.org")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
    page.locator("#id_display_name").fill("Yusuf")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(f"**/n/{network.slug}/")
    assert "Welcome, Yusuf" in page.content()
    assert_accessible(page)
    page.close()
