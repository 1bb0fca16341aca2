"""The equity of a group, from its records: roles count as leading, counts only for those
present, and the facilitator sees who has never led and who rarely takes part."""

import pytest

from sameboat.groups.equity import gini
from sameboat.groups.models import Attendance, MeetingRole
from sameboat.groups.selectors import group_equity
from sameboat.groups.services import Counts, group_member_add, session_record_save
from sameboat.groups.tests.sessions import give_role, mark_present, row_of, started_meeting


@pytest.fixture
def people(confidential, counsellor, insider, make_member):
    quiet = group_member_add(group=confidential, member=make_member(display_name="Quiet Q"))
    never = group_member_add(group=confidential, member=make_member(display_name="Never N"))
    return {
        "kim": row_of(confidential, counsellor),
        "ines": row_of(confidential, insider),
        "quiet": quiet,
        "never": never,
    }


def test_who_never_leads_and_who_rarely_takes_part(confidential, counsellor, people):
    kim, ines, quiet, never = people["kim"], people["ines"], people["quiet"], people["never"]
    first = started_meeting(confidential, counsellor, days_ago=14)
    mark_present(first, kim, ines, quiet)
    give_role(first, MeetingRole.CHAIR, ines)  # a role counts as leading
    session_record_save(
        meeting=first,
        by=counsellor,
        participation={kim.pk: Counts(3), ines.pk: Counts(3), quiet.pk: Counts(1)},
    )
    second = started_meeting(confidential, counsellor, days_ago=7)
    mark_present(second, kim, ines, quiet, never)
    session_record_save(
        meeting=second,
        by=counsellor,
        participation={
            kim.pk: Counts(3, led=True),
            ines.pk: Counts(2),
            quiet.pk: Counts(0),
            never.pk: Counts(0),
        },
    )
    # A meeting without a record does not count.
    mark_present(started_meeting(confidential, counsellor, days_ago=1), quiet)

    data = group_equity(group=confidential)
    assert [row.meeting for row in data.meetings] == [first, second]
    one, two = (row.figures for row in data.meetings)
    assert (one.members, one.present) == (4, 3)
    assert one.participation_gini == pytest.approx(gini([3, 3, 1]))
    assert one.leadership_gini == pytest.approx(gini([0, 1, 0]))
    assert two.participation_gini == pytest.approx(gini([3, 2, 0, 0]))
    assert two.cumulative_participation_gini == pytest.approx(gini([6, 5, 1, 0]))
    assert two.cumulative_leadership_gini == pytest.approx(gini([1, 1, 0, 0]))

    assert {row.member.display_name for row in data.never_led} == {"Quiet Q", "Never N"}
    assert [row.member.display_name for row in data.never_took_part] == ["Never N"]
    # The mean is 3; "rarely" is more than nothing but under half of it.
    assert [row.member.display_name for row in data.rarely_take_part] == ["Quiet Q"]
    totals = {row.member.pk: row.totals for row in data.members}
    assert (totals[quiet.pk].present, totals[quiet.pk].meetings) == (2, 2)
    assert totals[never.pk].attendance_rate == pytest.approx(0.5)


def test_counts_and_roles_of_someone_later_marked_absent_do_not_count(
    confidential, counsellor, people
):
    kim, ines = people["kim"], people["ines"]
    meeting = started_meeting(confidential, counsellor)
    mark_present(meeting, kim, ines)
    give_role(meeting, MeetingRole.NOTE_TAKER, ines)
    session_record_save(
        meeting=meeting, by=counsellor, participation={kim.pk: Counts(1), ines.pk: Counts(3)}
    )
    Attendance.objects.filter(meeting=meeting, member=ines).update(present=False)
    [row] = group_equity(group=confidential).meetings
    assert row.figures.present == 1
    assert row.figures.participation_gini == 0.0
    assert row.figures.cumulative_leadership_gini == 0.0


def test_a_group_without_records_has_no_figures(confidential):
    data = group_equity(group=confidential)
    assert data.meetings == [] and data.participation is None and data.leadership is None
    assert data.never_led == [] and data.rarely_take_part == []
