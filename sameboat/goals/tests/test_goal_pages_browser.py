"""A member sets a personal goal with its five levels, checks it in twice and sees the
T-score it makes, in Chromium; a facilitator it is shared with sees it, another member of the
group does not. axe checks every page visited."""

import re

import pytest

from conftest import PASSWORD

from .conftest import LEVELS

pytestmark = pytest.mark.browser

LEVEL_IDS = {
    -2: "#id_level_minus_2",
    -1: "#id_level_minus_1",
    0: "#id_level_0",
    1: "#id_level_plus_1",
    2: "#id_level_plus_2",
}


def log_in(browser, base_url: str, email: str):
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))
    return page


def test_a_goal_from_setting_through_check_ins_to_its_t_score(
    browser,
    live_server,
    assert_accessible,
    seeded_languages,
    confidential,
    insider,
    counsellor,
    peer,
):
    base = live_server.url
    group_url = f"{base}/n/riverside/groups/{confidential.pk}/"
    page = log_in(browser, base, insider.user.email)
    page.goto(group_url)
    assert_accessible(page)
    page.get_by_role("link", name="Goals", exact=True).click()
    page.wait_for_url("**/goals/")
    assert_accessible(page)
    assert "What the T-score means" in page.content()

    page.get_by_role("link", name="Set a personal goal").click()
    page.wait_for_url("**/goals/new/")
    assert_accessible(page)
    # Four levels only: the page says what is missing and sets nothing.
    page.locator("#id_title").fill("Get out of the house")
    for level, selector in LEVEL_IDS.items():
        if level != 2:
            page.locator(selector).fill(LEVELS[level])
    page.get_by_role("button", name="Set the goal").click()
    page.wait_for_load_state()
    assert "Describe this level too" in page.content()
    assert_accessible(page)

    page.locator(LEVEL_IDS[2]).fill(LEVELS[2])
    page.locator("#id_weight").fill("2")
    page.get_by_label("Me and the group's facilitators").check()
    page.get_by_role("button", name="Set the goal").click()
    page.wait_for_url(re.compile(r".*/goals/\d+/$"))
    assert_accessible(page)
    goal_url = page.url
    assert "Goal set." in page.content()
    assert LEVELS[-2] in page.content() and LEVELS[2] in page.content()

    for label, note in (
        (r"0: the expected outcome —", "Three times this week"),
        (r"\+1: somewhat more than expected —", "Most days now"),
    ):
        page.get_by_label(re.compile(label)).check()
        page.locator("#id_note").fill(note)
        page.get_by_role("button", name="Record the check-in").click()
        page.wait_for_url(goal_url)
        assert "Check-in recorded." in page.content()
        assert_accessible(page)
    assert "Most days now" in page.content()

    page.get_by_role("link", name="Your T-score over time").click()
    page.wait_for_url("**/goals/members/*/")
    assert_accessible(page)
    assert "T-score: 60.0" in page.content()
    history = page.get_by_role("table", name="The T-score after each goal was set or checked in")
    assert history.get_by_role("row").count() == 4  # a header, the setting, two check-ins
    assert page.locator("svg[role=img] polyline").count() == 1

    page.goto(goal_url + "edit/")
    assert_accessible(page)
    page.goto(f"{base}/n/riverside/goals/")
    assert_accessible(page)
    assert "T-score: 60.0" in page.content()
    page.context.close()

    facilitator = log_in(browser, base, counsellor.user.email)
    facilitator.goto(f"{group_url}goals/")
    assert_accessible(facilitator)
    assert "Get out of the house" in facilitator.content()
    assert "T-score: 60.0" in facilitator.content()
    facilitator.get_by_role("link", name="Set a group goal").click()
    facilitator.wait_for_url("**/goals/new-group-goal/")
    assert_accessible(facilitator)
    facilitator.context.close()

    other = log_in(browser, base, peer.user.email)
    other.goto(f"{group_url}goals/")
    assert_accessible(other)
    assert "Get out of the house" not in other.content()
    assert other.goto(goal_url).status == 404
    other.context.close()
