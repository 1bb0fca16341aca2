"""The session-record, check-in and equity API answers with the same policy as the pages."""

import pytest
from rest_framework.test import APIClient

from sameboat.groups.models import MeetingCheckIn, Participation, SessionRecord
from sameboat.groups.services import Counts, check_in_save, group_member_add, session_record_save
from sameboat.groups.tests.sessions import make_note_taker, mark_present, row_of, started_meeting
from sameboat.networks.models import Role


def _api(member):
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def _base(meeting):
    return f"/api/v1/networks/riverside/groups/{meeting.group_id}/meetings/{meeting.pk}/"


@pytest.fixture
def meeting(confidential, counsellor, insider, make_member):
    meeting = started_meeting(confidential, counsellor)
    note_taker = group_member_add(group=confidential, member=make_member(display_name="Noor"))
    make_note_taker(meeting, note_taker)
    mark_present(meeting, row_of(confidential, insider), note_taker)
    return meeting


def _note_taker(meeting):
    return meeting.roles.get().member.member


def test_writing_and_reading_a_record(confidential, counsellor, insider, meeting):
    url = _base(meeting) + "record/"
    assert _api(insider).get(url).status_code == 404  # none yet
    ines = row_of(confidential, insider)
    payload = {
        "notes": "Tenancy rights",
        "processes": ["strength_in_numbers"],
        "stage": "power_and_control",
        "participation": [{"member": ines.pk, "contributions": 2, "led": True}],
    }
    assert _api(insider).put(url, payload, format="json").status_code == 403
    written = _api(_note_taker(meeting)).put(url, payload, format="json")
    assert written.status_code == 200, written.json()
    body = written.json()
    assert body["stage"] == "power_and_control" and body["recorded_by"]["display_name"] == "Noor"
    assert body["participation"] == [{"member": ines.pk, "contributions": 2, "led": True}]

    as_member = _api(insider).get(url).json()
    assert as_member["notes"] == "Tenancy rights" and as_member["participation"] is None
    assert _api(counsellor).get(url).json()["participation"] is not None

    # Leaving out participation leaves the counts; a null stage clears it.
    again = _api(counsellor).put(url, {"notes": "Edited"}, format="json").json()
    assert again["stage"] is None and len(again["participation"]) == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"processes": ["gossip"]},
        {"stage": "forming"},
        {"participation": [{"member": 0, "contributions": 1}]},
        {"participation": [{"member": "{ines}", "contributions": 4}]},
        {"participation": [{"member": "{ines}", "contributions": 1}] * 2},
        {"notes": None},
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(confidential, counsellor, insider, meeting, bad):
    ines = row_of(confidential, insider).pk
    if "participation" in bad:
        bad = {
            "participation": [
                {**row, "member": ines if row["member"] == "{ines}" else row["member"]}
                for row in bad["participation"]
            ]
        }
    response = _api(counsellor).put(_base(meeting) + "record/", bad, format="json")
    assert response.status_code == 400, response.json()
    assert not SessionRecord.objects.exists() and not Participation.objects.exists()


def test_a_steinberg_group_cannot_tag_the_folded_process(confidential, counsellor, meeting):
    confidential.process_list = "steinberg"
    confidential.save(update_fields=["process_list"])
    response = _api(counsellor).put(
        _base(meeting) + "record/", {"processes": ["universal_perspective"]}, format="json"
    )
    assert response.status_code == 400 and "processes" in response.json()


def test_the_record_history(confidential, counsellor, insider, meeting, coordinator):
    session_record_save(meeting=meeting, by=counsellor, notes="One")
    url = f"/api/v1/networks/riverside/groups/{confidential.pk}/records/"
    body = _api(insider).get(url).json()
    assert body["count"] == 1 and body["results"][0]["participation"] is None
    assert _api(coordinator).get(url).status_code == 404
    assert _api(coordinator).get(_base(meeting) + "record/").status_code == 404


def test_an_open_groups_records_are_for_its_members(open_group, counsellor, make_member):
    meeting = started_meeting(open_group, counsellor)
    session_record_save(meeting=meeting, by=counsellor, notes="Soup")
    visitor = _api(make_member(Role.MEMBER))
    assert visitor.get(_base(meeting)).status_code == 200  # the meeting itself is open
    assert visitor.get(_base(meeting) + "record/").status_code == 403
    assert (
        visitor.get(f"/api/v1/networks/riverside/groups/{open_group.pk}/records/").status_code
        == 403
    )


def test_check_ins(confidential, counsellor, insider, meeting, coordinator):
    url = _base(meeting) + "check-in/"
    me = _api(insider)
    assert me.get(url).status_code == 404
    saved = me.put(url, {"wellbeing": 2, "words": "Tired"}, format="json")
    assert saved.status_code == 200 and saved.json()["wellbeing"] == 2
    assert me.put(url, {"wellbeing": 6}, format="json").status_code == 400
    assert me.get(url).json()["words"] == "Tired"
    # Nobody else reads it through their own check-in, nor the list, but the facilitators.
    assert _api(_note_taker(meeting)).get(url).status_code == 404
    everyone = _base(meeting) + "check-ins/"
    assert _api(_note_taker(meeting)).get(everyone).status_code == 403
    assert _api(insider).get(everyone).status_code == 403
    assert _api(coordinator).get(everyone).status_code == 404
    listed = _api(counsellor).get(everyone).json()
    assert [row["words"] for row in listed["results"]] == ["Tired"]
    assert me.delete(url).status_code == 204
    assert me.delete(url).status_code == 404
    assert not MeetingCheckIn.objects.exists()


def test_equity(confidential, counsellor, insider, meeting, coordinator):
    ines = row_of(confidential, insider)
    session_record_save(meeting=meeting, by=counsellor, participation={ines.pk: Counts(2)})
    check_in_save(meeting=meeting, by=ines, wellbeing=3)
    url = f"/api/v1/networks/riverside/groups/{confidential.pk}/equity/"
    for person in (insider, _note_taker(meeting)):
        assert _api(person).get(url).status_code == 403
    # Not in the confidential group: nothing inside it exists for them.
    assert _api(coordinator).get(url).status_code == 404
    body = _api(counsellor).get(url).json()
    [row] = body["meetings"]
    assert (row["members"], row["present"]) == (3, 2)
    assert row["participation_gini"] == pytest.approx(0.5)
    assert {m["member"]["display_name"] for m in body["members"]} == {
        "Counsellor Kim",
        "Insider Ines",
        "Noor",
    }
    assert ines.pk not in body["participation"]["never"]
    # Noor was present and held the note-taker's role: she led; Ines and Kim did not.
    assert set(body["leadership"]["never"]) == {
        ines.pk,
        confidential.memberships.get(role="facilitator").pk,
    }
