"""The record form, the record history and the equity page, as a person uses them: bad input
is a 400 with a message and writes nothing."""

import pytest
from django.urls import reverse

from sameboat.groups.models import Participation, SessionRecord, StageRecord
from sameboat.groups.services import Counts, session_record_save
from sameboat.groups.tests.sessions import make_note_taker, mark_present, row_of, started_meeting


def _url(name, meeting):
    return reverse(
        name,
        kwargs={"network": "riverside", "group_id": meeting.group_id, "meeting_id": meeting.pk},
    )


@pytest.fixture
def meeting(confidential, counsellor, insider):
    meeting = started_meeting(confidential, counsellor)
    mark_present(meeting, row_of(confidential, counsellor), row_of(confidential, insider))
    make_note_taker(meeting, row_of(confidential, insider))
    return meeting


def test_the_note_taker_writes_the_record_with_counts(client, confidential, insider, meeting):
    client.force_login(insider.user)
    form = client.get(_url("groups:meeting_record", meeting))
    assert form.status_code == 200 and b"Write the record" in form.content
    ines, kim = row_of(confidential, insider), meeting.group.memberships.get(role="facilitator")
    response = client.post(
        _url("groups:meeting_record", meeting),
        {
            "notes": "Budgeting tips",
            "processes": ["sharing_data", "mutual_support"],
            "stage": "intimacy",
            f"contributions_{ines.pk}": "3",
            f"led_{ines.pk}": "on",
            f"contributions_{kim.pk}": "1",
        },
    )
    assert response.status_code == 302
    record = SessionRecord.objects.get()
    assert record.processes == ["sharing_data", "mutual_support"]
    assert record.stage_record.stage == "intimacy"
    counts = {row.member_id: (row.contributions, row.led) for row in Participation.objects.all()}
    assert counts == {ines.pk: (3, True), kim.pk: (1, False)}
    page = client.get(_url("groups:meeting_record", meeting))
    assert b"Budgeting tips" in page.content and b"3 or more" in page.content


@pytest.mark.parametrize(
    "bad",
    [
        {"processes": ["gossip"]},
        {"stage": "storming"},
        {"contributions_{ines}": "7"},
        {"notes": "x" * 10_001},
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(client, confidential, insider, meeting, bad):
    ines = row_of(confidential, insider)
    data = {"notes": "ok", f"contributions_{ines.pk}": "1"}
    data |= {key.format(ines=ines.pk): value for key, value in bad.items()}
    client.force_login(insider.user)
    response = client.post(_url("groups:meeting_record", meeting), data)
    assert response.status_code == 400
    assert b"Nothing was saved" in response.content
    assert not SessionRecord.objects.exists() and not StageRecord.objects.exists()


def test_a_steinberg_group_is_not_offered_the_folded_process(client, confidential, counsellor):
    confidential.process_list = "steinberg"
    confidential.save(update_fields=["process_list"])
    meeting = started_meeting(confidential, counsellor)
    client.force_login(counsellor.user)
    page = client.get(_url("groups:meeting_record", meeting))
    assert b"Mutual support" in page.content
    assert b"universal_perspective" not in page.content
    response = client.post(
        _url("groups:meeting_record", meeting), {"processes": ["universal_perspective"]}
    )
    assert response.status_code == 400 and not SessionRecord.objects.exists()


def test_a_member_without_the_role_cannot_post_a_record(client, confidential, insider, meeting):
    make_note_taker(meeting, meeting.group.memberships.get(role="facilitator"))
    client.force_login(insider.user)
    response = client.post(_url("groups:meeting_record", meeting), {"notes": "Sneaky"})
    assert response.status_code == 403
    assert not SessionRecord.objects.exists()


def test_the_record_history_lists_the_records_latest_first(
    client, confidential, counsellor, insider
):
    for days_ago, notes in ((14, "Older notes"), (7, "Newer notes")):
        session_record_save(
            meeting=started_meeting(confidential, counsellor, days_ago=days_ago),
            by=counsellor,
            notes=notes,
        )
    client.force_login(insider.user)
    url = reverse("groups:records", kwargs={"network": "riverside", "group_id": confidential.pk})
    page = client.get(url).content.decode()
    assert page.index("Newer notes") < page.index("Older notes")
    assert "Participation equity" not in page  # members do not see the link to it
    client.force_login(counsellor.user)
    assert "Participation equity" in client.get(url).content.decode()


def test_the_equity_page_shows_figures_and_who_is_left_out(
    client, confidential, counsellor, insider, meeting
):
    kim, ines = meeting.group.memberships.get(role="facilitator"), row_of(confidential, insider)
    session_record_save(
        meeting=meeting, by=counsellor, participation={kim.pk: Counts(3, True), ines.pk: Counts(1)}
    )
    client.force_login(counsellor.user)
    url = reverse("groups:equity", kwargs={"network": "riverside", "group_id": confidential.pk})
    page = client.get(url).content.decode()
    assert "Participation equity: Recovery circle" in page
    assert "0.25" in page  # gini([3, 1]) = 2 / (2 * 4) = 0.25
    never_led = page.split("Have never led")[1].split("</ul>")[0]
    assert "Insider Ines" in never_led


def test_the_group_page_links_to_records_and_equity(client, confidential, counsellor, insider):
    url = reverse("groups:detail", kwargs={"network": "riverside", "group_id": confidential.pk})
    client.force_login(insider.user)
    page = client.get(url).content.decode()
    assert "Session records" in page and "Participation equity" not in page
    client.force_login(counsellor.user)
    assert "Participation equity" in client.get(url).content.decode()
