"""Checks every invariant of the ledger, in the database, with one aggregate query each so
it stays fast at a million entries. Used by `sameboat ledger verify`."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from sameboat.aid.models import Match, MatchStatus
from sameboat.ledger.models import Account, Entry, Exchange


@dataclass(frozen=True, slots=True)
class Problem:
    invariant: str
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


def _network_scope(
    queryset: QuerySet, network_id: int | None, field: str = "network_id"
) -> QuerySet:
    return queryset.filter(**{field: network_id}) if network_id is not None else queryset


def _entries_sum_to_zero(network_id: int | None) -> Problem | None:
    row = (
        _network_scope(Entry.objects.all(), network_id, "exchange__network_id")
        .values("exchange_id")
        .annotate(total=Sum("amount"), n=Count("id"))
        .filter(~Q(total=0) | ~Q(n=2))
        .order_by("exchange_id")
        .first()
    )
    if row:
        return Problem(
            "each exchange has two entries summing to zero",
            f"exchange {row['exchange_id']} has {row['n']} entries summing to {row['total']}",
        )
    orphan = _network_scope(Exchange.objects.all(), network_id).filter(entries__isnull=True).first()
    if orphan:
        return Problem(
            "each exchange has two entries summing to zero", f"exchange {orphan.pk} has none"
        )
    return None


def _entries_match_exchange(network_id: int | None) -> Problem | None:
    entries = _network_scope(Entry.objects.all(), network_id, "exchange__network_id")
    wrong = entries.filter(
        ~Q(account__member_id=F("exchange__provider_id"))
        & ~Q(account__member_id=F("exchange__receiver_id"))
        | Q(account__member_id=F("exchange__provider_id")) & ~Q(amount=F("exchange__amount"))
        | Q(account__member_id=F("exchange__receiver_id")) & ~Q(amount=-F("exchange__amount"))
        | ~Q(account__network_id=F("exchange__network_id"))
    ).first()
    if wrong:
        return Problem(
            "the provider is credited and the receiver debited the exchange's amount",
            f"entry {wrong.pk} of exchange {wrong.exchange_id} does not",
        )
    return None


def _total_is_zero(network_id: int | None) -> Problem | None:
    totals = (
        _network_scope(Entry.objects.all(), network_id, "account__network_id")
        .values("account__network_id")
        .annotate(total=Sum("amount"))
        .filter(~Q(total=0))
        .order_by("account__network_id")
        .first()
    )
    if totals:
        return Problem(
            "the sum over all accounts is zero",
            f"network {totals['account__network_id']} sums to {totals['total']}",
        )
    return None


def _cached_balances(network_id: int | None) -> Problem | None:
    derived = (
        Entry.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    wrong = (
        _network_scope(Account.objects.all(), network_id)
        .annotate(derived=Coalesce(Subquery(derived), 0))
        .exclude(balance=F("derived"))
        .values("pk", "balance", "derived")
        .order_by("pk")
        .first()
    )
    if wrong:
        return Problem(
            "each cached balance equals the sum of its entries",
            f"account {wrong['pk']} caches {wrong['balance']} "
            f"but its entries sum to {wrong['derived']}",
        )
    return None


def _reversals_mirror(network_id: int | None) -> Problem | None:
    wrong = (
        _network_scope(Exchange.objects.filter(reverses__isnull=False), network_id)
        .filter(
            ~Q(amount=-F("reverses__amount"))
            | ~Q(provider_id=F("reverses__provider_id"))
            | ~Q(receiver_id=F("reverses__receiver_id"))
            | ~Q(network_id=F("reverses__network_id"))
        )
        .first()
    )
    if wrong:
        return Problem(
            "a reversal is the exact opposite of the exchange it reverses",
            f"exchange {wrong.pk} does not mirror exchange {wrong.reverses_id}",
        )
    return None


def _completed_matches_posted_once(network_id: int | None) -> Problem | None:
    unposted = (
        _network_scope(Match.objects.filter(status=MatchStatus.COMPLETED), network_id)
        .annotate(n=Count("exchanges", filter=Q(exchanges__reverses__isnull=True)))
        .exclude(n=1)
        .values("pk", "n")
        .order_by("pk")
        .first()
    )
    if unposted:
        return Problem(
            "each completed match posted exactly one exchange",
            f"match {unposted['pk']} has {unposted['n']}",
        )
    stray = (
        _network_scope(Exchange.objects.filter(match__isnull=False), network_id)
        .exclude(match__status=MatchStatus.COMPLETED)
        .first()
    )
    if stray:
        return Problem(
            "each completed match posted exactly one exchange",
            f"exchange {stray.pk} belongs to match {stray.match_id}, which is not completed",
        )
    return None


CHECKS: list[Callable[[int | None], Problem | None]] = [
    _entries_sum_to_zero,
    _entries_match_exchange,
    _total_is_zero,
    _cached_balances,
    _reversals_mirror,
    _completed_matches_posted_once,
]


def ledger_problems(*, network_id: int | None = None) -> Iterator[Problem]:
    """Yield the first broken case of each invariant, in order; nothing if all hold."""
    for check in CHECKS:
        problem = check(network_id)
        if problem is not None:
            yield problem
