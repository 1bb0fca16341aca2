"""Reads for the notification outbox."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from sameboat.aid.models import Match, MatchStatus, ReviewState
from sameboat.networks.models import Member
from sameboat.notifications.models import Notification, NotificationKind


def notifications_claimed(*, claim: str) -> QuerySet[Notification]:
    """The rows one sender has claimed, with all an email needs, in one query: the person,
    the network, the match and its two sides, and whether the person is still a member."""
    return (
        Notification.objects.filter(claim=claim)
        .select_related("user", "network", "match__helper", "match__receiver")
        .annotate(
            still_member=Exists(
                Member.objects.filter(
                    user_id=OuterRef("user_id"), network_id=OuterRef("network_id"), is_active=True
                )
            )
        )
        .order_by("user_id", "created_at", "id")
    )


@dataclass(frozen=True, slots=True)
class WaitingSide:
    """One side of a proposed match that has not answered yet."""

    match_id: int
    network_id: int
    user_id: int
    frequency: str


def sides_awaiting_reminder(*, proposed_before: datetime) -> list[WaitingSide]:
    """Sides of matches proposed before the cutoff and still unanswered by them, who have not
    been reminded of that match yet (two queries, one per side, whatever the number)."""
    waiting: list[WaitingSide] = []
    for side in ("helper", "receiver"):
        reminded = Notification.objects.filter(
            match_id=OuterRef("pk"),
            user_id=OuterRef(f"{side}__user_id"),
            kind=NotificationKind.MATCH_REMINDER,
        )
        rows = (
            Match.objects.filter(
                # Shown to the members since before the cutoff: a matching proposal counts
                # from its release by a coordinator, any other match from its creation.
                Q(reviewed_at__isnull=True, created_at__lte=proposed_before)
                | Q(reviewed_at__lte=proposed_before),
                status=MatchStatus.PROPOSED,
                review_state=ReviewState.RELEASED,
                **{
                    f"{side}_accepted_at__isnull": True,
                    f"{side}__is_active": True,
                    f"{side}__user__is_active": True,
                },
            )
            .exclude(Exists(reminded))
            .order_by("created_at", "id")
            .values_list(
                "pk", "network_id", f"{side}__user_id", f"{side}__user__notification_frequency"
            )
        )
        waiting += [WaitingSide(*row) for row in rows]
    return waiting
