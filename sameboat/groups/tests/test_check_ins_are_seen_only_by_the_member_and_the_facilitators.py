"""A member's check-in is theirs: they add, change and withdraw it, and only they and the
group's facilitators see it; not other members, not the note-taker, not coordinators."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sameboat import policy
from sameboat.groups.models import MeetingCheckIn
from sameboat.groups.services import check_in_save, check_in_withdraw, group_member_add
from sameboat.groups.tests.sessions import make_note_taker, row_of, started_meeting


def _url(name, meeting):
    return reverse(
        name,
        kwargs={"network": "riverside", "group_id": meeting.group_id, "meeting_id": meeting.pk},
    )


@pytest.fixture
def meeting(confidential, counsellor):
    return started_meeting(confidential, counsellor)


def test_a_member_checks_in_changes_and_withdraws(confidential, insider, meeting):
    me = row_of(confidential, insider)
    check_in_save(meeting=meeting, by=me, wellbeing=2, words="  A hard week  ")
    check_in_save(meeting=meeting, by=me, wellbeing=4)
    row = MeetingCheckIn.objects.get()
    assert (row.wellbeing, row.words) == (4, "")
    assert check_in_withdraw(meeting=meeting, by=me) is True
    assert check_in_withdraw(meeting=meeting, by=me) is False
    assert not MeetingCheckIn.objects.exists()


@pytest.mark.parametrize(
    ("wellbeing", "words", "field"),
    [(0, "", "wellbeing"), (6, "", "wellbeing"), (True, "", "wellbeing"), (3, "x" * 281, "words")],
)
def test_a_check_in_is_bounded(confidential, insider, meeting, wellbeing, words, field):
    with pytest.raises(ValidationError) as error:
        check_in_save(
            meeting=meeting, by=row_of(confidential, insider), wellbeing=wellbeing, words=words
        )
    assert field in error.value.message_dict
    assert not MeetingCheckIn.objects.exists()


def test_only_the_groups_members_check_in(open_group, confidential, insider, meeting):
    someone_elses = open_group.memberships.exclude(role="facilitator").get()
    with pytest.raises(PermissionDenied):
        check_in_save(meeting=meeting, by=someone_elses, wellbeing=3)
    assert not MeetingCheckIn.objects.exists()


def test_the_policy(confidential, counsellor, insider, coordinator):
    kim, ines = row_of(confidential, counsellor), row_of(confidential, insider)
    assert policy.can_check_in(insider, confidential, ines)
    assert not policy.can_check_in(coordinator, confidential, None)
    assert policy.can_see_check_ins(counsellor, confidential, kim)
    assert not policy.can_see_check_ins(insider, confidential, ines)


def test_on_the_page_each_sees_only_what_is_theirs(
    client, confidential, counsellor, insider, meeting, make_member
):
    client.force_login(insider.user)
    response = client.post(
        _url("groups:meeting_check_in", meeting), {"wellbeing": "2", "words": "Missing my kids"}
    )
    assert response.status_code == 302
    assert b"Missing my kids" in client.get(_url("groups:meeting_record", meeting)).content

    note_taker = group_member_add(group=confidential, member=make_member())
    make_note_taker(meeting, note_taker)
    other = group_member_add(group=confidential, member=make_member())
    for row in (note_taker, other):
        client.force_login(row.member.user)
        page = client.get(_url("groups:meeting_record", meeting))
        assert page.status_code == 200 and b"Missing my kids" not in page.content

    client.force_login(counsellor.user)
    page = client.get(_url("groups:meeting_record", meeting))
    assert b"Missing my kids" in page.content and b"Insider Ines" in page.content


def test_bad_input_on_the_page_is_a_400_and_writes_nothing(client, insider, meeting):
    client.force_login(insider.user)
    response = client.post(_url("groups:meeting_check_in", meeting), {"wellbeing": "9"})
    assert response.status_code == 400
    assert not MeetingCheckIn.objects.exists()


def test_withdrawing_on_the_page(client, confidential, insider, meeting):
    check_in_save(meeting=meeting, by=row_of(confidential, insider), wellbeing=3)
    client.force_login(insider.user)
    assert client.post(_url("groups:meeting_check_in_withdraw", meeting)).status_code == 302
    assert not MeetingCheckIn.objects.exists()


def test_a_coordinator_cannot_check_in_to_a_confidential_groups_meeting(
    client, coordinator, meeting
):
    client.force_login(coordinator.user)
    response = client.post(_url("groups:meeting_check_in", meeting), {"wellbeing": "3"})
    assert response.status_code == 404
    assert not MeetingCheckIn.objects.exists()
