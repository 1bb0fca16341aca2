"""Writes for calendar feeds and meeting reminders."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.calendars import selectors
from sameboat.calendars.models import CalendarFeed, GroupNames
from sameboat.networks.models import Member
from sameboat.notifications.models import NotificationKind

# These three belong to the notifications app, which writes news one topic at a time
# (`notify_members`). The reminder sweep writes the news of many meetings at once, so that
# its queries do not grow with their number, and follows the same rules by using the same
# helpers: who hears (their choice of frequency), and the sending once the news commits.
from sameboat.notifications.services import News, news_write

# Members hear of a meeting about a day ahead: the hourly sweep reminds them of each meeting
# starting within this much time.
REMINDER_AHEAD = timedelta(hours=24)


def _new_secret() -> tuple[str, str]:
    selector = secrets.token_hex(selectors.SELECTOR_LENGTH // 2)
    verifier = secrets.token_urlsafe(32)
    assert len(verifier) == selectors.VERIFIER_LENGTH
    return selector, verifier


@transaction.atomic
def feed_reset(*, member: Member) -> CalendarFeed:
    """Give the member a calendar address for the network, or a new one in place of the old,
    which stops working at once (for an address that leaked or a lost phone). The person's
    choice of group names is kept."""
    if not policy.can_have_calendar_feed(member):
        raise ValidationError(_("Only active members of the network have a calendar address."))
    selector, verifier = _new_secret()
    feed = CalendarFeed.objects.select_for_update().filter(member=member).first()
    if feed is None:
        return CalendarFeed.objects.create(member=member, selector=selector, verifier=verifier)
    feed.selector, feed.verifier, feed.reset_at = selector, verifier, timezone.now()
    feed.save(update_fields=["selector", "verifier", "reset_at"])
    return feed


@transaction.atomic
def feed_group_names_set(*, feed: CalendarFeed, group_names: str) -> CalendarFeed:
    """Choose what the feed's events are called: see `GroupNames`."""
    if group_names not in GroupNames.values:
        raise ValidationError({"group_names": _("Choose how your calendar names your groups.")})
    feed.group_names = group_names
    feed.save(update_fields=["group_names"])
    return feed


@transaction.atomic
def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the active members of each group with a meeting starting within REMINDER_AHEAD
    that it is coming up: a MEETING_REMINDER linking to the meeting's page, once per meeting
    and person however often the sweep runs, each sent by the person's choice (right away,
    in the daily digest, or never). Nothing for meetings that have started, nor for people
    who left the group or the network. A fixed number of queries, however many meetings and
    people. Returns how many reminders were written."""
    now = now or timezone.now()
    due = selectors.reminders_due(starting_after=now, starting_by=now + REMINDER_AHEAD)
    written = news_write(
        items=[
            News(
                user_id=item.user_id,
                network_id=item.network_id,
                frequency=item.frequency,
                kind=NotificationKind.MEETING_REMINDER,
                topic=selectors.meeting_topic(item.meeting_id),
                path=reverse(
                    "groups:meeting",
                    kwargs={
                        "network": item.network_slug,
                        "group_id": item.group_id,
                        "meeting_id": item.meeting_id,
                    },
                ),
            )
            for item in due
        ]
    )
    return len(written)
