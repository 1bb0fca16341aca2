"""A coordinator adds services with weekly hours in Chromium; a member sees one open now and
the other's next opening; axe checks every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from conftest import PASSWORD
from sameboat.directory.editing import OrganizationFields, organization_save
from sameboat.networks.models import Role

pytestmark = pytest.mark.browser

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def log_in(browser, base_url: str, email: str):
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
    # The server's first answer loads every URL and view: slow on a busy machine.
    page.goto(base_url + "/accounts/login/", timeout=60_000)
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r".*/n/riverside/$"))
    return page


def add_service(
    page,
    base: str,
    name: str,
    hours: dict[str, tuple[str, str]],
    assert_accessible,
    places: tuple[str, ...] = (),
) -> None:
    page.goto(f"{base}/n/riverside/directory/")
    page.get_by_role("link", name="Add a service").click()
    page.wait_for_url("**/directory/services/new/")
    assert_accessible(page)
    page.locator("#id_organization_id").select_option(label="Riverside Pantry")
    page.locator("#id_name").fill(name)
    page.locator("#id_eligibility_description").fill("Anyone in the neighbourhood")
    # Languages by name: the filter narrows the list, a ticked language stays in sight.
    page.get_by_label("Find a language").fill("engl")
    page.get_by_label("English", exact=True).check()
    page.get_by_label("Find a language").fill("span")
    assert page.get_by_label("English", exact=True).is_visible()
    assert not page.get_by_label("German (Deutsch)").is_visible()
    page.get_by_label("Spanish (Español)").check()
    for day, (opens, closes) in hours.items():
        page.locator(f"#id_opens_{day}").fill(opens)
        page.locator(f"#id_closes_{day}").fill(closes)
    for number, place in enumerate(places):
        if number > 0:
            # The page holds one empty row; "Add another place" copies it, as often as needed.
            page.get_by_role("button", name="Add another place").click()
            assert page.locator(f"#id_locations-{number}-name").evaluate(
                "element => element === document.activeElement"
            )
        page.locator(f"#id_locations-{number}-name").fill(place)
    if len(places) > 1:
        assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/directory/services/[0-9a-f-]+/$"))
    assert_accessible(page)
    for place in places:
        assert page.get_by_role("heading", name=place).is_visible()


def test_coordinator_adds_hours_and_a_member_sees_open_now_and_the_next_opening(
    browser, live_server, assert_accessible, seeded_languages, make_member, network
):
    coordinator = make_member(Role.COORDINATOR, display_name="Cora")
    member = make_member(display_name="Mia")
    organization_save(
        network=network,
        organization_id=None,
        fields=OrganizationFields(name="Riverside Pantry", description="Food for all."),
    )
    # In the network's time zone (settings.TIME_ZONE); a run across midnight may see the day turn.
    today = timezone.localdate()
    later = today + timedelta(days=3)
    base = live_server.url

    page = log_in(browser, base, coordinator.user.email)
    add_service(
        page,
        base,
        "All-day drop-in",
        {DAYS[today.weekday()]: ("00:00", "23:59")},
        assert_accessible,
    )
    add_service(
        page,
        base,
        "Legal clinic",
        {DAYS[later.weekday()]: ("09:00", "17:00")},
        assert_accessible,
        places=("Clinic office", "Library meeting room"),
    )
    for path in ("", "import/", "publishing/", "organizations/new/"):
        page.goto(f"{base}/n/riverside/directory/{path}")
        assert_accessible(page)
    page.context.close()

    reader = log_in(browser, base, member.user.email)
    reader.goto(f"{base}/n/riverside/directory/")
    assert_accessible(reader)
    cards = reader.locator(".card")
    drop_in = cards.filter(has_text="All-day drop-in")
    clinic = cards.filter(has_text="Legal clinic")
    assert "Open now, until 23:59" in drop_in.inner_text()
    weekday = date_format(later, "l")
    assert f"Opens {weekday} 9:00" in clinic.inner_text()
    assert "Add a service" not in reader.content()
    clinic.get_by_role("link", name="Legal clinic").click()
    reader.wait_for_url(re.compile(r".*/directory/services/[0-9a-f-]+/$"))
    assert_accessible(reader)
    assert f"Opens {weekday} 9:00" in reader.content()
    assert "Anyone in the neighbourhood" in reader.content()
    reader.get_by_role("link", name="Riverside Pantry").click()
    reader.wait_for_url(re.compile(r".*/directory/organizations/[0-9a-f-]+/$"))
    assert_accessible(reader)
    reader.context.close()
