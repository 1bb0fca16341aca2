"""Referrals and partnerships: the reads. Every query is scoped to one network (but the
reminder sweep, which walks every network's referrals due)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.directory.models import (
    OPEN_STATUSES,
    Organization,
    Partnership,
    Referral,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
    Service,
)
from sameboat.networks.models import Member, Network


def no_news_after() -> timedelta:
    """How long an open referral may go without news before the report counts it as gone
    nowhere (the setting REFERRAL_NO_NEWS_AFTER_DAYS)."""
    return timedelta(days=settings.REFERRAL_NO_NEWS_AFTER_DAYS)


def _with_people(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("member__user", "referred_by__user", "service")


def referrals_visible(*, network: Network, viewer: Member) -> QuerySet[Referral]:
    """The referrals the viewer may see: their own and those they made; all of the
    network's for coordinators. Newest first."""
    referrals = Referral.objects.filter(network=network)
    if not policy.is_coordinator(viewer):
        referrals = referrals.filter(Q(member=viewer) | Q(referred_by=viewer))
    return _with_people(referrals).order_by("-created_at", "-id")


def referral_get(*, network: Network, pk: int) -> Referral | None:
    """One referral of the network with its history (who changed what, when)."""
    return (
        _with_people(Referral.objects.filter(network=network, pk=pk))
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReferralEvent.objects.select_related("by__user").order_by("at", "id"),
            )
        )
        .first()
    )


def referrals_due_for_follow_up(*, today: date) -> QuerySet[Referral]:
    """Open referrals, in every network, whose follow-up date has come."""
    return (
        Referral.objects.filter(status__in=OPEN_STATUSES, follow_up_on__lte=today)
        .select_related("network", "member__user", "referred_by__user")
        .order_by("pk")
    )


def services_to_refer_to(*, network: Network) -> QuerySet[Service]:
    return Service.objects.filter(network=network).order_by("name", "key")


def service_by_id(*, network: Network, service_id: str) -> Service | None:
    """A service of the network by its HSDS id (a UUID), or None (also for a malformed id)."""
    try:
        uuid = UUID(str(service_id))
    except ValueError:
        return None
    return Service.objects.filter(network=network, id=uuid).first()


def members_to_refer(*, network: Network, viewer: Member) -> QuerySet[Member]:
    """Whom the viewer may refer: any active member (facilitators and coordinators), or
    themselves."""
    members = Member.objects.filter(network=network, is_active=True)
    if not policy.can_refer_others(viewer):
        members = members.filter(pk=viewer.pk)
    return members.select_related("user").order_by("user__display_name", "id")


# --- the report -----------------------------------------------------------------------------

NO_NEWS = "no_news"


@dataclass(frozen=True, slots=True)
class ReportRow:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class ReferralReport:
    """Referrals that went nowhere: those that did not get help, and those still open with no
    news for `no_news_after()`; counted by service and by reason ("no news" is a reason of its
    own). Nobody is named: the report is about services and reasons, not people."""

    total: int
    went_nowhere: int
    by_service: list[ReportRow]
    by_reason: list[ReportRow]
    no_news_days: int


def _went_nowhere(now: datetime) -> Q:
    return Q(status=ReferralStatus.DID_NOT_GET_HELP) | Q(
        status__in=OPEN_STATUSES, status_changed_at__lt=now - no_news_after()
    )


def referral_report(*, network: Network, now: datetime | None = None) -> ReferralReport:
    """Three queries, however many referrals."""
    now = now or timezone.now()
    referrals = Referral.objects.filter(network=network)
    total = referrals.count()
    nowhere = referrals.filter(_went_nowhere(now))
    by_service_rows = (
        nowhere.values("service_name")
        .annotate(count=Count("id"))
        .order_by("-count", "service_name")
    )
    by_reason_rows = nowhere.values("status", "reason").annotate(count=Count("id"))
    reason_counts: dict[str, int] = {}
    for row in by_reason_rows:
        key = row["reason"] if row["status"] == ReferralStatus.DID_NOT_GET_HELP else NO_NEWS
        reason_counts[key] = reason_counts.get(key, 0) + row["count"]
    labels: dict[str, str] = {value: str(label) for value, label in ReferralReason.choices}
    labels[NO_NEWS] = _("No news")
    by_reason = sorted(
        (
            ReportRow(name=str(labels.get(key, key)), count=count)
            for key, count in reason_counts.items()
        ),
        key=lambda row: (-row.count, row.name),
    )
    by_service = [
        ReportRow(name=row["service_name"], count=row["count"]) for row in by_service_rows
    ]
    return ReferralReport(
        total=total,
        went_nowhere=sum(row.count for row in by_service),
        by_service=by_service,
        by_reason=by_reason,
        no_news_days=settings.REFERRAL_NO_NEWS_AFTER_DAYS,
    )


# --- partnerships ---------------------------------------------------------------------------


def partnerships_of(*, network: Network) -> QuerySet[Partnership]:
    return Partnership.objects.filter(network=network).order_by("organization_name", "id")


def partnership_get(*, network: Network, pk: int) -> Partnership | None:
    return Partnership.objects.filter(network=network, pk=pk).first()


def partnerships_split(
    partnerships: list[Partnership], *, today: date
) -> tuple[list[Partnership], list[Partnership]]:
    """Current (or not started yet) and ended."""
    current = [p for p in partnerships if p.ends_on is None or p.ends_on >= today]
    ended = [p for p in partnerships if p.ends_on is not None and p.ends_on < today]
    return current, ended


def organizations_to_partner_with(*, network: Network) -> QuerySet[Organization]:
    return Organization.objects.filter(network=network).order_by("name", "key")
