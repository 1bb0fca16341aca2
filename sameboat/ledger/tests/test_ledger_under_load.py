"""The ledger under load, on PostgreSQL, through the real API over real HTTP.

Many threads complete matches at once, and every request is sent again under its idempotency
key: twice at the same moment (a client that timed out and retried while the first was still
running) and once more after the answer came (a reply lost on the way back). Some matches are
completed by both sides at once with their own keys, and coordinators reverse exchanges twice at
the same moment. At the end each match posted exactly one exchange, each exchange was reversed at
most once, every answer for a match names the same exchange, the accounts sum to zero and every
balance equals its entries (`sameboat ledger verify`).

SQLite lets one writer in at a time, so there is no race to find there: the test runs on
PostgreSQL (CI's second pass, or DATABASE_URL=postgres://... locally).
"""

import json
import random
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import MakeMember
from sameboat.aid.models import Match, MatchStatus
from sameboat.aid.services import PostFields, ask_create, match_accept, match_offer_help
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.verify import ledger_problems
from sameboat.networks.models import Category, Member, Network, Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="Concurrent writers need PostgreSQL: SQLite lets one writer in at a time. "
        "CI runs this in its PostgreSQL pass.",
    ),
]

MATCHES = 36
PEOPLE = 6  # few people, many matches: the same accounts are fought over all the time
THREADS = 8


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, object]


def post(url: str, token: str, body: dict[str, object], key: str | None = None) -> Answer:
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(  # noqa: S310 (the live test server, over http)
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return Answer(response.status, json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            parsed = json.loads(raw or b"{}")
        except ValueError:
            parsed = {"raw": raw[:500].decode(errors="replace")}
        return Answer(error.code, parsed)


@dataclass(frozen=True)
class Attempt:
    match_id: int
    token: str
    key: str
    hours: str


def test_many_threads_retrying_post_each_exchange_exactly_once(
    live_server: object,
    network: Network,
    make_member: MakeMember,
    food: Category,
) -> None:
    rng = random.Random(6)
    people = [make_member(display_name=f"Person {i}") for i in range(PEOPLE)]
    coordinator = make_member(Role.COORDINATOR)
    tokens = {m.pk: Token.objects.get_or_create(user=m.user)[0].key for m in [*people, coordinator]}
    base = live_server.url  # type: ignore[attr-defined]

    def url(name: str, pk: int) -> str:
        return base + reverse(name, kwargs={"network_slug": network.slug, "pk": pk})

    matches: list[Match] = []
    for i in range(MATCHES):
        receiver, helper = rng.sample(people, 2)
        ask = ask_create(member=receiver, fields=PostFields(category=food, title=f"Ask {i}"))
        matches.append(match_accept(match=match_offer_help(ask=ask, helper=helper), by=receiver))

    # Every completion is sent twice at once under one key; a third of the matches are also
    # completed by the other side, at the same moment, under that side's own key.
    first_round: list[Attempt] = []
    contested: set[int] = set()
    for i, match in enumerate(matches):
        hours = str(Decimal(rng.randint(25, 400)) / 100)
        side: Member = match.helper if i % 2 else match.receiver
        attempt = Attempt(match.pk, tokens[side.pk], f"done-{match.pk}-{side.pk}", hours)
        first_round += [attempt, attempt]
        if i % 3 == 0:
            other: Member = match.receiver if i % 2 else match.helper
            first_round.append(Attempt(match.pk, tokens[other.pk], f"other-{match.pk}", hours))
            contested.add(match.pk)
    rng.shuffle(first_round)

    def complete(attempt: Attempt) -> tuple[Attempt, Answer]:
        # Half send the key in the body, half in the header: both are the same key.
        in_body = attempt.match_id % 2 == 0
        body: dict[str, object] = {"hours": attempt.hours}
        if in_body:
            body["key"] = attempt.key
        answer = post(
            url("api-match-complete", attempt.match_id),
            attempt.token,
            body,
            None if in_body else attempt.key,
        )
        return attempt, answer

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(complete, first_round))
        # Replies lost on the way back: every attempt is sent once more, after its answer.
        answers += list(pool.map(complete, [attempt for attempt, _ in answers]))

    posted: dict[int, set[object]] = defaultdict(set)
    created: dict[int, int] = defaultdict(int)
    for attempt, answer in answers:
        assert answer.status in (200, 201, 400), (attempt, answer)
        if answer.status == 400:
            # Only the losing side of a contested match is refused (the match is done).
            assert attempt.match_id in contested, (attempt, answer)
            continue
        posted[attempt.match_id].add(answer.body["id"])
        created[attempt.match_id] += answer.status == 201
    for match in matches:
        assert len(posted[match.pk]) == 1, (match.pk, posted[match.pk])
        # Exactly one request posted it; every other one, even the twin sent at the same
        # instant, was answered as a replay.
        assert created[match.pk] == 1, (match.pk, created[match.pk])
    assert Exchange.objects.count() == MATCHES
    assert Match.objects.filter(status=MatchStatus.COMPLETED).count() == MATCHES
    for match in matches:
        exchange = Exchange.objects.get(match_id=match.pk)
        assert {exchange.pk} == posted[match.pk]
        assert Entry.objects.filter(exchange=exchange).count() == 2

    # Coordinators correct half of the exchanges, each reversal sent twice at the same moment.
    to_reverse = [ex_id for ids in posted.values() for ex_id in ids][: MATCHES // 2]
    reversals = [ex_id for ex_id in to_reverse for _ in range(2)]
    rng.shuffle(reversals)

    def reverse_one(exchange_id: object) -> tuple[object, Answer]:
        assert isinstance(exchange_id, int)
        return exchange_id, post(
            url("api-exchange-reverse", exchange_id), tokens[coordinator.pk], {"memo": "Typo"}
        )

    with ThreadPoolExecutor(THREADS) as pool:
        reversed_answers = list(pool.map(reverse_one, reversals))
    outcomes: dict[object, list[int]] = defaultdict(list)
    for exchange_id, answer in reversed_answers:
        assert answer.status in (201, 400), (exchange_id, answer)
        outcomes[exchange_id].append(answer.status)
    assert all(sorted(statuses) == [201, 400] for statuses in outcomes.values()), outcomes
    assert Exchange.objects.filter(reverses__isnull=False).count() == len(to_reverse)

    assert list(ledger_problems(network_id=network.pk)) == []
    call_command("ledger", "verify", network=network.slug)
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == 0
    for account in Account.objects.filter(network=network):
        entries = Entry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
        assert account.balance == (entries or 0)
    reversed_ids = set(to_reverse)
    expected: dict[int, int] = defaultdict(int)
    for exchange in Exchange.objects.filter(reverses__isnull=True):
        if exchange.pk not in reversed_ids:
            expected[exchange.provider_id] += exchange.amount
            expected[exchange.receiver_id] -= exchange.amount
    for person in people:
        assert Account.objects.get(member=person).balance == expected[person.pk]
