"""In Chromium: a member says which roles they will hold and when they are away; the
facilitator assigns a meeting's roles in that time and the member is passed over; the member
then finds their calendar address. axe checks every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from sameboat.groups.models import GroupMember, RoleAssignment, Unavailability
from sameboat.groups.services import group_member_add, meeting_create

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


def test_a_member_away_is_passed_over_and_finds_their_calendar(
    browser, live_server, assert_accessible, seeded_languages, make_member, counsellor, insider
):
    from sameboat.groups.models import GroupType, Joining
    from sameboat.groups.services import group_create

    group = group_create(
        network=insider.network,
        by=counsellor,
        fields={
            "name": "Tuesday circle",
            "type": GroupType.SUPPORT,
            "confidential": True,
            "joining": Joining.INVITATION,
        },
    )
    for person in (insider, make_member(), make_member()):
        group_member_add(group=group, member=person)
    meeting = meeting_create(
        group=group,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=6),
        duration_minutes=60,
        place="Hall",
    )[0]
    day = timezone.localdate(meeting.starts_at)
    base = live_server.url
    group_url = f"{base}/n/riverside/groups/{group.pk}/"

    page = log_in(browser, base, insider.user.email)
    page.goto(group_url)
    assert_accessible(page)
    page.get_by_role("link", name="Your meeting roles and times away").click()
    page.wait_for_url("**/availability/")
    assert_accessible(page)
    page.get_by_label("Timekeeper").uncheck()
    page.get_by_label("Check-in host").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/availability/")
    assert "Your availability for meeting roles is saved." in page.content()
    assert_accessible(page)
    page.get_by_label("First day away").fill((day - timedelta(days=1)).isoformat())
    page.get_by_label("Last day away").fill((day + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add the time away").click()
    page.wait_for_url("**/availability/")
    assert "Time away added." in page.content()
    assert_accessible(page)
    mine = GroupMember.objects.get(group=group, member=insider)
    assert mine.willing_roles == ["chair", "note_taker"]
    assert Unavailability.objects.get(member=mine).ends_on == day + timedelta(days=1)

    facilitator = log_in(browser, base, counsellor.user.email)
    facilitator.goto(f"{group_url}meetings/{meeting.pk}/")
    assert_accessible(facilitator)
    facilitator.get_by_role("button", name="Assign the roles by rotation").click()
    facilitator.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Roles assigned." in facilitator.content()
    assert_accessible(facilitator)
    roles = facilitator.locator("#roles-heading + dl").inner_text()
    assert "Insider Ines" not in roles
    holders = set(
        RoleAssignment.objects.filter(meeting=meeting).values_list("member_id", flat=True)
    )
    assert len(holders) == 3 and mine.pk not in holders
    facilitator.goto(f"{group_url}availability/")
    assert_accessible(facilitator)
    row = facilitator.get_by_role("row", name=re.compile("Insider Ines"))
    assert "Chair, Note-taker" in row.inner_text()
    facilitator.context.close()

    page.goto(f"{base}/n/riverside/")
    page.get_by_role("link", name="Your groups' meetings in your calendar").click()
    page.wait_for_url("**/calendar/")
    assert_accessible(page)
    page.get_by_role("button", name="Make my calendar address").click()
    page.wait_for_url("**/calendar/")
    assert_accessible(page)
    address = page.get_by_label(re.compile("All your groups' meetings")).input_value()
    assert re.fullmatch(rf"{re.escape(base)}/calendar/[\w-]{{59}}\.ics", address)
    page.get_by_text("One group only").click()
    assert_accessible(page)
    feed = page.request.get(address)
    assert feed.status == 200 and "text/calendar" in feed.headers["content-type"]
    assert "SUMMARY:Group meeting" in feed.text() and "Tuesday circle" not in feed.text()
    page.context.close()
