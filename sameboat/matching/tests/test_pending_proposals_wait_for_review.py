"""A proposal waiting for a coordinator's review is nobody's business but the coordinators':
its members can neither answer it nor be reminded of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sameboat.aid.models import Match, MatchSource, ReviewState
from sameboat.notifications.selectors import sides_awaiting_reminder


@pytest.fixture
def pending(ask, member, helper) -> Match:
    return Match.objects.create(
        network=member.network,
        ask=ask,
        helper=helper,
        receiver=member,
        source=MatchSource.ENGINE,
        review_state=ReviewState.PENDING,
    )


def test_members_cannot_accept_or_decline_a_proposal_before_review(pending, member, helper):
    from sameboat.aid.services import match_accept, match_decline

    with pytest.raises(ValidationError):
        match_accept(match=pending, by=member)
    with pytest.raises(ValidationError):
        match_decline(match=pending, by=helper)
    pending.refresh_from_db()
    assert pending.helper_accepted_at is None and pending.receiver_accepted_at is None


def test_reminders_skip_pending_proposals_and_count_from_release(pending):
    long_ago = timezone.now() - timedelta(days=10)
    Match.objects.filter(pk=pending.pk).update(created_at=long_ago)
    cutoff = timezone.now() - timedelta(days=3)
    assert sides_awaiting_reminder(proposed_before=cutoff) == []
    # Released just now: old by creation, new to the members, so no reminder yet.
    Match.objects.filter(pk=pending.pk).update(
        review_state=ReviewState.RELEASED, reviewed_at=timezone.now()
    )
    assert sides_awaiting_reminder(proposed_before=cutoff) == []
    Match.objects.filter(pk=pending.pk).update(reviewed_at=long_ago)
    assert len(sides_awaiting_reminder(proposed_before=cutoff)) == 2
