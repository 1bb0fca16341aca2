"""The mutual aid processes a record tags come from the list the group chose: a Steinberg
group cannot tag the process Steinberg folds into the others."""

import pytest
from django.core.exceptions import ValidationError

from sameboat.groups.models import PROCESSES, MutualAidProcess, ProcessList, SessionRecord
from sameboat.groups.services import group_update, session_record_save
from sameboat.groups.tests.sessions import started_meeting


def test_shulman_has_ten_and_steinberg_nine():
    assert len(PROCESSES[ProcessList.SHULMAN]) == 10
    assert len(PROCESSES[ProcessList.STEINBERG]) == 9
    assert MutualAidProcess.UNIVERSAL_PERSPECTIVE not in PROCESSES[ProcessList.STEINBERG]


def test_a_shulman_group_tags_a_universal_perspective_in_the_lists_order(confidential, counsellor):
    meeting = started_meeting(confidential, counsellor)
    record = session_record_save(
        meeting=meeting,
        by=counsellor,
        processes=["rehearsal", "universal_perspective", "sharing_data", "rehearsal"],
    )
    assert record.processes == ["sharing_data", "universal_perspective", "rehearsal"]
    assert record.get_processes_display() == [
        "Sharing data",
        "Developing a universal perspective",
        "Rehearsal",
    ]


def test_a_steinberg_group_cannot_tag_the_folded_process(confidential, counsellor):
    group_update(group=confidential, fields={"process_list": ProcessList.STEINBERG})
    meeting = started_meeting(confidential, counsellor)
    with pytest.raises(ValidationError) as error:
        session_record_save(
            meeting=meeting, by=counsellor, processes=["mutual_support", "universal_perspective"]
        )
    assert "Developing a universal perspective" in str(error.value.message_dict["processes"])
    assert not SessionRecord.objects.exists()
    record = session_record_save(meeting=meeting, by=counsellor, processes=["mutual_support"])
    assert record.processes == ["mutual_support"]


def test_an_unknown_process_is_refused(confidential, counsellor):
    meeting = started_meeting(confidential, counsellor)
    with pytest.raises(ValidationError, match="not a mutual aid process"):
        session_record_save(meeting=meeting, by=counsellor, processes=["gossip"])
    assert not SessionRecord.objects.exists()
