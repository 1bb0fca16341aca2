"""Participation is a small count for each member present (0 to 3, 3 meaning 3 or more) and
whether they led: bounded, only for members recorded as present, never words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sameboat.groups.models import MAX_CONTRIBUTIONS, Participation, SessionRecord
from sameboat.groups.services import Counts, group_leave, group_member_add, session_record_save
from sameboat.groups.tests.sessions import mark_present, row_of, started_meeting


@pytest.fixture
def meeting(confidential, counsellor):
    return started_meeting(confidential, counsellor)


def test_counts_for_members_present_are_saved_and_replaced(
    confidential, counsellor, insider, meeting
):
    me, them = row_of(confidential, counsellor), row_of(confidential, insider)
    mark_present(meeting, me, them)
    session_record_save(
        meeting=meeting, by=counsellor, participation={me.pk: Counts(1), them.pk: Counts(3, True)}
    )
    rows = {row.member_id: (row.contributions, row.led) for row in Participation.objects.all()}
    assert rows == {me.pk: (1, False), them.pk: (3, True)}
    assert Participation.objects.get(member=them).contributions_display == "3 or more"
    session_record_save(meeting=meeting, by=counsellor, participation={them.pk: Counts(2)})
    assert list(Participation.objects.values_list("member_id", "contributions")) == [(them.pk, 2)]
    # Saving without counts leaves them as they are.
    session_record_save(meeting=meeting, by=counsellor, notes="Later")
    assert Participation.objects.count() == 1


@pytest.mark.parametrize("count", [-1, MAX_CONTRIBUTIONS + 1, 99, True, 1.5, "2"])
def test_counts_are_bounded(confidential, counsellor, meeting, count):
    me = row_of(confidential, counsellor)
    mark_present(meeting, me)
    with pytest.raises(ValidationError) as error:
        session_record_save(
            meeting=meeting, by=counsellor, notes="x", participation={me.pk: Counts(count)}
        )
    assert "participation" in error.value.message_dict
    assert not SessionRecord.objects.exists() and not Participation.objects.exists()


def test_a_member_who_was_not_present_cannot_be_counted(
    confidential, counsellor, insider, meeting, make_member
):
    me, absent = row_of(confidential, counsellor), row_of(confidential, insider)
    mark_present(meeting, me)
    elsewhere = group_member_add(group=confidential, member=make_member())  # after attendance
    for who in (absent, elsewhere):
        with pytest.raises(ValidationError, match="record attendance first"):
            session_record_save(
                meeting=meeting, by=counsellor, participation={me.pk: Counts(1), who.pk: Counts(1)}
            )
    assert not SessionRecord.objects.exists() and not Participation.objects.exists()


def test_without_attendance_nobody_can_be_counted(confidential, counsellor, meeting):
    me = row_of(confidential, counsellor)
    with pytest.raises(ValidationError, match="record attendance first"):
        session_record_save(meeting=meeting, by=counsellor, participation={me.pk: Counts(0)})


def test_notes_have_a_length_limit(meeting, counsellor):
    with pytest.raises(ValidationError, match="not a transcript"):
        session_record_save(meeting=meeting, by=counsellor, notes="x" * 10_001)
    assert not SessionRecord.objects.exists()


def test_editing_an_old_record_keeps_the_counts_of_someone_who_left_since(
    client, confidential, counsellor, insider, meeting
):
    me, them = row_of(confidential, counsellor), row_of(confidential, insider)
    mark_present(meeting, me, them)
    session_record_save(
        meeting=meeting, by=counsellor, participation={me.pk: Counts(1), them.pk: Counts(2)}
    )
    group_leave(membership=them)
    client.force_login(counsellor.user)
    url = reverse(
        "groups:meeting_record",
        kwargs={"network": "riverside", "group_id": confidential.pk, "meeting_id": meeting.pk},
    )
    data = {"notes": "Edited", f"contributions_{me.pk}": "1", f"contributions_{them.pk}": "2"}
    assert client.post(url, data).status_code == 302
    assert dict(Participation.objects.values_list("member_id", "contributions")) == {
        me.pk: 1,
        them.pk: 2,
    }
