"""`manage.py ledger verify` (which `sameboat ledger verify` runs): ok on a sound ledger, and for
each kind of breakage a test can make, exit 1 naming the broken invariant.

The breakages are made the way a bug or a hand in the database would make them: inserting
rows with bulk_create or changing them with update(), past the services."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from conftest import MakeMember
from sameboat.aid.models import Ask, Match, MatchStatus
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
)
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.networks.models import Category, Member


def verify(*args: str) -> str:
    out = StringIO()
    call_command("ledger", "verify", *args, stdout=out)
    return out.getvalue().strip()


def broken(*args: str) -> list[str]:
    """The lines verify prints for a broken ledger, after checking it exits 1."""
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 1
    lines = str(failure.value).splitlines()
    assert all(line.startswith("ledger broken: ") for line in lines)
    return [line.removeprefix("ledger broken: ") for line in lines]


def accepted_match(ask: Ask, helper: Member) -> Match:
    match = match_offer_help(ask=ask, helper=helper)
    return match_accept(match=match, by=ask.member)


@pytest.fixture
def exchange(ask: Ask, helper: Member) -> Exchange:
    """One completed match, posted through the services: a sound ledger."""
    match = accepted_match(ask, helper)
    return match_complete(match=match, by=helper, hours=Decimal("1.5"), key="done-1")


def account_of(member: Member) -> Account:
    return Account.objects.get(member=member)


def move_cached(member: Member, amount: int) -> None:
    """Move a cached balance the way a posting would, so only the invariant under test breaks."""
    Account.objects.filter(member=member).update(balance=F("balance") + amount)


def test_verify_says_ok_with_counts_on_a_sound_ledger(exchange: Exchange) -> None:
    accounts = Account.objects.count()
    assert verify() == f"ledger ok: 1 exchanges, 2 entries, {accounts} accounts"


def test_verify_says_ok_on_an_empty_ledger(db: None) -> None:
    assert verify() == "ledger ok: 0 exchanges, 0 entries, 0 accounts"


def test_verify_names_a_cached_balance_that_drifted(exchange: Exchange) -> None:
    provider = account_of(exchange.provider)
    Account.objects.filter(pk=provider.pk).update(balance=F("balance") + 1)
    assert broken() == [
        "each cached balance equals the sum of its entries: "
        f"account {provider.pk} caches 151 but its entries sum to 150"
    ]


def test_verify_names_an_extra_entry_that_unbalances_an_exchange(
    exchange: Exchange, make_member: MakeMember
) -> None:
    stranger = make_member()
    Entry.objects.bulk_create([Entry(exchange=exchange, account=account_of(stranger), amount=25)])
    problems = broken()
    assert problems[0] == (
        "each exchange has two entries summing to zero: "
        f"exchange {exchange.pk} has 3 entries summing to 25"
    )


def test_verify_names_an_exchange_without_entries(exchange: Exchange) -> None:
    [bare] = Exchange.objects.bulk_create(
        [
            Exchange(
                network_id=exchange.network_id,
                key="bare",
                provider=exchange.provider,
                receiver=exchange.receiver,
                amount=100,
            )
        ]
    )
    assert broken() == [
        f"each exchange has two entries summing to zero: exchange {bare.pk} has none"
    ]


def test_verify_names_entries_that_credit_the_receiver(exchange: Exchange) -> None:
    provider, receiver = exchange.provider, exchange.receiver
    [backwards] = Exchange.objects.bulk_create(
        [
            Exchange(
                network_id=exchange.network_id,
                key="backwards",
                provider=provider,
                receiver=receiver,
                amount=100,
            )
        ]
    )
    entries = Entry.objects.bulk_create(
        [
            Entry(exchange=backwards, account=account_of(provider), amount=-100),
            Entry(exchange=backwards, account=account_of(receiver), amount=100),
        ]
    )
    move_cached(provider, -100)
    move_cached(receiver, 100)
    assert broken() == [
        "the provider is credited and the receiver debited the exchange's amount: "
        f"entry {entries[0].pk} of exchange {backwards.pk} does not"
    ]


def test_verify_names_a_network_whose_accounts_do_not_sum_to_zero(
    exchange: Exchange, outsider: Member
) -> None:
    # Debiting someone of another network leaves each network's total off.
    [leaky] = Exchange.objects.bulk_create(
        [
            Exchange(
                network_id=exchange.network_id,
                key="leaky",
                provider=exchange.provider,
                receiver=exchange.receiver,
                amount=100,
            )
        ]
    )
    Entry.objects.bulk_create(
        [
            Entry(exchange=leaky, account=account_of(exchange.provider), amount=100),
            Entry(exchange=leaky, account=account_of(outsider), amount=-100),
        ]
    )
    move_cached(exchange.provider, 100)
    move_cached(outsider, -100)
    problems = broken()
    assert problems[0].startswith("the provider is credited and the receiver debited")
    assert problems[1] == (
        f"the sum over all accounts is zero: network {exchange.network_id} sums to 100"
    )
    assert len(problems) == 2


def test_verify_names_a_reversal_that_does_not_mirror_its_exchange(exchange: Exchange) -> None:
    provider, receiver = exchange.provider, exchange.receiver
    [half] = Exchange.objects.bulk_create(
        [
            Exchange(
                network_id=exchange.network_id,
                key=f"reversal:{exchange.pk}",
                provider=provider,
                receiver=receiver,
                amount=-50,  # reverses only a third of the 150
                match=exchange.match,
                reverses=exchange,
            )
        ]
    )
    Entry.objects.bulk_create(
        [
            Entry(exchange=half, account=account_of(provider), amount=-50),
            Entry(exchange=half, account=account_of(receiver), amount=50),
        ]
    )
    move_cached(provider, -50)
    move_cached(receiver, 50)
    assert broken() == [
        "a reversal is the exact opposite of the exchange it reverses: "
        f"exchange {half.pk} does not mirror exchange {exchange.pk}"
    ]


def test_verify_names_a_completed_match_that_posted_nothing(
    exchange: Exchange, member: Member, helper: Member, food: Category
) -> None:
    soup = ask_create(member=member, fields=PostFields(category=food, title="Soup on Sunday"))
    match = accepted_match(soup, helper)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.COMPLETED)
    assert broken() == [f"each completed match posted exactly one exchange: match {match.pk} has 0"]


def test_verify_names_an_exchange_whose_match_is_not_completed(exchange: Exchange) -> None:
    Match.objects.filter(pk=exchange.match_id).update(status=MatchStatus.ACCEPTED)
    assert broken() == [
        "each completed match posted exactly one exchange: "
        f"exchange {exchange.pk} belongs to match {exchange.match_id}, which is not completed"
    ]


def test_verify_lists_every_broken_invariant_first_one_first(exchange: Exchange) -> None:
    Account.objects.filter(member=exchange.provider).update(balance=0)
    Match.objects.filter(pk=exchange.match_id).update(status=MatchStatus.ACCEPTED)
    problems = broken()
    assert [problem.split(":")[0] for problem in problems] == [
        "each cached balance equals the sum of its entries",
        "each completed match posted exactly one exchange",
    ]


def test_verify_of_one_network_ignores_breakage_in_another(
    exchange: Exchange, outsider: Member
) -> None:
    move_cached(outsider, 700)
    assert verify("--network", "riverside").startswith("ledger ok: 1 exchanges, 2 entries")
    assert broken("--network", "hilltop") == [
        "each cached balance equals the sum of its entries: "
        f"account {account_of(outsider).pk} caches 700 but its entries sum to 0"
    ]
    assert len(broken()) == 1


def test_verify_of_an_unknown_network_exits_2(db: None) -> None:
    with pytest.raises(CommandError, match="no network with the short name 'nowhere'") as failure:
        verify("--network", "nowhere")
    assert failure.value.returncode == 2


def test_ledger_without_an_action_is_a_usage_error(db: None) -> None:
    with pytest.raises(CommandError, match="ACTION"):
        call_command("ledger")
