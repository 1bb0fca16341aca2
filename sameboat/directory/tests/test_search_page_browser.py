"""A member searches the directory with filters in Chromium, reads the results, then opens the
map. Until that click the page makes no request outside our server; after it, only to the tile
server. axe checks the page before and after."""

import base64
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import PASSWORD
from sameboat.aid.models import Ask
from sameboat.aid.services import PostFields, ask_create
from sameboat.directory import sample as dataset
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Category

pytestmark = pytest.mark.browser

TILES = "https://tile.openstreetmap.org/"
# A 1x1 transparent PNG. The tiles are OpenStreetMap's, outside our control and outside the
# test machine's reach, so the test answers their URLs itself (page.route): what is tested
# is when and where the page asks for them, not what the tile server sends.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_member_searches_then_opens_the_map(
    browser, live_server, assert_accessible, seeded_languages, network, member
):
    report = hsds_import_documents(network=network, data=dataset.organizations())
    assert report.ok, report.problems
    member.latitude, member.longitude = Decimal("45.42"), Decimal("-75.70")
    member.save(update_fields=["latitude", "longitude"])
    base = live_server.url

    context = browser.new_context()
    requested: list[str] = []
    tiles_served: list[str] = []
    context.on("request", lambda request: requested.append(request.url))

    def serve_tile(route) -> None:
        tiles_served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    context.route(re.compile(r"^https://tile\.openstreetmap\.org/.*"), serve_tile)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(member.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))

    page.get_by_role("link", name="Find help").click()
    page.wait_for_url("**/directory/search/")
    assert_accessible(page)
    page.get_by_label("Language spoken").select_option(label="English")
    page.get_by_label("Distance from your area").select_option(label="Within 1 km")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r".*/directory/search/\?.*within_km=1"))
    assert_accessible(page)
    results = page.locator(".search-results")
    assert results.get_by_role("link", name="Weekly food pantry").is_visible()
    assert results.get_by_role("link", name="Community hot meals").is_visible()
    assert results.get_by_role("listitem").count() == 2
    assert page.get_by_role("heading", name="2 services found").is_visible()

    # Nothing outside our server so far: not the tiles, not Leaflet (ours), nothing.
    outside = [url for url in requested if not url.startswith(base)]
    assert outside == [], outside
    assert page.locator(".leaflet-container").count() == 0

    page.get_by_role("button", name="Show on a map").click()
    markers = page.locator(".leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 2
    labels = {markers.nth(n).get_attribute("alt") for n in range(2)}
    assert labels == {
        "Weekly food pantry, Food bank warehouse",
        "Community hot meals, St Andrew's church hall",
    }
    assert page.get_by_role("region", name="Map of the results").is_visible()
    assert not page.get_by_role("button", name="Show on a map").is_visible()
    page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    assert tiles_served
    assert page.get_by_role("link", name="OpenStreetMap").is_visible()
    # A marker opens its service's link.
    markers.first.click()
    assert page.locator(".leaflet-popup-content a").first.is_visible()
    assert_accessible(page)
    outside = {url.split("/")[2] for url in requested if not url.startswith(base)}
    assert outside == {"tile.openstreetmap.org"}
    context.close()


def test_author_sees_services_that_may_help_on_an_ask_nobody_took_on(
    browser, live_server, assert_accessible, seeded_languages, network, member
):
    report = hsds_import_documents(network=network, data=dataset.organizations())
    assert report.ok, report.problems
    member.latitude, member.longitude = Decimal("45.42"), Decimal("-75.70")
    member.save(update_fields=["latitude", "longitude"])
    category = Category.objects.get(network=network, slug="recovery")
    ask = ask_create(
        member=member, fields=PostFields(category=category, title="Someone to talk to")
    )
    Ask.objects.filter(pk=ask.pk).update(
        created_at=timezone.now() - timedelta(days=settings.MATCH_REMINDER_AFTER_DAYS + 1)
    )
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(member.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))
    page.goto(f"{live_server.url}/n/riverside/asks/{ask.pk}/")
    section = page.get_by_role("region", name="Services that may help")
    assert section.get_by_role("link", name="Peer support meetings").is_visible()
    assert_accessible(page)
    section.get_by_role("link", name="Peer support meetings").click()
    page.wait_for_url(re.compile(r".*/directory/services/[0-9a-f-]+/$"))
    context.close()
