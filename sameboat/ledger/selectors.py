"""Reads of the ledger: balances, reciprocity, counterparts."""

from django.db.models import Q, QuerySet, Sum

from sameboat.ledger.models import Account, Exchange
from sameboat.ledger.reciprocity import Counterpart, Reciprocity, counterparts
from sameboat.networks.models import Member, Network


def member_reciprocity(*, member: Member) -> Reciprocity:
    """Hours given and received, net of reversals (a reversal carries the negative amount)."""
    given = Exchange.objects.filter(provider=member).aggregate(total=Sum("amount"))["total"]
    received = Exchange.objects.filter(receiver=member).aggregate(total=Sum("amount"))["total"]
    return Reciprocity(given=given or 0, received=received or 0)


def member_counterparts(*, member: Member) -> list[Counterpart]:
    """Whom a member gave to and received from, by display name, with totals each way."""
    given_rows = (
        Exchange.objects.filter(provider=member)
        .values("receiver_id", "receiver__user__display_name")
        .annotate(total=Sum("amount"))
    )
    received_rows = (
        Exchange.objects.filter(receiver=member)
        .values("provider_id", "provider__user__display_name")
        .annotate(total=Sum("amount"))
    )
    rows = [
        (row["receiver_id"], row["receiver__user__display_name"], row["total"], 0)
        for row in given_rows
    ] + [
        (row["provider_id"], row["provider__user__display_name"], 0, row["total"])
        for row in received_rows
    ]
    return [person for person in counterparts(rows) if person.given_to or person.received_from]


def exchanges_visible(*, network: Network, member: Member) -> QuerySet[Exchange]:
    """A member sees their own exchanges; coordinators see the network's."""
    exchanges = Exchange.objects.filter(network=network).select_related(
        "provider__user", "receiver__user", "match", "reversed_by"
    )
    if not member.coordinates:
        exchanges = exchanges.filter(provider=member) | exchanges.filter(receiver=member)
    return exchanges.order_by("-created_at", "-id")


def accounts_below_limit(*, network: Network) -> QuerySet[Account]:
    return (
        Account.objects.filter(network=network, balance__lt=network.balance_lower_limit)
        .select_related("member__user")
        .order_by("balance")
    )


def exchanges_of_member(*, member: Member) -> QuerySet[Exchange]:
    """Every exchange this member gave or received in, newest first."""
    return (
        Exchange.objects.filter(network_id=member.network_id)
        .filter(Q(provider=member) | Q(receiver=member))
        .select_related("provider__user", "receiver__user")
        .order_by("-created_at", "-id")
    )
