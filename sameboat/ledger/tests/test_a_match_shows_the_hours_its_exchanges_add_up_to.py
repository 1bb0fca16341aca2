"""A completed match shows the hours the ledger holds for it now: a reversal takes them away
(a correction is an exchange of its own, since a match posts once)."""

from decimal import Decimal

from sameboat.aid.models import Match
from sameboat.aid.services import match_accept, match_complete, match_offer_help
from sameboat.ledger.services import exchange_reverse


def test_a_reversal_takes_the_hours_off_the_match(ask, member, helper, coordinator):
    match = match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)
    exchange = match_complete(match=match, by=helper, hours=Decimal("10"), key="typo")
    assert Match.objects.get(pk=match.pk).hours == Decimal("10")

    exchange_reverse(exchange=exchange, by=coordinator, memo="10 instead of 1")
    assert Match.objects.get(pk=match.pk).hours is None
