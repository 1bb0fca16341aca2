"""About a day before each meeting, its group's active members get a reminder: once per
meeting and person however often the sweep runs, never for a meeting that has started, never
for people who left. The sweep's queries do not grow with the number of meetings."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sameboat.accounts.models import NotificationFrequency
from sameboat.calendars.services import meeting_reminders_send
from sameboat.groups.models import GroupMember
from sameboat.groups.services import group_leave, group_member_add, group_request_to_join
from sameboat.notifications.models import Notification, NotificationKind, NotificationStatus
from sameboat.notifications.services import notification_frequency_set, notifications_muted

pytestmark = pytest.mark.usefixtures("immediate_tasks")


def _reminded(meeting) -> set[int]:
    return set(
        Notification.objects.filter(
            kind=NotificationKind.MEETING_REMINDER, topic=f"meeting:{meeting.pk}"
        ).values_list("user_id", flat=True)
    )


def test_each_member_is_reminded_once_about_a_day_ahead(
    insider,
    counsellor,
    confidential,
    make_meeting,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(confidential, in_hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_reminders_send() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_reminders_send() == 0
    assert _reminded(meeting) == {insider.user_id, counsellor.user_id}
    path = reverse(
        "groups:meeting",
        kwargs={"network": "riverside", "group_id": confidential.pk, "meeting_id": meeting.pk},
    )
    assert set(Notification.objects.values_list("path", flat=True)) == {path}
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [insider.user.email, counsellor.user.email]
    )
    body = mailoutbox[0].body
    assert "group meeting coming up" in body and path in body
    assert "Recovery" not in body and "Recovery" not in mailoutbox[0].subject


def test_no_reminder_for_meetings_started_or_more_than_a_day_away(confidential, make_meeting):
    started = make_meeting(confidential, in_hours=-1)
    far = make_meeting(confidential, in_hours=25)
    assert meeting_reminders_send() == 0
    assert not _reminded(started) and not _reminded(far)
    # An hour later nothing has changed for the one that started; the far one comes due
    # once it is within a day.
    assert meeting_reminders_send(now=timezone.now() + timedelta(hours=2)) == 2
    assert not _reminded(started) and _reminded(far)


def test_no_reminder_for_people_who_left_or_only_asked(
    network, insider, counsellor, confidential, open_group, make_member, make_meeting
):
    left_group, left_network, asked = make_member(), make_member(), make_member()
    for person in (left_group, left_network):
        group_member_add(group=open_group, member=person)
    group_leave(membership=GroupMember.objects.get(group=open_group, member=left_group))
    left_network.is_active = False
    left_network.save(update_fields=["is_active"])
    group_request_to_join(group=open_group, member=asked)
    meeting = make_meeting(open_group, in_hours=3)
    meeting_reminders_send()
    assert _reminded(meeting) == {insider.user_id, counsellor.user_id}


def test_each_person_hears_by_their_own_choice(insider, counsellor, confidential, make_meeting):
    notification_frequency_set(user=insider.user, frequency=NotificationFrequency.NEVER)
    notification_frequency_set(user=counsellor.user, frequency=NotificationFrequency.DAILY)
    make_meeting(confidential, in_hours=5)
    meeting_reminders_send()
    status = dict(Notification.objects.values_list("user_id", "status"))
    assert status == {
        insider.user_id: NotificationStatus.SKIPPED,
        counsellor.user_id: NotificationStatus.PENDING,
    }


def test_muted_news_writes_no_reminder(confidential, make_meeting):
    make_meeting(confidential, in_hours=5)
    with notifications_muted():
        assert meeting_reminders_send() == 0
    assert not Notification.objects.exists()


def test_the_sweep_makes_a_flat_number_of_queries(
    network, counsellor, confidential, open_group, make_member, make_meeting
):
    from sameboat.groups.services import group_create

    def sweep() -> int:
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            written = meeting_reminders_send()
        assert written > 0
        return len(queries)

    make_meeting(confidential, in_hours=2)
    few = sweep()
    for n in range(6):
        group = group_create(
            network=network, by=counsellor, fields={"name": f"G{n}", "type": "food"}
        )
        for _ in range(3):
            group_member_add(group=group, member=make_member())
        make_meeting(group, in_hours=n + 1)
        make_meeting(confidential, in_hours=n + 3)
    assert sweep() == few
