"""In Chromium: a group decides twice, from proposal to outcome. By consent, with an
objection raised and then resolved by a facilitator; and by ranked choice. axe checks every
page visited. A member outside the confidential group finds nothing of it."""

import re

import pytest

from conftest import PASSWORD
from sameboat.groups.models import GroupType, Joining
from sameboat.groups.services import group_create, group_member_add
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


def propose(page, assert_accessible, *, title: str, process: str, options: str = ""):
    page.get_by_role("link", name="Make a proposal").click()
    page.wait_for_url("**/decisions/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill(title)
    page.locator("#id_text").fill("Let us decide this together.")
    page.get_by_label(process).check()
    if options:
        page.get_by_label("Options (score and ranked choice only)").fill(options)
    page.get_by_role("button", name="Open the proposal").click()
    page.wait_for_url(re.compile(r".*/decisions/\d+/$"))
    assert_accessible(page)
    return page.url


def test_a_group_decides_by_consent_and_by_ranked_choice(
    browser, live_server, assert_accessible, seeded_languages, network, make_member, member
):
    counsellor = make_member(Role.FACILITATOR, display_name="Counsellor Kim")
    ines = make_member(display_name="Ines")
    ana = make_member(display_name="Ana")
    group = group_create(
        network=network,
        by=counsellor,
        fields={
            "name": "Recovery circle",
            "type": GroupType.RECOVERY,
            "confidential": True,
            "joining": Joining.INVITATION,
        },
    )
    for person in (ines, ana):
        group_member_add(group=group, member=person)
    base = live_server.url

    # Ines puts a proposal by consent, from the group's page.
    author = log_in(browser, base, ines.user.email)
    assert_accessible(author)
    author.goto(f"{base}/n/riverside/groups/{group.pk}/")
    assert_accessible(author)
    author.get_by_role("main").get_by_role("link", name="Decisions").click()
    author.wait_for_url(f"**/groups/{group.pk}/decisions/")
    assert_accessible(author)
    consent_url = propose(
        author, assert_accessible, title="Meet on Thursdays", process="Consent: it passes"
    )

    # Ana objects, with a reason.
    objector = log_in(browser, base, ana.user.email)
    objector.goto(consent_url)
    assert_accessible(objector)
    objector.get_by_label("Object", exact=True).check()
    objector.get_by_label("Your reason (optional)").fill("I work late on Thursdays")
    objector.get_by_role("button", name="Take my stance").click()
    objector.wait_for_url(consent_url)
    assert_accessible(objector)
    assert "I work late on Thursdays" in objector.content()
    assert "Unresolved" in objector.content()

    # The counsellor agrees, then resolves the objection as facilitator.
    facilitator = log_in(browser, base, counsellor.user.email)
    facilitator.goto(consent_url)
    facilitator.get_by_label("Agree", exact=True).check()
    facilitator.get_by_role("button", name="Take my stance").click()
    facilitator.wait_for_url(consent_url)
    facilitator.get_by_label("How was it resolved?").fill("We start at 7pm instead.")
    facilitator.get_by_role("button", name="Mark the objection resolved").click()
    facilitator.wait_for_url(consent_url)
    assert_accessible(facilitator)
    assert "Counsellor Kim, as facilitator" in facilitator.content()

    # Ines closes it early: it passes by consent.
    author.goto(consent_url)
    author.get_by_role("button", name="Close it now and record the outcome").click()
    author.wait_for_url(consent_url)
    assert_accessible(author)
    outcome = author.locator("#outcome-heading + p").inner_text()
    assert outcome == (
        "Passed by consent: 1 agreed, 0 stood aside, no unresolved objection (1 resolved); "
        "no quorum required; 2 of 3 took part."
    )

    # By ranked choice.
    author.goto(f"{base}/n/riverside/groups/{group.pk}/decisions/")
    ranked_url = propose(
        author,
        assert_accessible,
        title="Where shall we meet?",
        process="Ranked choice: choose between options",
        options="Library\nCommunity hall\nCafé",
    )
    for page, choices in ((objector, ["Café", "Library"]), (facilitator, ["Library"])):
        page.goto(ranked_url)
        assert_accessible(page)
        for position, option in enumerate(choices, start=1):
            page.locator(f"#id_choice_{position - 1}").select_option(label=option)
        page.get_by_role("button", name="Take my stance").click()
        page.wait_for_url(ranked_url)
    author.goto(ranked_url)
    author.locator("#id_choice_0").select_option(label="Community hall")
    author.get_by_role("button", name="Take my stance").click()
    author.wait_for_url(ranked_url)
    author.get_by_role("button", name="Close it now and record the outcome").click()
    author.wait_for_url(ranked_url)
    assert_accessible(author)
    # Round 1: one first preference each, a tie broken by option order: the café, listed
    # last, drops out and its ballot moves to the library, which then has 2 of 3.
    assert "Chosen: Library" in author.content()
    assert "Round by round" in author.content()

    author.goto(f"{base}/n/riverside/decisions/")
    assert_accessible(author)
    assert "Where shall we meet?" in author.content()

    # Someone outside the confidential group finds nothing.
    outside = log_in(browser, base, member.user.email)
    outside.goto(f"{base}/n/riverside/decisions/")
    assert_accessible(outside)
    assert "Where shall we meet?" not in outside.content()
    assert outside.goto(consent_url).status == 404
    for page in (author, objector, facilitator, outside):
        page.context.close()
