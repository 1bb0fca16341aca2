"""Matching in Chromium: a coordinator presses "Find matches", reads the proposal's reasons,
releases it, and the helper finds it waiting. axe checks every page on the way."""

import re

import pytest

from conftest import PASSWORD
from sameboat.aid.models import ReviewState
from sameboat.matching.tests.product_fixtures import (
    engine_proposals,
    make_ask,
    make_asker,
    make_helper,
    place,
    run_tasks_at_once,
)
from sameboat.networks.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


@pytest.fixture
def immediate_tasks(settings):
    run_tasks_at_once(settings)


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


def test_coordinator_finds_matches_reads_the_reasons_and_releases_one(
    browser,
    live_server,
    assert_accessible,
    seeded_languages,
    immediate_tasks,
    network,
    make_member,
    asker,
    food,
):
    coordinator = make_member(Role.COORDINATOR, display_name="Carmen")
    helper = make_helper(make_member, [food], km_north=1, display_name="Bongani")
    make_ask(asker, food, "Groceries up three flights")
    make_ask(place(make_member()), network.categories.get(slug="childcare"), "After-school care")
    base = live_server.url

    carmen = log_in(browser, base, coordinator.user.email)
    carmen.get_by_role("link", name=re.compile("^Matching: proposals to review")).click()
    carmen.wait_for_url("**/matching/")
    assert_accessible(carmen)

    with carmen.expect_navigation():
        carmen.get_by_role("button", name="Find matches").click()
    assert "Matching proposed 1 match." in carmen.content()
    queue = carmen.locator(
        "section", has=carmen.get_by_role("heading", name="Proposals waiting for review")
    )
    row = queue.get_by_role("row", name=re.compile("Groceries up three flights"))
    assert "Bongani" in row.inner_text()
    assert "1.1 km away" in row.inner_text() and "can help with food" in row.inner_text()
    assert "After-school care" in carmen.content()
    assert "Nobody helps with this category yet" in carmen.content()
    assert_accessible(carmen)

    # The form to choose another helper passes axe too (nobody else could help here).
    row.get_by_role("link", name=re.compile("^Another helper")).click()
    carmen.wait_for_url(re.compile(r".*/matching/proposals/\d+/$"))
    assert_accessible(carmen)
    carmen.get_by_role("link", name="Back to matching").click()
    carmen.wait_for_url("**/matching/")

    # Tick it and release the ticked ones.
    carmen.get_by_label(re.compile("Groceries up three flights")).check()
    with carmen.expect_navigation():
        carmen.get_by_role("button", name="Release selected").click()
    assert "Released 1 proposal" in carmen.content()
    assert "No proposal is waiting" in carmen.content()
    assert_accessible(carmen)
    (proposal,) = engine_proposals(network)
    assert proposal.review_state == ReviewState.RELEASED

    # Bongani is now asked to accept it.
    bongani = log_in(browser, base, helper.user.email)
    bongani.get_by_role("link", name="Groceries up three flights").first.click()
    bongani.wait_for_url(re.compile(r".*/matches/\d+/$"))
    assert bongani.get_by_role("button", name="Accept").is_visible()
    assert_accessible(bongani)

    # His own matching pages pass axe as well.
    bongani.goto(base + "/n/riverside/matching/me/")
    assert_accessible(bongani)
    bongani.goto(base + "/n/riverside/matching/blocks/")
    assert_accessible(bongani)

    carmen.context.close()
    bongani.context.close()
