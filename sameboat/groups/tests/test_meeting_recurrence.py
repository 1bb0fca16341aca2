"""Creating meetings: series land on the right days; an impossible recurrence writes nothing."""

from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sameboat.groups.models import Meeting
from sameboat.groups.services import meeting_create


def _soon() -> datetime:
    return timezone.now() + timedelta(days=3)


def test_weekly_times_four_makes_four_meetings_a_week_apart(counsellor, open_group):
    rows = meeting_create(
        group=open_group,
        by=counsellor,
        starts_at=_soon(),
        duration_minutes=90,
        place="Hall",
        recurrence="weekly",
        occurrences=4,
    )
    meetings = list(Meeting.objects.filter(group=open_group))
    assert len(rows) == len(meetings) == 4
    assert len({m.series for m in meetings}) == 1
    local = [timezone.localtime(m.starts_at) for m in meetings]
    for earlier, later in pairwise(local):
        assert (later.date() - earlier.date()).days == 7
        assert later.time() == earlier.time()


def test_monthly_from_the_31st_falls_on_the_last_day_of_shorter_months(counsellor, open_group):
    start = timezone.make_aware(datetime(timezone.now().year + 1, 1, 31, 18, 0))
    meeting_create(
        group=open_group,
        by=counsellor,
        starts_at=start,
        duration_minutes=60,
        link="https://meet.example.org/circle",
        recurrence="monthly",
        occurrences=4,
    )
    days = [timezone.localtime(m.starts_at).date() for m in Meeting.objects.all()]
    year = start.year
    february = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    assert [(d.month, d.day) for d in days] == [(1, 31), (2, february), (3, 31), (4, 30)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurrences": 0}, "occurrences"),
        ({"occurrences": 53}, "occurrences"),
        ({"starts_at": timezone.now() - timedelta(days=2)}, "starts_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 12 * 60 + 1}, "duration_minutes"),
        ({"recurrence": "none", "occurrences": 2}, "occurrences"),
        ({"place": "", "link": ""}, "place"),
    ],
)
def test_impossible_recurrences_are_refused_and_nothing_is_written(
    counsellor, open_group, changes, field
):
    fields = {
        "starts_at": _soon(),
        "duration_minutes": 60,
        "place": "Hall",
        "recurrence": "weekly",
        "occurrences": 4,
    } | changes
    with pytest.raises(ValidationError) as error:
        meeting_create(group=open_group, by=counsellor, **fields)
    assert field in error.value.message_dict
    assert not Meeting.objects.exists()


def test_an_impossible_recurrence_on_the_page_is_a_400(client, counsellor, open_group):
    from django.urls import reverse

    client.force_login(counsellor.user)
    url = reverse(
        "groups:meeting_create", kwargs={"network": "riverside", "group_id": open_group.pk}
    )
    response = client.post(
        url,
        {
            "starts_at": _soon().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "place": "Hall",
            "recurrence": "weekly",
            "occurrences": 60,
        },
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()
    ok = client.post(
        url,
        {
            "starts_at": _soon().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "place": "Hall",
            "recurrence": "fortnightly",
            "occurrences": 3,
        },
    )
    assert ok.status_code == 302
    assert Meeting.objects.count() == 3
