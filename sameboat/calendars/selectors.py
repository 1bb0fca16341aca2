"""Reads for calendar feeds and meeting reminders. Which groups a feed shows follows
`sameboat.policy.feed_shows_group` (the groups its person belongs to now); the tests hold the
two together."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from sameboat.calendars.models import CalendarFeed
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus, Meeting
from sameboat.networks.models import Member
from sameboat.notifications.models import Notification, NotificationKind

SELECTOR_LENGTH = 16
VERIFIER_LENGTH = 43  # secrets.token_urlsafe(32): 256 random bits in URL-safe base64

# What a feed holds: the recent past (a meeting one went to last month stays in the
# calendar) and the coming year.
FEED_PAST = timedelta(days=60)
FEED_FUTURE = timedelta(days=365)


def feed_of(*, member: Member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed whose address carries this secret, with its member, person and network, or
    None. The row is found by the selector; the verifier is compared in constant time."""
    if len(token) != SELECTOR_LENGTH + VERIFIER_LENGTH:
        return None
    selector, verifier = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    feed = (
        CalendarFeed.objects.select_related("member__user", "member__network")
        .filter(selector=selector)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.verifier.encode(), verifier.encode()):
        return None
    return feed


def feed_groups(*, member: Member) -> QuerySet[Group]:
    """The groups whose meetings the member's feed carries: those of the network they are an
    active member of now."""
    return Group.objects.filter(
        network_id=member.network_id,
        memberships__member=member,
        memberships__status=GroupMemberStatus.ACTIVE,
    ).order_by("name", "id")


def feed_meetings(*, member: Member, now: datetime, group: Group | None = None) -> list[Meeting]:
    """The meetings of the member's groups (or of one of them) from FEED_PAST ago to
    FEED_FUTURE ahead, soonest first, each with its group: one query."""
    groups = feed_groups(member=member)
    if group is not None:
        groups = groups.filter(pk=group.pk)
    return list(
        Meeting.objects.filter(
            group__in=groups,
            starts_at__gte=now - FEED_PAST,
            starts_at__lte=now + FEED_FUTURE,
        )
        .select_related("group")
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True, slots=True)
class ReminderDue:
    """One person to remind of one meeting."""

    meeting_id: int
    group_id: int
    network_id: int
    network_slug: str
    user_id: int
    frequency: str


def reminders_due(*, starting_after: datetime, starting_by: datetime) -> list[ReminderDue]:
    """Each active member of each group with a meeting starting in (starting_after,
    starting_by] who has not been reminded of that meeting yet. Three queries, however many
    meetings and people: the meetings, their groups' members, the reminders already written."""
    meetings = list(
        Meeting.objects.filter(starts_at__gt=starting_after, starts_at__lte=starting_by)
        .order_by("starts_at", "id")
        .values_list("pk", "group_id", "group__network_id", "group__network__slug")
    )
    if not meetings:
        return []
    members: dict[int, list[tuple[int, str]]] = {}
    rows = (
        GroupMember.objects.filter(
            group_id__in={group_id for _pk, group_id, _n, _s in meetings},
            status=GroupMemberStatus.ACTIVE,
            member__is_active=True,
            member__user__is_active=True,
        )
        .order_by("id")
        .values_list("group_id", "member__user_id", "member__user__notification_frequency")
    )
    for group_id, user_id, frequency in rows:
        members.setdefault(group_id, []).append((user_id, frequency))
    told = set(
        Notification.objects.filter(
            kind=NotificationKind.MEETING_REMINDER,
            topic__in=[meeting_topic(pk) for pk, *_rest in meetings],
        ).values_list("topic", "user_id")
    )
    return [
        ReminderDue(pk, group_id, network_id, slug, user_id, frequency)
        for pk, group_id, network_id, slug in meetings
        for user_id, frequency in members.get(group_id, [])
        if (meeting_topic(pk), user_id) not in told
    ]


def meeting_topic(meeting_id: int) -> str:
    """The notifications' name for a meeting's news."""
    return f"meeting:{meeting_id}"
