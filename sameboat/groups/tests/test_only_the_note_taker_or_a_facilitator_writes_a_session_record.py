"""A session record is written by the meeting's note-taker or the group's facilitators, and
edited by them afterwards; nobody else may, and a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sameboat.groups.models import SessionRecord
from sameboat.groups.services import group_member_add, meeting_create, session_record_save
from sameboat.groups.tests.sessions import make_note_taker, row_of, started_meeting
from sameboat.networks.models import Role


def test_a_facilitator_writes_the_record(confidential, counsellor):
    meeting = started_meeting(confidential, counsellor)
    record = session_record_save(meeting=meeting, by=counsellor, notes="  Housing worries  ")
    assert record.notes == "Housing worries"
    assert record.recorded_by == counsellor and record.updated_by == counsellor


def test_the_note_taker_writes_and_later_edits_the_record(confidential, counsellor, insider):
    meeting = started_meeting(confidential, counsellor)
    make_note_taker(meeting, row_of(confidential, insider))
    first = session_record_save(meeting=meeting, by=insider, notes="First draft")
    second = session_record_save(meeting=meeting, by=insider, notes="Tidied up")
    assert first.pk == second.pk and SessionRecord.objects.count() == 1
    assert SessionRecord.objects.get().notes == "Tidied up"
    edited = session_record_save(meeting=meeting, by=counsellor, notes="With the follow-ups")
    assert edited.recorded_by == insider and edited.updated_by == counsellor


def test_another_member_may_not_write_it(confidential, counsellor, insider):
    meeting = started_meeting(confidential, counsellor)
    with pytest.raises(PermissionDenied):
        session_record_save(meeting=meeting, by=insider, notes="Not mine to write")
    assert not SessionRecord.objects.exists()


def test_a_note_taker_who_handed_the_role_on_no_longer_may(
    confidential, counsellor, insider, make_member
):
    meeting = started_meeting(confidential, counsellor)
    make_note_taker(meeting, row_of(confidential, insider))
    session_record_save(meeting=meeting, by=insider, notes="Mine")
    make_note_taker(meeting, group_member_add(group=confidential, member=make_member()))
    with pytest.raises(PermissionDenied):
        session_record_save(meeting=meeting, by=insider, notes="Changed")
    assert SessionRecord.objects.get().notes == "Mine"


def test_nobody_outside_the_group_may_write_it_whatever_their_role(
    confidential, counsellor, coordinator, admin_member, make_member
):
    meeting = started_meeting(confidential, counsellor)
    for person in (coordinator, admin_member, make_member(Role.FACILITATOR)):
        with pytest.raises(PermissionDenied):
            session_record_save(meeting=meeting, by=person, notes="From outside")
    assert not SessionRecord.objects.exists()


def test_a_meeting_that_has_not_started_has_no_record_yet(confidential, counsellor):
    meeting = meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
    )[0]
    with pytest.raises(ValidationError, match="has not started"):
        session_record_save(meeting=meeting, by=counsellor, notes="Too soon")
    assert not SessionRecord.objects.exists()
