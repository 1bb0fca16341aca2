"""Writes to the ledger: posting an exchange and reversing one. Nothing else writes entries."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from sameboat.aid.models import Match
from sameboat.ledger.models import HUNDREDTHS, Account, Entry, Exchange
from sameboat.networks.models import Member


def _account_for(member: Member) -> Account:
    account, _created = Account.objects.get_or_create(
        member=member, defaults={"network_id": member.network_id}
    )
    return account


@transaction.atomic
def exchange_post(
    *,
    provider: Member,
    receiver: Member,
    amount: int,
    key: str,
    match: Match | None = None,
    memo: str = "",
    by: Member | None = None,
) -> Exchange:
    """Move `amount` (hundredths of the unit) from the receiver's account to the provider's.

    Idempotent: posting again with the same key returns the exchange posted first and
    writes nothing. Balance limits are soft: going below one is recorded, never refused.
    """
    network_id = provider.network_id
    if receiver.network_id != network_id:
        raise ValidationError(_("Both members must belong to the same network."))
    if provider.pk == receiver.pk:
        raise ValidationError(_("Nobody can exchange with themselves."))
    if amount <= 0:
        raise ValidationError({"hours": _("Enter an amount greater than zero.")})
    if not key:
        raise ValidationError(_("A posting needs an idempotency key."))

    existing = Exchange.objects.filter(network_id=network_id, key=key).first()
    if existing is not None:
        return existing

    try:
        # A savepoint, so a concurrent duplicate rolls back only this posting.
        with transaction.atomic():
            return _post(
                Exchange(
                    network_id=network_id,
                    key=key,
                    provider=provider,
                    receiver=receiver,
                    amount=amount,
                    match=match,
                    memo=memo,
                    created_by=by,
                )
            )
    except IntegrityError:
        existing = Exchange.objects.filter(network_id=network_id, key=key).first()
        if existing is None:
            raise
        return existing


def _post(exchange: Exchange) -> Exchange:
    """Write an exchange with its two entries and move the cached balances, all at once.

    The accounts are locked in id order (so two postings cannot deadlock) and the soft limit
    is checked before writing: the flag is a fact about that moment, and exchanges are never
    updated afterwards.
    """
    # Missing accounts are created in member order too: two postings creating the same two
    # accounts in opposite orders would each wait on the other's unique index entry.
    for member in sorted((exchange.provider, exchange.receiver), key=lambda m: m.pk):
        _account_for(member)
    accounts = {
        account.member_id: account
        for account in Account.objects.select_for_update()
        .filter(member_id__in=[exchange.provider_id, exchange.receiver_id])
        .order_by("pk")
    }
    provider_account = accounts[exchange.provider_id]
    receiver_account = accounts[exchange.receiver_id]
    limit = exchange.receiver.network.balance_lower_limit
    exchange.receiver_below_limit = (
        exchange.amount > 0 and receiver_account.balance - exchange.amount < limit
    )
    exchange.save()
    Entry.objects.bulk_create(
        [
            Entry(exchange=exchange, account=provider_account, amount=exchange.amount),
            Entry(exchange=exchange, account=receiver_account, amount=-exchange.amount),
        ]
    )
    Account.objects.filter(pk=provider_account.pk).update(balance=F("balance") + exchange.amount)
    Account.objects.filter(pk=receiver_account.pk).update(balance=F("balance") - exchange.amount)
    if exchange.match_id is not None:
        _match_hours_refresh(exchange.match_id)
    return exchange


def _match_hours_refresh(match_id: int) -> None:
    """A match shows the hours its exchanges add up to now: after a reversal, nothing (or
    what a correction posted for it), never the first figure the ledger has since undone."""
    net = Exchange.objects.filter(match_id=match_id).aggregate(net=Sum("amount"))["net"] or 0
    hours = Decimal(net) / HUNDREDTHS if net > 0 else None
    Match.objects.filter(pk=match_id).update(hours=hours)


@transaction.atomic
def exchange_reverse(*, exchange: Exchange, by: Member, memo: str = "") -> Exchange:
    """Correct an exchange by posting its exact opposite. The original stays as it was."""
    if exchange.reverses_id is not None:
        raise ValidationError(_("A reversal cannot itself be reversed; post a new exchange."))
    if Exchange.objects.filter(reverses=exchange).exists():
        raise ValidationError(_("This exchange has already been reversed."))
    try:
        with transaction.atomic():
            reversal = _post(
                Exchange(
                    network_id=exchange.network_id,
                    key=f"reversal:{exchange.pk}",
                    provider=exchange.provider,
                    receiver=exchange.receiver,
                    amount=-exchange.amount,
                    match=exchange.match,
                    reverses=exchange,
                    memo=memo or _("Correction"),
                    created_by=by,
                )
            )
    except IntegrityError as error:
        raise ValidationError(_("This exchange has already been reversed.")) from error
    return reversal
