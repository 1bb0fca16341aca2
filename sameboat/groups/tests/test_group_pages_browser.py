"""A facilitator starts a confidential group and records its stage, in Chromium; axe checks
every page. A member outside the group finds nothing of it."""

import re

import pytest

from conftest import PASSWORD
from sameboat.networks.models import Role

pytestmark = pytest.mark.browser


def log_in(browser, base_url: str, email: str):
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))
    return page


def test_facilitator_starts_a_confidential_group_that_others_cannot_see(
    browser, live_server, assert_accessible, seeded_languages, make_member, member
):
    facilitator = make_member(Role.FACILITATOR, display_name="Farah")
    base = live_server.url
    page = log_in(browser, base, facilitator.user.email)
    page.goto(f"{base}/n/riverside/groups/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a group").click()
    page.wait_for_url("**/groups/new/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Tuesday recovery circle")
    page.get_by_label("Purpose").fill("Staying well together")
    page.get_by_label("Type").select_option(value="recovery")
    page.get_by_label("Confidential").check()
    page.get_by_role("button", name="Start the group").click()
    page.wait_for_url(re.compile(r".*/groups/\d+/$"))
    assert_accessible(page)
    group_url = page.url
    assert "Tuesday recovery circle" in page.content()

    page.goto(group_url + "stages/")
    assert_accessible(page)
    page.goto(group_url + "plan/")
    assert_accessible(page)
    page.context.close()

    outsider = log_in(browser, base, member.user.email)
    outsider.goto(f"{base}/n/riverside/groups/")
    assert "Tuesday recovery circle" not in outsider.content()
    assert outsider.goto(group_url).status == 404
    outsider.context.close()
