"""Referral follow-up in Chromium: a facilitator refers a member to a service from its page,
the member marks it contacted and then "did not get help" with a reason, and the coordinator
sees it in the report of referrals that went nowhere; the coordinator also records a
partnership. axe checks every page."""

import re

import pytest

from conftest import PASSWORD
from sameboat.directory.tests.referral_scenario import make_organization, make_service
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


def test_a_referral_is_made_followed_up_and_reported(
    browser, live_server, assert_accessible, seeded_languages, network, make_member, member
):
    facilitator = make_member(Role.FACILITATOR, display_name="Farah")
    coordinator = make_member(Role.COORDINATOR, display_name="Cora")
    organization = make_organization(network, "Riverside Legal Aid")
    service = make_service(network, "Housing advice clinic", organization)
    base = live_server.url

    # The facilitator refers Amina from the service's page.
    page = log_in(browser, base, facilitator.user.email)
    page.goto(f"{base}/n/riverside/directory/services/{service.id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Refer someone").click()
    page.wait_for_url(re.compile(r".*/referrals/new/\?service="))
    assert_accessible(page)
    page.get_by_label("Who is referred").select_option(label="Amina")
    page.get_by_label("Note (optional)").fill("Behind on rent")
    page.get_by_role("button", name="Make the referral").click()
    page.wait_for_url(re.compile(r".*/referrals/\d+/$"))
    assert_accessible(page)
    referral_url = page.url
    assert "Housing advice clinic" in page.content()
    page.goto(f"{base}/n/riverside/referrals/")
    assert_accessible(page)
    page.context.close()

    # Amina follows it up: contacted, then did not get help, with why.
    page = log_in(browser, base, member.user.email)
    page.goto(f"{base}/n/riverside/referrals/")
    assert_accessible(page)
    page.get_by_role("link", name="Housing advice clinic").click()
    page.wait_for_url(referral_url)
    page.get_by_role("radio", name="Contacted the service").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(referral_url)
    assert_accessible(page)
    assert "Status: Contacted the service" in page.content()
    # Forgetting the reason is refused, with a message.
    page.get_by_role("radio", name="Did not get help").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Say why they did not get help.").is_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Did not get help").check()
    page.get_by_label("If they did not get help: why?").select_option(label="Cost")
    page.get_by_label("In a few words (optional)").fill("A fee of 40 pounds")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(referral_url)
    assert_accessible(page)
    assert "Status: Did not get help" in page.content()
    assert "A fee of 40 pounds" in page.content()
    page.context.close()

    # The coordinator sees it in the report, by service and by reason.
    page = log_in(browser, base, coordinator.user.email)
    page.goto(f"{base}/n/riverside/referrals/")
    page.get_by_role("link", name="Referrals that went nowhere").click()
    page.wait_for_url("**/referrals/report/")
    assert_accessible(page)
    by_service = page.get_by_role("table", name="Referrals that went nowhere, by service")
    assert "Housing advice clinic" in by_service.inner_text()
    by_reason = page.get_by_role("table", name="Referrals that went nowhere, by reason")
    assert re.search(r"Cost\s+1", by_reason.inner_text())
    assert "Amina" not in page.content()

    # And records the partnership with the organisation behind the service.
    page.goto(f"{base}/n/riverside/partnerships/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a partnership").click()
    page.wait_for_url("**/partnerships/new/")
    assert_accessible(page)
    page.get_by_label("Organisation").select_option(label="Riverside Legal Aid")
    page.get_by_label("Agreement starts").fill("2026-01-15")
    page.get_by_label("Contact person").fill("Dana")
    page.get_by_label("What the partner brings").fill("Free housing advice")
    page.get_by_role("button", name="Save the partnership").click()
    page.wait_for_url("**/partnerships/")
    assert_accessible(page)
    assert "Free housing advice" in page.content() and "Dana" in page.content()
    page.get_by_role("link", name="Edit the partnership with Riverside Legal Aid").click()
    page.wait_for_url(re.compile(r".*/partnerships/\d+/edit/$"))
    assert_accessible(page)
    page.context.close()
