"""A meeting from start to finish, in Chromium, with axe on every page: a facilitator plans
it, a member proposes an agenda item, the facilitator assigns the roles by rotation and
records attendance, the note-taker writes the record (processes, stage, counts) and checks
in, and the facilitator reads the record history and the participation equity."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from sameboat.groups.models import (
    AgendaItem,
    GroupMember,
    GroupType,
    MeetingCheckIn,
    MeetingRole,
    Participation,
    RoleAssignment,
    SessionRecord,
    StageRecord,
)
from sameboat.groups.services import Counts, group_create, group_member_add, session_record_save
from sameboat.groups.tests.sessions import mark_present, started_meeting
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


def test_a_meeting_from_agenda_to_equity(
    browser, live_server, assert_accessible, seeded_languages, make_member, member, helper
):
    farah = make_member(Role.FACILITATOR, display_name="Farah")
    group = group_create(
        network=farah.network,
        by=farah,
        fields={"name": "Tuesday circle", "type": GroupType.RECOVERY, "confidential": True},
    )
    for person in (
        member,
        helper,
        make_member(display_name="Chen"),
        make_member(display_name="Dara"),
    ):
        group_member_add(group=group, member=person)
    # The facilitator leaves note-taking to the members, so a member writes the record.
    GroupMember.objects.filter(group=group, member=farah).update(
        willing_roles=[MeetingRole.CHAIR, MeetingRole.TIMEKEEPER, MeetingRole.CHECK_IN_HOST]
    )
    base = live_server.url
    group_url = f"{base}/n/riverside/groups/{group.pk}/"

    # The facilitator plans a meeting that began an hour ago.
    facilitator = log_in(browser, base, farah.user.email)
    facilitator.goto(group_url)
    assert_accessible(facilitator)
    facilitator.get_by_role("link", name="Plan a meeting").click()
    facilitator.wait_for_url("**/meetings/new/")
    assert_accessible(facilitator)
    starts = timezone.localtime(timezone.now() - timedelta(hours=1))
    facilitator.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    facilitator.get_by_label("Duration in minutes").fill("90")
    facilitator.get_by_label("Place").fill("Community hall")
    facilitator.get_by_role("button", name="Plan the meeting").click()
    facilitator.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    assert_accessible(facilitator)
    meeting_url = facilitator.url

    # A member proposes an agenda item.
    amina = log_in(browser, base, member.user.email)
    amina.goto(meeting_url)
    assert_accessible(amina)
    amina.get_by_label("What would you like to talk about?").fill("Rent arrears")
    amina.get_by_role("button", name="Propose").click()
    amina.wait_for_url(meeting_url)
    assert_accessible(amina)
    assert AgendaItem.objects.get().title == "Rent arrears"
    amina.context.close()

    # The facilitator assigns the roles through the rotation and records attendance.
    facilitator.goto(meeting_url)
    facilitator.get_by_role("button", name="Assign the roles by rotation").click()
    facilitator.wait_for_url(meeting_url)
    assert_accessible(facilitator)
    assert RoleAssignment.objects.count() == 4
    for name in ("Farah", "Amina", "Bongani", "Chen"):
        facilitator.get_by_label(name, exact=True).check()
    facilitator.get_by_role("button", name="Record attendance").click()
    facilitator.wait_for_url(meeting_url)
    assert_accessible(facilitator)

    # The note-taker writes the record: processes, stage and counts, then checks in.
    holder = RoleAssignment.objects.get(role=MeetingRole.NOTE_TAKER).member.member
    assert holder != farah
    writer = log_in(browser, base, holder.user.email)
    writer.goto(meeting_url)
    writer.get_by_role("link", name="The session record and your check-in").click()
    writer.wait_for_url("**/record/")
    assert_accessible(writer)
    writer.get_by_label("Notes").fill("Shared ways to talk to the landlord.")
    writer.get_by_label("Mutual support").check()
    writer.get_by_label("The all-in-the-same-boat phenomenon").check()
    writer.get_by_label("Stage of the group").select_option(value="intimacy")
    writer.get_by_label("Times Amina took part").select_option("3")
    writer.get_by_label("Amina led an agenda item or part of the meeting").check()
    writer.get_by_label("Times Bongani took part").select_option("1")
    writer.get_by_role("button", name="Save the record").click()
    writer.wait_for_url("**/record/")
    assert_accessible(writer)
    assert "Session record saved." in writer.content()
    record = SessionRecord.objects.get()
    assert record.processes == ["same_boat", "mutual_support"]
    assert StageRecord.objects.get().stage == "intimacy"
    assert Participation.objects.count() == 4  # everyone present is counted, 0 by default
    writer.get_by_label("4 – good").check()
    writer.get_by_label("A few words (optional)").fill("Relieved")
    writer.get_by_role("button", name="Check in").click()
    writer.wait_for_url("**/record/")
    assert_accessible(writer)
    assert MeetingCheckIn.objects.get().words == "Relieved"
    writer.context.close()

    # An earlier meeting's record too, so the equity page draws its chart over time.
    earlier = started_meeting(group, farah, days_ago=7)
    rows = list(GroupMember.objects.filter(group=group))
    mark_present(earlier, *rows)
    session_record_save(
        meeting=earlier, by=farah, participation={row.pk: Counts(2) for row in rows}
    )

    # The facilitator reads the record history and the participation equity.
    facilitator.goto(group_url)
    facilitator.get_by_role("link", name="Session records").click()
    facilitator.wait_for_url("**/records/")
    assert_accessible(facilitator)
    assert "Shared ways to talk to the landlord." in facilitator.content()
    facilitator.get_by_role("link", name="Participation equity").click()
    facilitator.wait_for_url("**/equity/")
    assert_accessible(facilitator)
    content = facilitator.content()
    assert "Have never led" in content and "Dara" in content
    assert facilitator.locator("svg polyline").count() == 2
    facilitator.goto(meeting_url + "record/")
    assert_accessible(facilitator)
    assert "Relieved" in facilitator.content()  # facilitators see the check-ins
    facilitator.context.close()
