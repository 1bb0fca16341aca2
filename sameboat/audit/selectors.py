"""Reading the audit log: one network's events, newest first, filtered."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sameboat.audit.actions import action_label
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Member, Network


@dataclass(frozen=True, slots=True)
class AuditFilters:
    action: str = ""
    actor_ref: int | None = None
    since: datetime.datetime | None = None
    before: datetime.datetime | None = None


def events_of(*, network: Network, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    filters = filters or AuditFilters()
    events = AuditEvent.objects.filter(network=network).select_related("actor")
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor_ref is not None:
        events = events.filter(actor_ref=filters.actor_ref)
    if filters.since is not None:
        events = events.filter(created_at__gte=filters.since)
    if filters.before is not None:
        events = events.filter(created_at__lt=filters.before)
    return events.order_by("-created_at", "-id")


def action_choices(*, network: Network) -> list[tuple[str, str]]:
    """The action codes present in the network's log, with their names."""
    codes = (
        AuditEvent.objects.filter(network=network)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])


def actor_choices(*, network: Network) -> list[tuple[int, str]]:
    """The people who appear as actors in the network's log, by the name they show here;
    an account no longer in the network by its number. Keyed by account number
    (actor_ref), which outlives the account itself."""
    refs: set[int] = {
        ref
        for ref in AuditEvent.objects.filter(network=network, actor_ref__isnull=False)
        .order_by()
        .values_list("actor_ref", flat=True)
        .distinct()
        if ref is not None
    }
    names = dict(
        Member.objects.filter(network=network, user_id__in=refs).values_list(
            "user_id", "user__display_name"
        )
    )
    known = sorted(((ref, names[ref]) for ref in refs if ref in names), key=lambda p: p[1])
    gone = [
        (ref, gettext("Account no. %(number)s") % {"number": ref})
        for ref in sorted(refs)
        if ref not in names
    ]
    return known + gone


def day_range(
    since: datetime.date | None, until: datetime.date | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """From the start of `since` to the end of `until` (both included), in the site's time
    zone; a day at the calendar's very edge means "no bound"."""

    def start_of(day: datetime.date) -> datetime.datetime | None:
        try:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        except OverflowError:
            return None

    start = start_of(since) if since is not None else None
    end = None
    if until is not None and until < datetime.date.max:
        end = start_of(until + datetime.timedelta(days=1))
    return start, end
