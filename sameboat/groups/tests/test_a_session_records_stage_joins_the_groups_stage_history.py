"""A stage recorded in a session record is a row of the group's one stage history, dated at
the meeting, from the group's own model; editing the record corrects that row, clearing it
withdraws the row."""

import pytest
from django.core.exceptions import ValidationError

from sameboat.groups.models import SessionRecord, Stage, StageModel, StageRecord
from sameboat.groups.selectors import group_stages
from sameboat.groups.services import group_update, session_record_save, stage_record
from sameboat.groups.tests.sessions import started_meeting


def test_the_stage_is_one_row_of_the_groups_history_dated_at_the_meeting(confidential, counsellor):
    stage_record(group=confidential, by=counsellor, stage=Stage.PREAFFILIATION)
    meeting = started_meeting(confidential, counsellor, days_ago=3)
    record = session_record_save(meeting=meeting, by=counsellor, stage=Stage.POWER_AND_CONTROL)
    history = list(group_stages(group=confidential))
    assert [row.stage for row in history] == [Stage.PREAFFILIATION, Stage.POWER_AND_CONTROL]
    row = StageRecord.objects.get(stage=Stage.POWER_AND_CONTROL)
    assert record.stage_record == row
    assert row.recorded_at == meeting.starts_at and row.model == StageModel.BOSTON


def test_editing_the_stage_corrects_the_same_row_and_clearing_withdraws_it(
    confidential, counsellor
):
    meeting = started_meeting(confidential, counsellor)
    session_record_save(meeting=meeting, by=counsellor, stage=Stage.PREAFFILIATION)
    session_record_save(meeting=meeting, by=counsellor, stage=Stage.INTIMACY)
    assert list(StageRecord.objects.values_list("stage", flat=True)) == [Stage.INTIMACY]
    session_record_save(meeting=meeting, by=counsellor, stage="")
    assert not StageRecord.objects.exists()
    assert SessionRecord.objects.get().stage_record is None


def test_a_stage_of_another_model_is_refused(confidential, counsellor):
    meeting = started_meeting(confidential, counsellor)
    with pytest.raises(ValidationError) as error:
        session_record_save(meeting=meeting, by=counsellor, notes="x", stage=Stage.STORMING)
    assert "stage" in error.value.message_dict
    assert not SessionRecord.objects.exists() and not StageRecord.objects.exists()


def test_after_the_group_changes_model_the_record_takes_the_new_models_stages(
    confidential, counsellor
):
    meeting = started_meeting(confidential, counsellor)
    session_record_save(meeting=meeting, by=counsellor, stage=Stage.INTIMACY)
    group_update(group=confidential, fields={"stage_model": StageModel.TUCKMAN})
    meeting.group.refresh_from_db()
    session_record_save(meeting=meeting, by=counsellor, stage=Stage.NORMING)
    row = StageRecord.objects.get()
    assert (row.model, row.stage) == (StageModel.TUCKMAN, Stage.NORMING)
