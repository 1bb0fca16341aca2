"""A hypothesis state machine drives the ledger through random sequences of postings (retried
under reused keys), reversals (some of them refused) and account erasures, and checks every
invariant after each step against a model of what the balances must be."""

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, assume
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sameboat.accounts.models import User
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.services import exchange_post, exchange_reverse
from sameboat.ledger.verify import ledger_problems
from sameboat.networks.models import Member, Network
from sameboat.networks.services import member_add
from sameboat.privacy.services import account_erase, is_erased

PEOPLE = 5
KEYS = [f"key-{n}" for n in range(10)]  # few keys: retries under the same key happen often


@pytest.fixture
def people(network: Network) -> list[Member]:
    return [
        member_add(
            network=network,
            user=User.objects.create(email=f"machine{n}@example.org", display_name=f"Person {n}"),
        )
        for n in range(PEOPLE)
    ]


def test_the_ledger_holds_its_invariants_through_any_sequence(
    network: Network, people: list[Member], settings: Any, tmp_path: Path
) -> None:
    settings.ERASURE_JOURNAL = tmp_path / "erasures.jsonl"

    class LedgerMachine(RuleBasedStateMachine):
        """The model: what each balance must be, which key posted which exchange, which
        exchanges were reversed and who was erased. Each run is rolled back at its end."""

        def __init__(self) -> None:
            super().__init__()
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.balance: dict[int, int] = defaultdict(int)
            self.by_key: dict[str, Exchange] = {}
            self.originals: list[Exchange] = []
            self.reversed: set[int] = set()
            self.erased: set[int] = set()
            self.exchanges = 0

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        @rule(
            provider=st.integers(0, PEOPLE - 1),
            receiver=st.integers(0, PEOPLE - 1),
            amount=st.integers(1, 100_000),
            key=st.sampled_from(KEYS),
        )
        def post(self, provider: int, receiver: int, amount: int, key: str) -> None:
            giver, taker = people[provider], people[receiver]
            # Erased people post nothing new; a retry of an earlier posting still answers.
            assume(key in self.by_key or not ({giver.pk, taker.pk} & self.erased))
            if key in self.by_key:
                # A retry (a lost reply, a double click) sends the same request again: it
                # answers with the first exchange and posts nothing.
                first = self.by_key[key]
                again = exchange_post(
                    provider=Member.objects.get(pk=first.provider_id),
                    receiver=Member.objects.get(pk=first.receiver_id),
                    amount=first.amount,
                    key=key,
                    by=giver,
                )
                assert again.pk == first.pk
                return
            if giver.pk == taker.pk:
                with pytest.raises(ValidationError):
                    exchange_post(provider=giver, receiver=taker, amount=amount, key=key)
                return
            exchange = exchange_post(
                provider=giver, receiver=taker, amount=amount, key=key, by=giver
            )
            self.by_key[key] = exchange
            self.originals.append(exchange)
            self.balance[giver.pk] += amount
            self.balance[taker.pk] -= amount
            self.exchanges += 1

        @precondition(lambda self: self.originals)
        @rule(data=st.data())
        def reverse(self, data: st.DataObject) -> None:
            exchange = data.draw(st.sampled_from(self.originals))
            if exchange.pk in self.reversed:
                with pytest.raises(ValidationError):
                    exchange_reverse(exchange=exchange, by=people[0])
                return
            reversal = exchange_reverse(exchange=exchange, by=people[0])
            assert reversal.amount == -exchange.amount
            self.reversed.add(exchange.pk)
            self.balance[exchange.provider_id] -= exchange.amount
            self.balance[exchange.receiver_id] += exchange.amount
            self.exchanges += 1
            # A reversal is never reversed: correct it with a new posting.
            with pytest.raises(ValidationError):
                exchange_reverse(exchange=reversal, by=people[0])

        # Two people stay to post between.
        @precondition(lambda self: len(self.erased) < PEOPLE - 2)
        @rule(person=st.integers(0, PEOPLE - 1))
        def erase(self, person: int) -> None:
            member = people[person]
            account_erase(user=User.objects.get(pk=member.user_id), erased_by=None)
            self.erased.add(member.pk)

        @invariant()
        def ledger_verifies(self) -> None:
            assert list(ledger_problems(network_id=network.pk)) == []

        @invariant()
        def balances_are_the_model_and_their_entries(self) -> None:
            accounts = Account.objects.filter(network=network).annotate(
                entries_total=Sum("entries__amount")
            )
            found = {a.member_id: (a.balance, a.entries_total or 0) for a in accounts}
            assert found == {m.pk: (self.balance[m.pk], self.balance[m.pk]) for m in people}
            assert sum(self.balance.values()) == 0

        @invariant()
        def each_posting_once(self) -> None:
            assert Exchange.objects.filter(network=network).count() == self.exchanges
            assert Entry.objects.filter(account__network=network).count() == 2 * self.exchanges

        @invariant()
        def the_erased_are_erased_and_keep_their_ledger(self) -> None:
            for member_id in self.erased:
                member = Member.objects.select_related("user").get(pk=member_id)
                assert is_erased(member.user)
                assert member.user.display_name == "Erased member"
                assert not member.is_active
                assert Account.objects.filter(member_id=member_id).exists()

    run_state_machine_as_test(
        LedgerMachine,
        settings=hypothesis_settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
