"""The aid pages in a real browser: axe finds nothing, the Content-Security-Policy is never
broken, and the filters work with and without htmx."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from sameboat.aid.models import Ask
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
)
from sameboat.networks.models import AreaKind, Category
from sameboat.networks.services import service_area_create

pytestmark = pytest.mark.browser


def collect_csp_error(message, errors: list[str]) -> None:
    if "Content Security Policy" in message.text:
        errors.append(message.text)


@pytest.fixture
def logged_in(browser, live_server) -> Iterator:
    """A function that opens a page logged in as a member, and collects CSP errors."""
    contexts = []
    csp_errors: list[str] = []

    def open_as(member):
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
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: collect_csp_error(message, csp_errors))
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert csp_errors == []


def test_member_pages_are_accessible(
    live_server, logged_in, assert_accessible, seeded_languages, network, member, helper, food
):
    city = service_area_create(network=network, name="Riverside", kind=AreaKind.CITY)
    service_area_create(network=network, name="Northbank", kind=AreaKind.NEIGHBOURHOOD, parent=city)
    ask = ask_create(member=member, fields=PostFields(category=food, title="Groceries on Friday"))
    base = f"{live_server.url}/n/{network.slug}"
    page = logged_in(helper)
    for path in ("/asks/", "/offers/", "/mine/", "/matches/", f"/asks/{ask.pk}/", "/offers/new/"):
        page.goto(base + path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)

    # A new ask with a mistake: the form comes back with its errors, still accessible.
    page.goto(base + "/asks/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Lift to the clinic")
    page.get_by_label("Category").select_option(label="Health")
    page.get_by_label("From").fill("2026-12-10")
    page.get_by_label("Until").fill("2026-12-01")
    page.get_by_role("button", name="Post your ask").click()
    assert page.get_by_text("The end date must not be before the start date.").is_visible()
    assert_accessible(page)
    page.get_by_label("Until").fill("2026-12-12")
    page.get_by_role("button", name="Post your ask").click()
    page.get_by_text("Your ask is posted.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Edit").click()
    assert_accessible(page)

    # "I can help" on someone else's ask leads to the match.
    page.goto(f"{base}/asks/{ask.pk}/")
    page.get_by_label("Message (optional)").fill("I shop on Fridays anyway")
    page.get_by_role("button", name="I can help").click()
    page.get_by_text("is asked to accept your offer of help").wait_for()
    assert_accessible(page)


def test_htmx_filters_swap_the_results_and_keep_the_url(
    live_server, logged_in, seeded_languages, network, member, helper, food
):
    housing = Category.objects.get(network=network, slug="housing")
    ask_create(member=member, fields=PostFields(category=food, title="Bread please"))
    ask_create(member=member, fields=PostFields(category=housing, title="Fix a tap"))
    page = logged_in(helper)
    page.goto(f"{live_server.url}/n/{network.slug}/asks/")
    page.get_by_label("Category").select_option(label="Housing")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("1 ask found").wait_for()
    assert "Bread please" not in page.locator("#results").inner_text()
    assert f"category={housing.pk}" in page.url


def test_match_and_coordinator_pages_are_accessible(
    live_server,
    logged_in,
    assert_accessible,
    seeded_languages,
    network,
    member,
    helper,
    coordinator,
    food,
):
    ask = ask_create(member=member, fields=PostFields(category=food, title="Groceries"))
    proposed = match_offer_help(ask=ask, helper=helper)
    other = ask_create(member=member, fields=PostFields(category=food, title="Soup"))
    accepted = match_accept(match=match_offer_help(ask=other, helper=helper), by=member)
    done_ask = ask_create(member=member, fields=PostFields(category=food, title="Dog walk"))
    done = match_accept(match=match_offer_help(ask=done_ask, helper=helper), by=member)
    match_complete(match=done, by=helper, hours=Decimal("1"), key="browser-test")
    base = f"{live_server.url}/n/{network.slug}"

    page = logged_in(member)
    for match in (proposed, accepted, done):
        page.goto(f"{base}/matches/{match.pk}/")
        assert_accessible(page)
    page.goto(f"{base}/matches/{accepted.pk}/")
    page.get_by_label("Hours given").fill("0")
    page.get_by_role("button", name="Mark it done").click()
    page.get_by_text("Enter the hours given, more than zero.").wait_for()
    assert_accessible(page)

    page = logged_in(coordinator)
    for path in (
        "/coordinate/",
        f"/coordinate/pair/?ask={Ask.objects.first().pk}",
        "/matches/?all=on",
    ):
        page.goto(base + path)
        assert_accessible(page)


def test_htmx_applies_no_inline_style(browser, live_server):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: collect_csp_error(message, errors))
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    page.close()
    assert errors == []
