"""Who sees a session record: the group's active members read its notes, processes and stage;
per-member counts are for the meeting's note-taker and the facilitators; nobody outside the
group sees anything, a coordinator no more than anyone (404 for a confidential group)."""

import pytest
from django.urls import reverse

from sameboat import policy
from sameboat.groups.models import MeetingRole
from sameboat.groups.services import (
    Counts,
    group_member_add,
    group_request_to_join,
    session_record_save,
)
from sameboat.groups.tests.sessions import (
    give_role,
    make_note_taker,
    mark_present,
    row_of,
    started_meeting,
)
from sameboat.networks.models import Role


def _url(name, meeting):
    return reverse(
        name,
        kwargs={"network": "riverside", "group_id": meeting.group_id, "meeting_id": meeting.pk},
    )


@pytest.fixture
def recorded(confidential, counsellor, insider, make_member):
    meeting = started_meeting(confidential, counsellor)
    note_taker = group_member_add(group=confidential, member=make_member(display_name="Noor Notes"))
    make_note_taker(meeting, note_taker)
    mark_present(meeting, row_of(confidential, insider), note_taker)
    session_record_save(
        meeting=meeting,
        by=note_taker.member,
        notes="We shared what helps on bad days.",
        processes=["same_boat"],
        participation={row_of(confidential, insider).pk: Counts(2, True)},
    )
    return meeting


def test_the_policy(confidential, counsellor, insider, coordinator):
    kim, ines = row_of(confidential, counsellor), row_of(confidential, insider)
    assert policy.can_see_session_record(insider, confidential, ines)
    assert not policy.can_see_session_record(coordinator, confidential, None)
    assert policy.can_write_session_record(counsellor, confidential, kim, ())
    assert not policy.can_write_session_record(insider, confidential, ines, ())
    assert policy.can_write_session_record(insider, confidential, ines, (ines.pk,))
    assert not policy.can_write_session_record(coordinator, confidential, None, (None,))
    assert policy.can_see_equity(counsellor, confidential, kim)
    assert not policy.can_see_equity(insider, confidential, ines)
    assert not policy.can_see_equity(coordinator, confidential, None)


def test_a_member_reads_the_notes_but_not_the_counts(client, insider, recorded):
    client.force_login(insider.user)
    page = client.get(_url("groups:meeting_record", recorded))
    assert page.status_code == 200
    assert b"We shared what helps on bad days." in page.content
    assert b"all-in-the-same-boat" in page.content
    assert b"Who took part" not in page.content
    assert b"Write the record" not in page.content and b"Edit the record" not in page.content


def test_the_note_taker_and_the_facilitator_see_the_counts(client, counsellor, recorded):
    note_taker = recorded.roles.get(role=MeetingRole.NOTE_TAKER).member.member
    for person in (note_taker, counsellor):
        client.force_login(person.user)
        page = client.get(_url("groups:meeting_record", recorded))
        assert b"Who took part" in page.content and b"Edit the record" in page.content


def test_nobody_outside_a_confidential_group_sees_its_records(
    client, recorded, coordinator, admin_member, make_member
):
    for person in (coordinator, admin_member, make_member(Role.FACILITATOR)):
        client.force_login(person.user)
        for name in ("groups:meeting_record",):
            assert client.get(_url(name, recorded)).status_code == 404
        kwargs = {"network": "riverside", "group_id": recorded.group_id}
        assert client.get(reverse("groups:records", kwargs=kwargs)).status_code == 404
        assert client.get(reverse("groups:equity", kwargs=kwargs)).status_code == 404


def test_an_open_groups_records_are_for_its_members_not_the_whole_network(
    client, open_group, counsellor, make_member
):
    meeting = started_meeting(open_group, counsellor)
    session_record_save(meeting=meeting, by=counsellor, notes="Soup plans")
    visitor = make_member(Role.MEMBER)
    asking = make_member(Role.MEMBER)
    group_request_to_join(group=open_group, member=asking)  # not yet approved
    for person in (visitor, asking):
        client.force_login(person.user)
        assert client.get(_url("groups:meeting", meeting)).status_code == 200
        record = client.get(_url("groups:meeting_record", meeting))
        assert record.status_code == 403 and b"Soup plans" not in record.content
        kwargs = {"network": "riverside", "group_id": open_group.pk}
        assert client.get(reverse("groups:records", kwargs=kwargs)).status_code == 403
        assert client.get(reverse("groups:equity", kwargs=kwargs)).status_code == 403


def test_the_meeting_page_links_to_the_record_for_members_only(
    client, open_group, counsellor, make_member
):
    meeting = started_meeting(open_group, counsellor)
    record_url = _url("groups:meeting_record", meeting).encode()
    client.force_login(counsellor.user)
    assert record_url in client.get(_url("groups:meeting", meeting)).content
    client.force_login(make_member(Role.MEMBER).user)
    assert record_url not in client.get(_url("groups:meeting", meeting)).content


def test_the_equity_page_is_for_facilitators_only(
    client, confidential, counsellor, insider, recorded
):
    kwargs = {"network": "riverside", "group_id": confidential.pk}
    note_taker = recorded.roles.get(role=MeetingRole.NOTE_TAKER).member.member
    give_role(recorded, MeetingRole.CHAIR, row_of(confidential, insider))
    for person in (insider, note_taker):
        client.force_login(person.user)
        assert client.get(reverse("groups:equity", kwargs=kwargs)).status_code == 403
    client.force_login(counsellor.user)
    page = client.get(reverse("groups:equity", kwargs=kwargs))
    assert page.status_code == 200 and b"Noor Notes" in page.content
