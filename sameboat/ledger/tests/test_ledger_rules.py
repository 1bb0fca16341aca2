from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from sameboat.aid.services import match_accept, match_complete, match_offer_help
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.selectors import accounts_below_limit, member_counterparts, member_reciprocity
from sameboat.ledger.services import exchange_post, exchange_reverse
from sameboat.ledger.verify import ledger_problems


def test_posting_moves_the_amount_and_sums_to_zero(member, helper):
    exchange_post(provider=helper, receiver=member, amount=250, key="a")
    assert Account.objects.get(member=helper).balance == 250
    assert Account.objects.get(member=member).balance == -250
    assert sum(Entry.objects.values_list("amount", flat=True)) == 0
    assert list(ledger_problems()) == []


def test_posting_twice_with_one_key_posts_once(member, helper):
    first = exchange_post(provider=helper, receiver=member, amount=100, key="same")
    second = exchange_post(provider=helper, receiver=member, amount=100, key="same")
    assert first.pk == second.pk and Entry.objects.count() == 2


def test_entries_and_exchanges_cannot_be_edited(member, helper):
    exchange = exchange_post(provider=helper, receiver=member, amount=100, key="a")
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(exchange=exchange).update(amount=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Exchange.objects.filter(pk=exchange.pk).update(amount=5)
    assert list(ledger_problems()) == []


def changed(field: models.Field, old: Any) -> Any:
    if isinstance(field, models.BooleanField):
        return not old
    if isinstance(field, models.DateTimeField):
        return old + timedelta(days=1)
    if isinstance(field, models.CharField):
        return old + "x"
    return (old or 0) + 1000  # ids, foreign keys and amounts


def test_an_exchange_admits_no_update_but_emptying_its_memo(member, helper):
    # Erasure empties a memo (it copies an ask's title); every other column stays as posted.
    # Every concrete column is tried, so one added later without the trigger knowing fails.
    exchange = exchange_post(provider=helper, receiver=member, amount=100, key="a", memo="Rent")
    fields = [f for f in Exchange._meta.concrete_fields if f.name != "memo"]
    assert {f.name for f in fields} >= {"network", "key", "provider", "receiver", "amount"}
    for field in fields:
        value = changed(field, getattr(exchange, field.attname))
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            Exchange.objects.filter(pk=exchange.pk).update(**{field.attname: value})
        # Not even alongside emptying the memo.
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            Exchange.objects.filter(pk=exchange.pk).update(memo="", **{field.attname: value})
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Exchange.objects.filter(pk=exchange.pk).update(memo="Something else")

    Exchange.objects.filter(pk=exchange.pk).update(memo="")

    assert Exchange.objects.get(pk=exchange.pk).memo == ""
    assert list(ledger_problems()) == []


def test_reversal_restores_balances_and_keeps_history(member, helper, coordinator):
    exchange = exchange_post(provider=helper, receiver=member, amount=300, key="a")
    reversal = exchange_reverse(exchange=exchange, by=coordinator)
    assert reversal.amount == -300 and reversal.reverses == exchange
    assert Account.objects.get(member=helper).balance == 0
    assert Exchange.objects.count() == 2
    assert member_reciprocity(member=helper).given == 0
    assert list(ledger_problems()) == []
    with pytest.raises(ValidationError):
        exchange_reverse(exchange=exchange, by=coordinator)
    with pytest.raises(ValidationError):
        exchange_reverse(exchange=reversal, by=coordinator)


def test_balance_limit_flags_but_never_blocks(network, member, helper):
    network.balance_lower_limit = -100
    network.save(update_fields=["balance_lower_limit"])
    member.network.refresh_from_db()
    exchange = exchange_post(provider=helper, receiver=member, amount=500, key="a")
    assert exchange.receiver_below_limit
    assert list(accounts_below_limit(network=network)) == [member.account]


def test_invalid_postings_write_nothing(member, helper, outsider):
    for kwargs in (
        {"provider": helper, "receiver": member, "amount": 0, "key": "a"},
        {"provider": helper, "receiver": helper, "amount": 10, "key": "b"},
        {"provider": helper, "receiver": outsider, "amount": 10, "key": "c"},
        {"provider": helper, "receiver": member, "amount": 10, "key": ""},
    ):
        with pytest.raises(ValidationError):
            exchange_post(**kwargs)
    assert not Exchange.objects.exists() and not Entry.objects.exists()


def test_member_sees_with_whom_they_gave_and_received(ask, member, helper, make_member):
    match = match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)
    match_complete(match=match, by=helper, hours=Decimal("2"), key="k")
    third = make_member(display_name="Chen")
    exchange_post(provider=member, receiver=third, amount=75, key="x")
    reciprocity = member_reciprocity(member=member)
    assert (reciprocity.given, reciprocity.received) == (75, 200)
    people = {
        person.name: (person.given_to, person.received_from)
        for person in member_counterparts(member=member)
    }
    assert people == {"Bongani": (0, 200), "Chen": (75, 0)}


def test_verify_names_a_broken_cached_balance(member, helper):
    exchange_post(provider=helper, receiver=member, amount=100, key="a")
    Account.objects.filter(member=helper).update(balance=7)
    problems = list(ledger_problems())
    assert problems and "cached balance" in problems[0].invariant
