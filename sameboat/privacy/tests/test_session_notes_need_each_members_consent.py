"""Session notes may say what a member shared only if that member agreed: consent to
"notes kept by facilitators" is its own purpose, off until given, and whoever writes a
session record is shown (page and API) the members they must not write about."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.groups.models import Group, GroupMember, Meeting
from sameboat.groups.services import group_member_add, session_record_save
from sameboat.groups.tests.sessions import started_meeting
from sameboat.networks.models import Member
from sameboat.privacy.models import Consent, ConsentSource, Purpose
from sameboat.privacy.services import consent_set, consent_states


@pytest.fixture
def meeting(confidential: Group, counsellor: Member, make_member: MakeMember) -> Meeting:
    group_member_add(group=confidential, member=make_member(display_name="Agreeing Ada"))
    meeting = started_meeting(confidential, counsellor)
    session_record_save(
        meeting=meeting, by=counsellor, notes="", processes=[], stage="", participation=None
    )
    return meeting


def ada(group: Group) -> Member:
    return GroupMember.objects.get(group=group, member__user__display_name="Agreeing Ada").member


def record_page(viewer: Member, meeting: Meeting) -> str:
    client = Client()
    client.force_login(viewer.user)
    url = reverse(
        "groups:meeting_record",
        kwargs={
            "network": viewer.network.slug,
            "group_id": meeting.group_id,
            "meeting_id": meeting.pk,
        },
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def record_api(viewer: Member, meeting: Meeting) -> dict:
    client = APIClient()
    client.force_authenticate(viewer.user)
    url = (
        f"/api/v1/networks/{viewer.network.slug}/groups/{meeting.group_id}"
        f"/meetings/{meeting.pk}/record/"
    )
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_purpose_is_off_until_the_member_gives_it(insider: Member) -> None:
    assert consent_states(user=insider.user)[Purpose.SESSION_NOTES] is False
    consent_set(
        user=insider.user, purpose=Purpose.SESSION_NOTES, given=True, source=ConsentSource.API
    )
    assert consent_states(user=insider.user)[Purpose.SESSION_NOTES] is True
    consent_set(
        user=insider.user, purpose=Purpose.SESSION_NOTES, given=False, source=ConsentSource.API
    )
    assert consent_states(user=insider.user)[Purpose.SESSION_NOTES] is False
    record = Consent.objects.get(user=insider.user, purpose=Purpose.SESSION_NOTES)
    assert record.given_at is not None and record.withdrawn_at is not None


def test_the_writer_sees_whom_not_to_write_about(
    confidential: Group, counsellor: Member, insider: Member, meeting: Meeting
) -> None:
    consent_set(
        user=ada(confidential).user,
        purpose=Purpose.SESSION_NOTES,
        given=True,
        source=ConsentSource.PRIVACY_PAGE,
    )
    page = record_page(counsellor, meeting)
    notice = page.split('id="not-named-heading"')[1].split("</div>")[0]
    assert "Insider Ines" in notice
    assert "Agreeing Ada" not in notice

    data = record_api(counsellor, meeting)
    names = {row["display_name"] for row in data["not_to_be_named"]}
    assert "Insider Ines" in names and "Agreeing Ada" not in names

    # Ines agrees: nobody is left to leave out but those who have not (the facilitator).
    consent_set(
        user=insider.user, purpose=Purpose.SESSION_NOTES, given=True, source=ConsentSource.API
    )
    names = {row["display_name"] for row in record_api(counsellor, meeting)["not_to_be_named"]}
    assert "Insider Ines" not in names


def test_other_members_never_learn_who_agreed(
    confidential: Group, insider: Member, meeting: Meeting
) -> None:
    # A member's choice is theirs: only the record's writers see the list.
    page = record_page(insider, meeting)
    assert 'id="not-named-heading"' not in page
    assert record_api(insider, meeting)["not_to_be_named"] == []


def test_the_privacy_page_and_signup_offer_the_purpose(insider: Member) -> None:
    client = Client()
    client.force_login(insider.user)
    page = client.get(reverse("privacy:home")).content.decode()
    assert "write about what I share in the session notes" in page
    response = client.post(reverse("privacy:home"), {Purpose.SESSION_NOTES.value: "on"})
    assert response.status_code in (200, 302)
    assert consent_states(user=insider.user)[Purpose.SESSION_NOTES] is True
